package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.regions.Region;

/**
 * Every public door of the provider with arbitrary text, nulls and huge numbers, against a working profile and the
 * local STS emulator, so that a good combination gets a session and a bad one is refused: building never throws,
 * and {@code resolveCredentials()} gives a session or one {@link MfaSessionException}, never anything else.
 * Values that would make the provider act outside the test (run a command, write a folder outside it, call a host
 * on the network) are drawn from safe sets; every other value is arbitrary. The code supplier instance the builder
 * starts with is used instead of any named one, so no prompt ever appears.
 */
class PublicDoorsPropertiesTest {

    private static Path folder;
    private static StsFixture fixture;
    private static URI closed;

    @BeforeContainer
    static void start() throws IOException {
        folder = Files.createTempDirectory("public-doors");
        fixture = new StsFixture(folder);
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    @AfterContainer
    static void stop() {
        fixture.close();
    }

    /** Names of suppliers that would prompt, run something or wait: never drawn, since a map may name a supplier. */
    private static final List<String> ACTIVE_SUPPLIERS = List.of("console", "dialog", "desktop", "process", "file", "auto");

    private static Arbitrary<String> anyText() {
        return Arbitraries.oneOf(List.of(
            Arbitraries.strings().ofMaxLength(30),
            Arbitraries.strings().withCharRange('\u0000', ' ').ofMaxLength(3),
            Arbitraries.longs().map(String::valueOf),
            Arbitraries.of("9999999999999999", "9223372036854775807", "-9223372036854775808", "99999999999999999999", "1e400", "0", "-1",
                           "900", "3600", "43200", "129600", "129601")))
                          .filter(text -> !ACTIVE_SUPPLIERS.contains(text.trim().toLowerCase(java.util.Locale.ROOT)));
    }

    private static Arbitrary<Duration> durations() {
        return Arbitraries.oneOf(List.of(
            Arbitraries.longs().map(Duration::ofSeconds),
            Arbitraries.longs().between(-1_000_000, 200_000_000_000L).map(Duration::ofMillis),
            Arbitraries.of(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), Duration.ofSeconds(Long.MIN_VALUE), Duration.ZERO,
                           Duration.ofHours(1), Duration.ofHours(36))));
    }

    /** Keys a profile or argument may carry; the ones that act outside the test get safe values below. */
    private static final List<String> KEYS = List.of("profile", "mfa_serial", "duration_seconds", "mfa_code_supplier", "mfa_code",
                                                     "mfa_cache", "mfa_refresh_before_seconds", "region", "role_arn", "source_profile",
                                                     "role_session_name", "external_id", "mfa_process_timeout_seconds",
                                                     "mfa_code_file_timeout_seconds", "plugin_key");

    /** Values for the keys that reach outside: a folder inside the test, or an endpoint on loopback. */
    private static Arbitrary<Map.Entry<String, String>> safeSetting() {
        return Arbitraries.oneOf(List.of(
            // Never a relative path: it would be made absolute in the module's folder. A NUL inside is not a path at all.
            Arbitraries.of("mfa_cache_dir").flatMap(key -> Arbitraries.of(folder.resolve("cache").toString(), folder.resolve("other").toString(),
                                                                           folder.resolve("cache") + "\u0000x").map(value -> Map.entry(key, value))),
            Arbitraries.of("sts_endpoint").flatMap(key -> Arbitraries.of(fixture.sts.endpoint().toString(), closed.toString(), "not a url",
                                                                          "mailto:x", "http://", "file:///etc").map(value -> Map.entry(key, value))),
            Arbitraries.of("mfa_process").map(key -> Map.entry(key, "echo 123456")),
            Arbitraries.of("mfa_code_file").map(key -> Map.entry(key, folder.resolve("code").toString()))));
    }

