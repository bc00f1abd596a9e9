package io.github.mfasession.internal.cache;

import static io.github.mfasession.internal.cache.TestSessions.assertPrivateFolder;
import static io.github.mfasession.internal.cache.TestSessions.assertPrivateRegularFile;
import static io.github.mfasession.internal.cache.TestSessions.key;
import static io.github.mfasession.internal.cache.TestSessions.session;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mfasession.StandardError;
import io.github.mfasession.internal.session.Session;
import io.github.mfasession.internal.session.SessionKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cache file is used only when it can be trusted; anything else is read as no session and replaced by the next one. */
class UntrustedCacheFileTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant IN_12_HOURS = NOW.plus(Duration.ofHours(12));

    @TempDir
    Path home;

    private final SessionKey key = key("dev");

    private Path folder() {
        return home.resolve("cache");
    }

    private CacheFolder store() {
        return TestSessions.folder(folder(), Duration.ofSeconds(5));
    }

    private Path file() {
        return store().file(key);
    }

    /** A good file first, so that each test spoils exactly one thing about it. */
    private void saveGoodSession() {
        store().save(key, session("ASIAOLDSESSION", IN_12_HOURS));
        assertTrue(store().load(key).isPresent(), "the unspoiled file is trusted");
    }

    /** The file is read as no session, and the next save puts a private regular file in its place. */
    private void assertIgnoredThenReplaced() throws IOException {
        assertEquals(Optional.empty(), store().load(key));

        store().save(key, session("ASIANEWSESSION", IN_12_HOURS));

        assertPrivateFolder(folder());
        assertPrivateRegularFile(file());
        assertEquals("ASIANEWSESSION", store().load(key).orElseThrow().credentials().accessKeyId());
    }

    @Test
    void corruptJsonIsIgnoredAndReplaced() throws IOException {
        saveGoodSession();
        Files.write(file(), "{\"Version\": 1, this is not JSON".getBytes(StandardCharsets.UTF_8));

        assertIgnoredThenReplaced();
    }

    @Test
    void truncatedJsonIsIgnoredAndReplaced() throws IOException {
        saveGoodSession();
        byte[] whole = Files.readAllBytes(file());
        Files.write(file(), Arrays.copyOf(whole, whole.length / 2));

        assertIgnoredThenReplaced();
    }

    @Test
    void anEmptyFileIsIgnoredAndReplaced() throws IOException {
        saveGoodSession();
        Files.write(file(), new byte[0]);

        assertIgnoredThenReplaced();
    }

    @Test
    void anotherFormatVersionIsIgnoredAndReplaced() throws IOException {
        saveGoodSession();
        String json = new String(Files.readAllBytes(file()), StandardCharsets.UTF_8);
        Files.write(file(), json.replace("\"Version\":1", "\"Version\":2").getBytes(StandardCharsets.UTF_8));

        assertIgnoredThenReplaced();
    }

    @Test
    void aFileMissingTheSessionTokenIsIgnoredAndReplaced() throws IOException {
        saveGoodSession();
        String json = new String(Files.readAllBytes(file()), StandardCharsets.UTF_8);
        Files.write(file(), json.replace("\"SessionToken\"", "\"Unused\"").getBytes(StandardCharsets.UTF_8));

        assertIgnoredThenReplaced();
    }


    @Test
    void aFileWrittenForAnotherProfileIsIgnoredAndReplaced() throws IOException {
        SessionKey other = key("prod");
        store().save(other, session("ASIAPRODSESSION", IN_12_HOURS));
        Files.copy(store().file(other), file());

        assertIgnoredThenReplaced();
    }

    @Test
    void aSymbolicLinkToAGoodFileIsIgnoredAndReplaced() throws IOException {
        saveGoodSession();
        Path elsewhere = Files.move(file(), home.resolve("elsewhere.json"));
        byte[] target = Files.readAllBytes(elsewhere);
        Files.createSymbolicLink(file(), elsewhere);

        assertIgnoredThenReplaced();
        assertArrayEquals(target, Files.readAllBytes(elsewhere), "the link's target is left alone");
    }

    @Test
    void aSymbolicallyLinkedFolderIsIgnoredAndReplacedByAPrivateFolder() throws IOException {
        saveGoodSession();
        Path realFolder = Files.move(folder(), home.resolve("real-folder"));
        Files.createSymbolicLink(folder(), realFolder);

        assertIgnoredThenReplaced();
        assertTrue(Files.isRegularFile(realFolder.resolve(key.fileName())), "the link's target is left alone");
    }

    @Test
    void aGroupReadableFileIsIgnoredAndReplaced() throws IOException {
        saveGoodSession();
        Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-r-----"));

        assertIgnoredThenReplaced();
    }

    @Test
    void aWorldWritableFileIsIgnoredAndReplaced() throws IOException {
        saveGoodSession();
        Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-----w-"));

        assertIgnoredThenReplaced();
    }

    @Test
    void aFileOwnedBySomeoneElseIsIgnoredAndReplaced() throws IOException {
        saveGoodSession();
        UserPrincipal nobody = home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        assumeTrue(!nobody.equals(Files.getOwner(file())), "the tests run as nobody");
        try {
            Files.setOwner(file(), nobody);
        } catch (IOException e) {
            assumeTrue(false, "only root can give a file to another user: " + e);
        }
        assertEquals(nobody, Files.getOwner(file()));

        assertIgnoredThenReplaced();
    }

    @Test
    void aFifoAtTheSessionFilesNameIsIgnoredWithoutBeingOpenedAndReplaced() throws Exception {
        saveGoodSession();
        Files.delete(file());
        assertEquals(0, new ProcessBuilder("mkfifo", file().toString()).start().waitFor());

        String log = StandardError.printedWhile(() -> assertEquals(Optional.empty(), store().load(key)));

        assertTrue(log.contains("Ignoring the MFA session cache file " + file() + ": it is not a regular file"), log);
        assertIgnoredThenReplaced();
    }

    @Test
    void aFifoAtTheLockFilesNameIsReplacedWithoutBeingOpened() throws Exception {
        saveGoodSession();
        Path lockFile = store().lockFile(key);
        assertEquals(0, new ProcessBuilder("mkfifo", lockFile.toString()).start().waitFor());

        String log = StandardError.printedWhile(() -> assertEquals("ran", TestSessions.locked(store(), key, () -> "ran")));

        assertTrue(log.contains("Replacing the MFA session lock file " + lockFile + ": it is not a regular file"), log);
        assertPrivateRegularFile(lockFile);
    }

    @Test
    void aCacheFolderUnderAFolderOthersCanWriteIsNeitherReadNorWritten() throws IOException {
        Path shared = Files.createDirectory(home.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        CacheFolder underShared = TestSessions.folder(shared.resolve("cache"), Duration.ofSeconds(5));

        String log = StandardError.printedWhile(() -> {
            underShared.save(key, session("ASIASHARED", IN_12_HOURS));
            assertEquals(Optional.empty(), underShared.load(key));
        });

        assertTrue(log.contains("Could not save the MFA session for profile 'dev' to " + underShared.file(key) + ": " + shared
                                + " can be written by other users"), log);
        assertTrue(log.contains("chmod go-w " + shared), log);
        assertFalse(Files.exists(shared.resolve("cache")), "nothing was created in it");
    }

    @Test
    void anotherUsersCacheFolderInAStickyFolderIsRefusedNamingWhoCouldSwapIt() throws Exception {
        Path shared = Files.createDirectory(home.resolve("shared"));
        assertEquals(0, new ProcessBuilder("chmod", "1777", shared.toString()).start().waitFor());
        Path cache = Files.createDirectory(shared.resolve("cache"));
        UserPrincipal nobody = home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        try {
            Files.setOwner(cache, nobody);
        } catch (IOException e) {
            assumeTrue(false, "only root can give a folder to another user: " + e);
        }
        CacheFolder theirs = TestSessions.folder(cache, Duration.ofSeconds(5));

        String log = StandardError.printedWhile(() -> assertEquals(Optional.empty(), theirs.load(key)));

        assertTrue(log.contains("Ignoring the MFA session cache folder " + cache + ": " + shared + " is open to other users, and " + cache
                                + " in it is owned by nobody, who can replace it. Choose another mfa_cache_dir"), log);
        assertFalse(log.contains("chmod go-w"), "a sticky folder is open on purpose: the fix is a folder of one's own");
    }

    @Test
    void aRelativeCacheFolderIsNeitherReadNorWritten() {
        CacheFolder relative = TestSessions.folder(Path.of("relative-cache"), Duration.ofSeconds(5));

        String log = StandardError.printedWhile(() -> {
            relative.save(key, session("ASIARELATIVE", IN_12_HOURS));
            assertEquals(Optional.empty(), relative.load(key));
        });

        assertTrue(log.contains("Ignoring the MFA session cache folder relative-cache: it is a relative path"), log);
        assertTrue(log.contains("Set mfa_cache_dir to an absolute path"), log);
        assertFalse(Files.exists(Path.of("relative-cache")));
    }

    @Test
    void aFolderInPlaceOfTheFileIsIgnored() throws IOException {
        Files.createDirectories(file());

        assertEquals(Optional.empty(), store().load(key));
    }

    @Test
    void theWarningNamesTheFileButNeverItsContents() throws IOException {
        Session secretive = session("ASIASECRETIVE", IN_12_HOURS);
        store().save(key, secretive);
        String json = new String(Files.readAllBytes(file()), StandardCharsets.UTF_8);
        // Cut inside the secret, so that a parser's message would quote it.
        Files.write(file(), json.substring(0, json.indexOf("secret-of-") + 12).getBytes(StandardCharsets.UTF_8));

        String log = StandardError.printedWhile(() -> store().load(key));

        assertTrue(log.contains("WARN") && log.contains(file().toString()), log);
        assertFalse(log.contains("secret-of"), log);
        assertFalse(log.contains("ASIASECRETIVE"), log);
    }

    @Test
    void theWarningForAnUnparsableFileDoesNotQuoteIt() throws IOException {
        saveGoodSession();
        Files.write(file(), "hunter2-like-secret".getBytes(StandardCharsets.UTF_8));

        String log = StandardError.printedWhile(() -> store().load(key));

        assertTrue(log.contains(file().toString()), log);
        assertFalse(log.contains("hunter2"), log);
    }
}
