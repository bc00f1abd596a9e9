package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** How hosts build the provider: by builder, by class name with string arguments, and through ServiceLoader. */
class MfaSessionProviderConstructionTest {

    @Test
    void constructingNeverReadsConfigurationOrFails() {
        assertDoesNotThrow(() -> new MfaSessionProvider("profile-that-does-not-exist"));
        assertDoesNotThrow(() -> MfaSessionProvider.builder().profileName("nope").mfaSerial("bad serial").build());
    }

    @Test
    void firstBareArgumentIsTheProfileAndTheRestAreKeyValuePairs() {
        MfaSessionProvider provider = new MfaSessionProvider("dev", "mfa_serial=arn:aws:iam::123456789012:mfa/alice");
        assertEquals("MfaSessionProvider(profile=dev, mfaSerial=arn:aws:iam::123456789012:mfa/alice)", provider.toString());
    }

    @Test
    void everyArgumentMayBeKeyValue() {
        MfaSessionProvider provider = new MfaSessionProvider("profile=dev", "duration_seconds=900", "mfa_cache=memory", "mfa_code_supplier=env");
        assertEquals("MfaSessionProvider(profile=dev)", provider.toString());
    }

    @Test
    void aBareArgumentAfterTheFirstIsReportedWhenCredentialsAreAsked() {
        MfaSessionProvider provider = new MfaSessionProvider("dev", "oops");
        MfaSessionException e = assertThrows(MfaSessionException.class, provider::resolveCredentials);
        assertTrue(e.getMessage().contains("Provider argument 2 is not key=value"), e.getMessage());
    }

    @Test
    void mapSettingsUseProfileKeys() {
        MfaSessionProvider provider = MfaSessionProvider.create(Map.of("profile", "ops"));
        assertEquals("MfaSessionProvider(profile=ops)", provider.toString());
    }

    @Test
    void toStringNeverShowsACode() {
        MfaSessionProvider provider = new MfaSessionProvider("dev", "mfa_code=123456");
        assertTrue(!provider.toString().contains("123456"), provider.toString());
    }

    @Test
    void serviceLoaderFindsTheProvider() {
        boolean found = ServiceLoader.load(AwsCredentialsProvider.class).stream()
                                     .anyMatch(p -> p.type() == MfaSessionProvider.class);
        assertTrue(found, "META-INF/services lists MfaSessionProvider");
    }
}