    private static Arbitrary<Consumer<MfaSessionProvider.Builder>> calls() {
        Arbitrary<String> maybeText = anyText().injectNull(0.1);
        Arbitrary<Duration> maybeDuration = durations().injectNull(0.1);
        return Arbitraries.oneOf(List.of(
            maybeText.map(text -> b -> b.profileName(text)),
            Arbitraries.of("dev").map(text -> b -> b.profileName(text)),
            maybeText.map(text -> b -> b.mfaSerial(text)),
            maybeDuration.map(duration -> b -> b.sessionDuration(duration)),
            maybeDuration.map(duration -> b -> b.refreshBefore(duration)),
            // Named suppliers never run: the builder's own instance is used instead.
            maybeText.map(text -> b -> b.codeSupplier(text)),
            maybeText.map(text -> b -> b.cache(text)),
            Arbitraries.of(folder.resolve("cache"), folder.resolve("other")).injectNull(0.3).map(path -> b -> b.cacheDirectory(path)),
            Arbitraries.strings().ofMinLength(1).ofMaxLength(20).filter(text -> !text.isBlank()).map(Region::of).injectNull(0.3)
                       .map(region -> b -> b.region(region)),
            Arbitraries.of(fixture.sts.endpoint(), closed, URI.create("relative/path"), URI.create("mailto:x")).injectNull(0.2)
                       .map(endpoint -> b -> b.stsEndpoint(endpoint)),
            Combinators.combine(Arbitraries.oneOf(List.of(Arbitraries.of(KEYS), Arbitraries.strings().ofMaxLength(20))).injectNull(0.05),
                                maybeText).as((key, value) -> b -> b.setting(key, value)),
            safeSetting().map(entry -> b -> b.setting(entry.getKey(), entry.getValue()))));
    }

    @Provide
    Arbitrary<List<Consumer<MfaSessionProvider.Builder>>> builderCalls() {
        return calls().list().ofMaxSize(6);
    }

    @Property(tries = 300)
    void anyBuilderCallsBuildAProviderThatGivesASessionOrOneMfaSessionException(@ForAll("builderCalls") List<Consumer<MfaSessionProvider.Builder>> calls) {
        MfaSessionProvider.Builder builder = fixture.builder().codeSupplier(ScriptedCodes.machine(request -> fixture.code()));
        MfaSessionProvider provider = assertDoesNotThrow(() -> {
            calls.forEach(call -> call.accept(builder));
            return builder.build();
        });

        resolvesOrRefuses(provider);
    }

    private static void resolvesOrRefuses(MfaSessionProvider provider) {
        try (provider) {
            AwsSessionCredentials session = provider.resolveCredentials();
            assertTrue(session.accessKeyId().startsWith("ASIA"), session.accessKeyId());
        } catch (MfaSessionException e) {
            assertTrue(e.getMessage().endsWith(".") || e.getMessage().contains("\n"), e.getMessage());
        }
    }

    /** Maps as hosts pass them, null keys and values included, with the settings the fixture's profile needs. */
    @Provide
    Arbitrary<Map<String, String>> settingMaps() {
        Arbitrary<String> keys = Arbitraries.oneOf(List.of(Arbitraries.of(KEYS), Arbitraries.strings().ofMaxLength(20))).injectNull(0.05);
        Arbitrary<Map.Entry<String, String>> arbitrary = Combinators.combine(keys, anyText().injectNull(0.05)).as(PublicDoorsPropertiesTest::entry);
        return Arbitraries.oneOf(List.of(arbitrary, safeSetting())).list().ofMaxSize(6).map(entries -> {
            Map<String, String> settings = new HashMap<>();
            settings.put("profile", "dev");
            settings.put("mfa_cache_dir", folder.resolve("cache").toString());
            settings.put("mfa_code_supplier", "env");
            entries.forEach(entry -> settings.put(entry.getKey(), entry.getValue()));
            return settings;
        });
    }

    private static Map.Entry<String, String> entry(String key, String value) {
        return new java.util.AbstractMap.SimpleEntry<>(key, value);
    }

    /**
     * {@code create(Map)} reads the default profile files, so these run where the fixture's files are the default
     * ones; the environment has no code, so a good map ends in "no code" rather than a session.
     */
    @Property(tries = 200)
    void anyMapOfSettingsCreatesAProviderThatGivesASessionOrOneMfaSessionException(@ForAll("settingMaps") Map<String, String> settings) {
        try (DefaultProfileFiles files = DefaultProfileFiles.at(fixture.config, fixture.credentials)) {
            resolvesOrRefuses(assertDoesNotThrow(() -> MfaSessionProvider.create(settings)));
        }
    }
}
