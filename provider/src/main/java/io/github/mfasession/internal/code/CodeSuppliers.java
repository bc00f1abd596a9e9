package io.github.mfasession.internal.code;

import io.github.mfasession.MfaCodeSupplier;
import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.settings.Setting;
import io.github.mfasession.internal.settings.SettingSources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every code supplier by name (the built-ins and any found with {@link ServiceLoader}), and the automatic
 * choice when the user names none.
 */
public final class CodeSuppliers {

    /**
     * SPEC's order: a code already given, a command, a file, a person at a terminal, then a person at a desktop: with
     * the desktop's own dialog program where Swing is unsafe or unavailable in this JVM, else with the Swing dialog.
     */
    private static final List<String> GIVEN_OR_TERMINAL = List.of("env", "process", "file", "console");
    private static final List<String> DESKTOP_FIRST = List.of("desktop", "dialog");
    private static final List<String> SWING_FIRST = List.of("dialog", "desktop");

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
        return applicable(settings).findFirst().orElseThrow(() -> MfaSessionException.create(
            "No way to get an MFA code for profile '" + profile + "': no terminal or desktop is attached and none is configured."
            + " Set AWS_MFA_CODE, or mfa_process (a command that prints the code), or mfa_code_file, or name a plugin with"
            + " mfa_code_supplier, or run where a terminal or desktop is available."));
    }

    /**
     * The built-in suppliers that can give a code here, in the order the automatic choice tries them. Lazy: a supplier
     * is asked whether it applies only when the ones before it were not enough.
     */
    public Stream<MfaCodeSupplier> applicable(Function<String, Optional<String>> settings) {
        return autoOrder(Desktop.swingIsSafe()).stream()
                                               .map(byName::get)
                                               .filter(supplier -> supplier instanceof AutoChoosable
                                                                   && ((AutoChoosable) supplier).appliesTo(settings));
    }

    /** The automatic order, {@code desktop} first where Swing is unsafe or unavailable in this JVM. */
    static List<String> autoOrder(boolean swingIsSafe) {
        List<String> order = new ArrayList<>(GIVEN_OR_TERMINAL);
        order.addAll(swingIsSafe ? SWING_FIRST : DESKTOP_FIRST);
        return order;
    }

    /** The names of the built-ins that apply in this process, as {@code MfaSessionProvider.applicableCodeSuppliers()} documents. */
    public static List<String> applicableHere() {
        SettingSources sources = SettingSources.of(Map.of());
        Function<String, Optional<String>> settings = key -> Setting.forKey(key)
                                                                    .flatMap(setting -> sources.find(setting, Optional.empty()))
                                                                    .map(SettingSources.Found::value);
        return discover().applicable(settings).map(MfaCodeSupplier::name).collect(Collectors.toList());
    }

    /**
     * Marks this JVM as the command line, a short-lived process that should not start AWT: where no terminal is attached,
     * the desktop's own dialog program comes before a Swing dialog.
     */
    public static void avoidSwing() {
        Desktop.avoidSwing();
    }

    public Map<String, MfaCodeSupplier> byName() {
        return byName;
    }
}
