package io.github.mfasession.internal.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.MfaSessionException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.utils.UserHomeDirectoryUtils;

class SettingsTest {

    private static final String SERIAL = "arn:aws:iam::123456789012:mfa/alice";

    private final Map<String, String> arguments = new HashMap<>();
    private final Properties systemProperties = new Properties();
    private final Map<String, String> environment = new HashMap<>();
    private String config = "[profile dev]\nmfa_serial = " + SERIAL + "\n";

    private Settings resolve() {
        arguments.putIfAbsent("profile", "dev");
        SettingSources sources = new SettingSources(arguments, systemProperties, environment::get);
        ProfileFile file = ProfileFile.builder()
                                      .content(new ByteArrayInputStream(config.getBytes(StandardCharsets.UTF_8)))
                                      .type(ProfileFile.Type.CONFIGURATION)
                                      .build();
        return Settings.resolve(sources, () -> file);
    }

    private MfaSessionException failure() {
        return assertThrows(MfaSessionException.class, this::resolve);
    }

    @Test
    void defaultsApplyWhenNothingIsSet() {
        Settings settings = resolve();
        assertEquals(SERIAL, settings.mfaSerial());
        assertEquals(Duration.ofHours(12), settings.sessionDuration());
        assertEquals(Duration.ofMinutes(5), settings.refreshBefore());
        assertEquals(Settings.CacheMode.DISK, settings.cacheMode());
        assertEquals(Path.of(UserHomeDirectoryUtils.userHomeDirectory(), ".aws", "mfa-session", "cache"), settings.cacheDirectory());
        assertEquals(Optional.empty(), settings.codeSupplier());
    }

    @Test
    void argumentBeatsSystemPropertyBeatsEnvironmentBeatsProfile() {
        config += "duration_seconds = 1000\n";
        assertEquals(1000, resolve().sessionDuration().getSeconds());
        environment.put("AWS_MFA_DURATION_SECONDS", "2000");
        assertEquals(2000, resolve().sessionDuration().getSeconds());
        systemProperties.setProperty("aws.mfaDurationSeconds", "3000");
        assertEquals(3000, resolve().sessionDuration().getSeconds());
        arguments.put("duration_seconds", "4000");
        assertEquals(4000, resolve().sessionDuration().getSeconds());
    }

    @Test
    void profileNameComesFromSystemPropertyThenEnvironmentThenDefault() {
        config = "[default]\nmfa_serial = " + SERIAL + "\n[profile env]\nmfa_serial = " + SERIAL + "\n[profile prop]\nmfa_serial = " + SERIAL + "\n";
        SettingSources none = new SettingSources(Map.of(), systemProperties, environment::get);
        ProfileFile file = ProfileFile.builder().content(new ByteArrayInputStream(config.getBytes(StandardCharsets.UTF_8)))
                                      .type(ProfileFile.Type.CONFIGURATION).build();
        assertEquals("default", Settings.resolve(none, () -> file).profileName());
        environment.put("AWS_PROFILE", "env");
        assertEquals("env", Settings.resolve(none, () -> file).profileName());
        systemProperties.setProperty("aws.profile", "prop");
        assertEquals("prop", Settings.resolve(none, () -> file).profileName());
    }

    @Test
    void missingProfileIsNamed() {
        arguments.put("profile", "prod");
        MfaSessionException e = failure();
        assertTrue(e.getMessage().contains("Profile 'prod' was not found"), e.getMessage());
    }

    @Test
    void missingMfaSerialNamesTheSettingAndTheProfile() {
        config = "[profile dev]\nregion = eu-west-1\n";
        MfaSessionException e = failure();
        assertTrue(e.getMessage().contains("Profile 'dev' has no mfa_serial"), e.getMessage());
        assertTrue(e.getMessage().contains("AWS_MFA_SERIAL"), e.getMessage());
    }

    @Test
    void mfaSerialWithSpacesIsRefused() {
        environment.put("AWS_MFA_SERIAL", "not a serial");
        MfaSessionException e = failure();
        assertTrue(e.getMessage().contains("the environment variable AWS_MFA_SERIAL"), e.getMessage());
    }

    @Test
    void mfaSerialShorterThanStsAllowsIsRefused() {
        arguments.put("mfa_serial", "GAHT1234");
        assertTrue(failure().getMessage().contains("9 to 256 characters"));
    }

    @Test
    void durationBelowStsMinimumIsRefusedNamingItsSource() {
        config += "duration_seconds = 899\n";
        MfaSessionException e = failure();
        assertTrue(e.getMessage().contains("duration_seconds 899 from duration_seconds in profile 'dev' is out of range"), e.getMessage());
        assertTrue(e.getMessage().contains("900 to 129600"), e.getMessage());
    }

    @Test
    void durationAboveStsMaximumIsRefused() {
        systemProperties.setProperty("aws.mfaDurationSeconds", "129601");
        assertTrue(failure().getMessage().contains("the system property aws.mfaDurationSeconds"));
    }

    @Test
    void durationThatIsNotANumberIsRefused() {
        arguments.put("duration_seconds", "12h");
        assertTrue(failure().getMessage().contains("'12h' from the provider argument duration_seconds is not a whole number"));
    }

    @Test
    void renewMarginMustBeShorterThanTheSession() {
        arguments.put("duration_seconds", "900");
        arguments.put("mfa_refresh_before_seconds", "900");
        assertTrue(failure().getMessage().contains("less than the session length of 900 seconds"));
    }

    @Test
    void unknownCacheModeIsRefused() {
        environment.put("AWS_MFA_CACHE", "redis");
        assertTrue(failure().getMessage().contains("'redis' from the environment variable AWS_MFA_CACHE is not a cache mode"));
    }

    @Test
    void cacheFolderExpandsTheHomeFolder() {
        arguments.put("mfa_cache_dir", "~/sessions");
        assertEquals(Path.of(UserHomeDirectoryUtils.userHomeDirectory(), "sessions"), resolve().cacheDirectory());
    }

    @Test
    void regionComesFromTheProfileElseUsEast1() {
        assertEquals(Region.US_EAST_1, resolve().region());
        config += "region = eu-central-1\n";
        assertEquals(Region.EU_CENTRAL_1, resolve().region());
        arguments.put("region", "ap-south-1");
        assertEquals(Region.AP_SOUTH_1, resolve().region());
    }

    @Test
    void codeMayComeOnlyFromArgumentsOrEnvironmentNeverFromTheProfile() {
        config += "mfa_code = 123456\n";
        assertEquals(Optional.empty(), resolve().lookup("mfa_code"));
        environment.put("AWS_MFA_CODE", "654321");
        assertEquals(Optional.of("654321"), resolve().lookup("mfa_code"));
    }

    @Test
    void pluginSettingsComeFromArgumentsThenTheProfile() {
        config += "mfa_yubikey_slot = 2\n";
        assertEquals(Optional.of("2"), resolve().lookup("mfa_yubikey_slot"));
        arguments.put("mfa_yubikey_slot", "3");
        assertEquals(Optional.of("3"), resolve().lookup("mfa_yubikey_slot"));
    }

    @Test
    void malformedEndpointIsRefused() {
        arguments.put("sts_endpoint", "localhost:8080");
        assertTrue(failure().getMessage().contains("sts_endpoint 'localhost:8080'"));
    }
}
