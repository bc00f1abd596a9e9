package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Hosts build providers from whatever strings their users type: constructing one never throws, whatever the
 * strings, and any problem with them surfaces from {@code resolveCredentials()} as an {@link MfaSessionException}.
 * The tests run with a home folder holding no AWS files, so no profile is ever found and nothing reaches a network.
 */
class ConstructorArgumentsPropertiesTest {

    private static final List<String> KEYS = List.of("profile", "mfa_serial", "duration_seconds", "mfa_code_supplier", "mfa_code",
                                                     "mfa_code_file", "mfa_process", "mfa_cache", "mfa_cache_dir",
                                                     "mfa_refresh_before_seconds", "region", "sts_endpoint", "plugin_key");

    /** Any text, known keys with any values, and the near misses a user types. */
    @Provide
    Arbitrary<String> arguments() {
        Arbitrary<String> anyText = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<String> keyValue = Arbitraries.of(KEYS).flatMap(key -> anyText.map(value -> key + "=" + value));
        Arbitrary<String> nearMisses = Arbitraries.of("=", "==", "=dev", " = ", "profile", "profile=", "dev,mfa_cache=memory", "\u0000=\u0000",
                                                      "mfa_serial = arn:aws:iam::123456789012:mfa/alice ");
        return Arbitraries.oneOf(List.of(anyText, keyValue, nearMisses)).injectNull(0.05);
    }

    @Property(tries = 400)
    void anyOneToFourStringsConstructAProviderAndOnlyResolvingReportsTheirProblems(
        @ForAll @Size(min = 0, max = 4) List<@From("arguments") String> arguments) {
        MfaSessionProvider provider = construct(arguments);
        assertTrue(provider.toString().startsWith("MfaSessionProvider"));

        MfaSessionException e = assertThrows(MfaSessionException.class, provider::resolveCredentials);
        assertTrue(e.getMessage().endsWith("."), e.getMessage());
    }

    private static MfaSessionProvider construct(List<String> arguments) {
        switch (arguments.size()) {
            case 0:
                return new MfaSessionProvider();
            case 1:
                return new MfaSessionProvider(arguments.get(0));
            case 2:
                return new MfaSessionProvider(arguments.get(0), arguments.get(1));
            case 3:
                return new MfaSessionProvider(arguments.get(0), arguments.get(1), arguments.get(2));
            default:
                return new MfaSessionProvider(arguments.get(0), arguments.get(1), arguments.get(2), arguments.get(3));
        }
    }

    @Provide
    Arbitrary<Map<String, String>> settingMaps() {
        Arbitrary<String> keys = Arbitraries.oneOf(List.of(Arbitraries.of(KEYS), Arbitraries.strings().ofMaxLength(20)));
        return Arbitraries.maps(keys, Arbitraries.strings().ofMaxLength(40)).ofMaxSize(6);
    }

    @Property(tries = 200)
    void anyMapOfSettingsCreatesAProviderAndOnlyResolvingReportsItsProblems(@ForAll("settingMaps") Map<String, String> settings) {
        MfaSessionProvider provider = MfaSessionProvider.create(settings);
        assertTrue(provider.toString().startsWith("MfaSessionProvider"));

        assertThrows(MfaSessionException.class, provider::resolveCredentials);
    }
}
