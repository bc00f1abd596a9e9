package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * A null wherever a public door expects a value: constructing never throws (hosts build providers eagerly), and
 * {@code resolveCredentials()} reports it as one {@link MfaSessionException} naming the call, as every other
 * problem with the provider's arguments, never as a {@code NullPointerException}.
 */
class NullArgumentsTest {

    @TempDir
    Path folder;

    private static Map<String, String> mapWith(String key, String value) {
        Map<String, String> settings = new HashMap<>();
        settings.put("profile", "dev");
        settings.put(key, value);
        return settings;
    }

    static Stream<Arguments> nulls() {
        return Stream.of(
            Arguments.of("create(profileName) with null", "create(null)", (Supplier<MfaSessionProvider>) () -> MfaSessionProvider.create((String) null)),
            Arguments.of("create(settings) with null", "create(null)", (Supplier<MfaSessionProvider>) () -> MfaSessionProvider.create((Map<String, String>) null)),
            Arguments.of("create(settings) with a null key", "a null key", (Supplier<MfaSessionProvider>) () -> MfaSessionProvider.create(mapWith(null, "x"))),
            Arguments.of("create(settings) with a null value", "a null value for mfa_serial",
                         (Supplier<MfaSessionProvider>) () -> MfaSessionProvider.create(mapWith("mfa_serial", null))),
            Arguments.of("profileName", "profileName(null)", builder(b -> b.profileName(null))),
            Arguments.of("mfaSerial", "mfaSerial(null)", builder(b -> b.mfaSerial(null))),
            Arguments.of("sessionDuration", "sessionDuration(null)", builder(b -> b.sessionDuration(null))),
            Arguments.of("refreshBefore", "refreshBefore(null)", builder(b -> b.refreshBefore(null))),
            Arguments.of("codeSupplier by name", "codeSupplier(null)", builder(b -> b.codeSupplier((String) null))),
            Arguments.of("codeSupplier instance", "codeSupplier(null)", builder(b -> b.codeSupplier((MfaCodeSupplier) null))),
            Arguments.of("cache", "cache(null)", builder(b -> b.cache(null))),
            Arguments.of("cacheDirectory", "cacheDirectory(null)", builder(b -> b.cacheDirectory(null))),
            Arguments.of("region", "region(null)", builder(b -> b.region(null))),
            Arguments.of("stsEndpoint", "stsEndpoint(null)", builder(b -> b.stsEndpoint(null))),
            Arguments.of("profileFile", "profileFile(null)", builder(b -> b.profileFile((ProfileFile) null))),
            Arguments.of("profileFile supplier", "profileFile(null)", builder(b -> b.profileFile((Supplier<ProfileFile>) null))),
            Arguments.of("setting with a null key", "setting(null, ...)", builder(b -> b.setting(null, "x"))),
            Arguments.of("setting with a null value", "setting(\"mfa_serial\", null)", builder(b -> b.setting("mfa_serial", null))));
    }

    private static Supplier<MfaSessionProvider> builder(java.util.function.Consumer<MfaSessionProvider.Builder> call) {
        return () -> {
            MfaSessionProvider.Builder builder = MfaSessionProvider.builder().profileName("dev");
            call.accept(builder);
            return builder.build();
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nulls")
    void aNullIsReportedWhenCredentialsAreAskedNamingTheCall(String door, String named, Supplier<MfaSessionProvider> construct) {
        MfaSessionProvider provider = assertDoesNotThrow(construct::get, door);

        MfaSessionException e = assertThrows(MfaSessionException.class, provider::resolveCredentials, door);

        assertTrue(e.getMessage().contains(named), e.getMessage());
        assertTrue(e.getMessage().endsWith("."), e.getMessage());
    }

    @Test
    void aProfileFileSupplierThatReturnsNullIsNamed() {
        MfaSessionException e;
        try (StsFixture fixture = new StsFixture(folder)) {
            e = assertThrows(MfaSessionException.class, fixture.builder().profileFile(() -> null).build()::resolveCredentials);
        }

        assertTrue(e.getMessage().startsWith("The profile file supplier given to MfaSessionProvider.builder().profileFile(...) returned null"),
                   e.getMessage());
    }

    @Test
    void aCodeSupplierThatFailsWithAnythingButMfaSessionExceptionStillEndsInOne() {
        IllegalStateException bug = new IllegalStateException("a bug in a plugin");
        MfaSessionException e;
        try (StsFixture fixture = new StsFixture(folder)) {
            MfaSessionProvider provider = fixture.builder().codeSupplier(ScriptedCodes.machine(request -> {
                throw bug;
            })).build();
            e = assertThrows(MfaSessionException.class, provider::resolveCredentials);
        }

        assertTrue(e.getMessage().startsWith("Could not get credentials for profile 'dev': an unexpected java.lang.IllegalStateException"),
                   e.getMessage());
        assertEquals("a bug in a plugin", e.getCause().getMessage());
    }

    @Test
    void aNullStringAmongTheConstructorsArgumentsIsNoArgument() {
        MfaSessionProvider provider = assertDoesNotThrow(() -> new MfaSessionProvider("dev", null, "mfa_cache=memory", null));

        assertEquals("MfaSessionProvider(profile=dev)", provider.toString());
    }
}
