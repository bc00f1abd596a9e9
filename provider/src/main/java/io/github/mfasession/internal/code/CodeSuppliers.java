package io.github.mfasession.internal.code;

import io.github.mfasession.MfaCodeSupplier;
import io.github.mfasession.MfaSessionException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Every code supplier by name (the built-ins and any found with {@link ServiceLoader}), and the automatic
 * choice when the user names none.
 */
public final class CodeSuppliers {

    /** SPEC's order: a code already given, a command, a file, then a person at a terminal or a desktop. */
    private static final List<String> AUTO_ORDER = List.of("env", "process", "file", "console", "dialog");

    private final Map<String, MfaCodeSupplier> byName;

    private CodeSuppliers(Map<String, MfaCodeSupplier> byName) {
        this.byName = byName;
    }

    /** The suppliers visible to this library's class loader and the thread's context class loader. */
    public static CodeSuppliers discover() {
        Map<String, MfaCodeSupplier> found = new TreeMap<>();
        for (ClassLoader loader : new ClassLoader[] {CodeSuppliers.class.getClassLoader(), Thread.currentThread().getContextClassLoader()}) {
            if (loader != null) {
                ServiceLoader.load(MfaCodeSupplier.class, loader).forEach(s -> found.putIfAbsent(s.name(), s));
            }
        }
        return new CodeSuppliers(found);
    }

    /** The supplier the user named, or the first built-in that applies here. */
    public MfaCodeSupplier choose(Optional<String> name, String profile, Function<String, Optional<String>> settings) {
        if (name.isPresent() && !name.get().equalsIgnoreCase("auto")) {
            MfaCodeSupplier named = byName.get(name.get());
            if (named == null) {
                throw MfaSessionException.create(
                    "mfa_code_supplier '" + name.get() + "' for profile '" + profile + "' is not a known code supplier;"
                    + " the available ones are " + String.join(", ", byName.keySet()) + ".");
            }
            return named;
        }
        for (String candidate : AUTO_ORDER) {
            MfaCodeSupplier supplier = byName.get(candidate);
            if (supplier instanceof AutoChoosable && ((AutoChoosable) supplier).appliesTo(settings)) {
                return supplier;
            }
        }
        throw MfaSessionException.create(
            "No way to get an MFA code for profile '" + profile + "': no terminal or desktop is attached and none is configured."
            + " Set AWS_MFA_CODE, or mfa_process (a command that prints the code), or mfa_code_file, or name a plugin with"
            + " mfa_code_supplier, or run where a terminal or desktop is available.");
    }

    public Map<String, MfaCodeSupplier> byName() {
        return byName;
    }
}
