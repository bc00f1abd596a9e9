package io.github.mfasession.internal.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.MfaSessionException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;

/**
 * Settings from any text at all: each one either resolves to a value within its rules or is refused with an
 * {@link MfaSessionException} naming it; nothing else ever escapes, whatever a user or host writes.
 */
class SettingsPropertiesTest {

    private static final String SERIAL = "arn:aws:iam::123456789012:mfa/alice";
    /** The characters STS allows in SerialNumber ({@code [\w+=/:,.@-]*}), written out rather than copied from the code under test. */
    private static final String SERIAL_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=/:,.@-";

    private static Settings resolve(Map<String, String> arguments) {
        Map<String, String> all = new HashMap<>(arguments);
        all.put("profile", "dev");
        all.putIfAbsent("mfa_serial", SERIAL);
        String config = "[profile dev]\nregion = eu-west-1\n";
        ProfileFile file = ProfileFile.builder()
                                      .content(new ByteArrayInputStream(config.getBytes(StandardCharsets.UTF_8)))
                                      .type(ProfileFile.Type.CONFIGURATION)
                                      .build();
        return Settings.resolve(new SettingSources(all, new Properties(), name -> null), () -> file);
    }

    /** Numbers near and far from STS's limits, with and without spaces, and any text. */
    @Provide
    Arbitrary<String> durations() {
        return Arbitraries.oneOf(
            Arbitraries.longs().between(800, 130_000).map(String::valueOf),
            Arbitraries.longs().map(String::valueOf),
            Arbitraries.of("900", "129600", "899", "129601", " 3600 ", "+3600", "3600.0", "1e4", "0x384", "٣٦٠٠", "-0", ""),
            Arbitraries.strings().ofMaxLength(24));
    }

    @Property(tries = 500)
    void anyDurationResolvesWithinStsLimitsOrIsRefusedNamingDurationSeconds(@ForAll("durations") String text) {
        try {
            long seconds = resolve(Map.of("duration_seconds", text)).sessionDuration().getSeconds();
            assertTrue(seconds >= 900 && seconds <= 129_600, text + " gave " + seconds);
            // Nothing but spaces and control characters counts as not given: the default.
            assertEquals(text.trim().isBlank() ? 43_200 : Long.parseLong(text.trim()), seconds, "the duration is the number given");
        } catch (MfaSessionException e) {
            assertTrue(e.getMessage().startsWith("duration_seconds "), e.getMessage());
        }
    }

    @Property(tries = 300)
    void anyRenewMarginResolvesBelowTheSessionLengthOrIsRefusedNamingIt(@ForAll("durations") String text) {
        try {
            long seconds = resolve(Map.of("mfa_refresh_before_seconds", text)).refreshBefore().getSeconds();
            assertTrue(seconds >= 0 && seconds < 43_200, text + " gave " + seconds);
        } catch (MfaSessionException e) {
            assertTrue(e.getMessage().startsWith("mfa_refresh_before_seconds "), e.getMessage());
        }
    }

    /** Serials of every length around STS's 9 to 256, mostly of allowed characters, some with others mixed in. */
    @Provide
    Arbitrary<String> serials() {
        return Arbitraries.oneOf(
            Arbitraries.strings().withChars(SERIAL_CHARACTERS).ofMinLength(0).ofMaxLength(300),
            Arbitraries.strings().withChars(SERIAL_CHARACTERS + " !#$%^&*()[]{}|\\\"'<>?;~`éß€\t").ofMinLength(5).ofMaxLength(30),
            Arbitraries.strings().ofMaxLength(40));
    }

    @Property(tries = 500)
    void anySerialIsAcceptedExactlyWhenStsWouldAcceptIt(@ForAll("serials") String text) {
        String trimmed = text.trim();
        boolean stsAccepts = trimmed.length() >= 9 && trimmed.length() <= 256
                             && trimmed.chars().allMatch(c -> SERIAL_CHARACTERS.indexOf(c) >= 0);
        try {
            String serial = resolve(Map.of("mfa_serial", text)).mfaSerial();
            assertTrue(stsAccepts, "accepted " + text);
            assertEquals(trimmed, serial);
        } catch (MfaSessionException e) {
            assertTrue(!stsAccepts, "refused " + text + ": " + e.getMessage());
            // A value of only spaces counts as not set; one of control characters is refused as a device.
            assertTrue(e.getMessage().startsWith("The MFA device '")
                       || trimmed.isEmpty() && e.getMessage().startsWith("Profile 'dev' has no mfa_serial."), e.getMessage());
        }
    }

    @Provide
    Arbitrary<Setting> settings() {
        return Arbitraries.of(Setting.class).filter(setting -> setting != Setting.PROFILE);
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(30),
            Arbitraries.strings().withChars("~/\\:.[]@%\u0000 hHtTpPsS0123456789-").ofMaxLength(30),
            Arbitraries.strings().withCharRange('\u0000', ' ').ofMinLength(1).ofMaxLength(3),
            Arbitraries.of("http://", "https://[::1", "http://host:99999", "~", "~/x", "DISK", "Memory", "auto", "-1", "0"));
    }

    @Example
    void aValueOfOnlyControlCharactersCountsAsNotGiven() {
        assertEquals(Region.EU_WEST_1, resolve(Map.of("region", "\u0000")).region(), "the profile's region, not an empty one");
    }

    @Property(tries = 1000)
    void anyValueOfAnySettingResolvesOrIsRefusedWithAnMfaSessionException(@ForAll("settings") Setting setting, @ForAll("anyText") String text) {
        try {
            resolve(Map.of(setting.key(), text));
        } catch (MfaSessionException e) {
            assertTrue(e.getMessage().endsWith("."), e.getMessage());
        }
    }
}
