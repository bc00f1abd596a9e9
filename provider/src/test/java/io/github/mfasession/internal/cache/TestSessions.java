package io.github.mfasession.internal.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.internal.session.Session;
import io.github.mfasession.internal.session.SessionKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** Keys, sessions and file checks shared by the cache tests. */
final class TestSessions {

    static final String SERIAL = "arn:aws:iam::123456789012:mfa/alice";
    /** The base profile's long-term key id; its secret never reaches the store. */
    static final String BASE_KEY_ID = "AKIAIOSFODNN7EXAMPLE";

    private TestSessions() {
    }

    static SessionKey key(String profile) {
        return new SessionKey(profile, BASE_KEY_ID, SERIAL);
    }

    /** A session whose secret and token are derived from its key id, so each session's values are distinct; obtained 12 hours before it ends. */
    static Session session(String accessKeyId, Instant expiration) {
        return session(accessKeyId, expiration, expiration.minus(java.time.Duration.ofHours(12)));
    }

    /** As {@link #session(String, Instant)}, obtained at the given moment. */
    static Session session(String accessKeyId, Instant expiration, Instant obtained) {
        AwsSessionCredentials credentials = AwsSessionCredentials.builder()
                                                                 .accessKeyId(accessKeyId)
                                                                 .secretAccessKey("secret-of-" + accessKeyId)
                                                                 .sessionToken("token-of-" + accessKeyId + "/+=\"\\\u00e9")
                                                                 .expirationTime(expiration)
                                                                 .build();
        return new Session(credentials, obtained);
    }

    /** The lock file's lock in this process and across processes, as a refresher takes it, around the action. */
    static <T> T locked(CacheFolder folder, SessionKey key, java.util.function.Supplier<T> action) {
        SessionCache cache = SessionCache.of(key, java.util.Optional.of(folder.path()), folder == null ? null : lockTimeout(folder));
        return cache.lockedInProcess(true, () -> cache.lockedAcrossProcesses(true, action).orElseThrow()).orElseThrow();
    }

    private static java.time.Duration lockTimeout(CacheFolder folder) {
        return LOCK_TIMEOUTS.getOrDefault(folder.path(), CacheFolder.DEFAULT_LOCK_TIMEOUT);
    }

    /** The lock timeouts the tests' folders were made with, for the process-wide caches built around them. */
    static final java.util.Map<java.nio.file.Path, java.time.Duration> LOCK_TIMEOUTS = new java.util.concurrent.ConcurrentHashMap<>();

    static CacheFolder folder(java.nio.file.Path path, java.time.Duration lockTimeout) {
        LOCK_TIMEOUTS.put(path, lockTimeout);
        return new CacheFolder(path, lockTimeout);
    }

    static void assertSameSession(Session expected, Session actual) {
        assertEquals(expected.credentials().accessKeyId(), actual.credentials().accessKeyId());
        assertEquals(expected.credentials().secretAccessKey(), actual.credentials().secretAccessKey());
        assertEquals(expected.credentials().sessionToken(), actual.credentials().sessionToken());
        assertEquals(expected.expiration(), actual.expiration());
        assertEquals(expected.credentials().expirationTime(), actual.credentials().expirationTime());
    }

    static void assertPrivateRegularFile(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS), file + " should be a regular file");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)));
    }

    static void assertPrivateFolder(Path folder) throws IOException {
        assertFalse(Files.isSymbolicLink(folder), folder + " should not be a link");
        assertTrue(Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS), folder + " should be a folder");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder, LinkOption.NOFOLLOW_LINKS)));
    }

    /** Names of the temporary files a write may have left in the folder. */
    static List<String> temporaryFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp")).collect(Collectors.toList());
        }
    }
}
