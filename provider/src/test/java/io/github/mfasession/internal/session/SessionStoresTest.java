package io.github.mfasession.internal.session;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.internal.settings.SettingSources;
import io.github.mfasession.internal.settings.Settings;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.profiles.ProfileFile;

class SessionStoresTest {

    /** A profile of its own, because the memory store is shared by every test in this JVM. */
    private final String profile = "stores-" + UUID.randomUUID();

    @TempDir
    Path cacheFolder;

    private Settings settings(Map<String, String> arguments) {
        Map<String, String> all = new HashMap<>(arguments);
        all.put("profile", profile);
        String config = "[profile " + profile + "]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n";
        ProfileFile file = ProfileFile.builder()
                                      .content(new ByteArrayInputStream(config.getBytes(StandardCharsets.UTF_8)))
                                      .type(ProfileFile.Type.CONFIGURATION)
                                      .build();
        return Settings.resolve(new SettingSources(all, new Properties(), name -> null), () -> file);
    }

    private Session session() {
        Instant expiration = Instant.now().plus(Duration.ofHours(1));
        return new Session(AwsSessionCredentials.builder().accessKeyId("ASIASTORES").secretAccessKey("s").sessionToken("t")
                                                .expirationTime(expiration).build(), expiration.minusSeconds(300));
    }

    @Test
    void theMemoryModeKeepsSessionsInThisProcessOnly() {
        assertSame(MemorySessionStore.instance(), SessionStores.forSettings(settings(Map.of("mfa_cache", "memory")), Clock.systemUTC()));
    }

    @Test
    void theDiskModeWritesSessionsToTheCacheFolder() throws Exception {
        Settings settings = settings(Map.of("mfa_cache_dir", cacheFolder.toString()));
        SessionKey key = new SessionKey(profile, "AKIAIOSFODNN7EXAMPLE", settings.mfaSerial());

        SessionStores.forSettings(settings, Clock.systemUTC()).save(key, session());

        assertTrue(Files.isRegularFile(cacheFolder.resolve(key.fileName())));
    }
}
