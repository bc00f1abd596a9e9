package io.github.mfasession.internal.cache;

import static io.github.mfasession.internal.cache.TestSessions.key;
import static io.github.mfasession.internal.cache.TestSessions.session;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.OtherUser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cache folder that cannot be written or locked costs the sharing between processes, never the session. */
class UnusableCacheFolderTest {

    private static final Instant IN_12_HOURS = Instant.now().plus(Duration.ofHours(12));

    @TempDir
    Path home;

    private CacheFolder store(Path folder) {
        return TestSessions.folder(folder, Duration.ofSeconds(5));
    }

    @AfterEach
    void letTempDirCleanUp() throws IOException {
        Path readOnly = home.resolve("read-only");
        if (Files.exists(readOnly)) {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /**
     * A folder of another user that it may not write to, and that user: root may write anywhere, so the read-only
     * cases run in a JVM of a user created for the test.
     */
    private OtherUser readOnlyFolderOfAnotherUser() throws IOException {
        OtherUser user = OtherUser.named("mfa-cache-user");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path folder = Files.createDirectory(home.resolve("read-only"));
        user.owns(folder);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-x------"));
        return user;
    }

    private static String run(ProcessBuilder child) throws IOException, InterruptedException {
        Process process = child.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child finished");
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    /** A folder that cannot even be created, because a regular file is where a parent folder should be. */
    private Path uncreatableFolder() throws IOException {
        Path notAFolder = Files.createFile(home.resolve("not-a-folder"));
        return notAFolder.resolve("cache");
    }

    @Test
    void savingToAReadOnlyFolderWarnsAndDoesNotThrow() throws Exception {
        OtherUser user = readOnlyFolderOfAnotherUser();

        String output = run(user.java(ReadOnlyFolderChild.class, "save", home.resolve("read-only").toString()));

        assertTrue(output.contains("Could not save the MFA session for profile 'dev'") && output.contains("AccessDeniedException"), output);
        assertTrue(output.endsWith("LOADED false\n"), output);
    }

    @Test
    void aReadOnlyFolderStillRunsTheLockedAction() throws Exception {
        OtherUser user = readOnlyFolderOfAnotherUser();

        String output = run(user.java(ReadOnlyFolderChild.class, "lock", home.resolve("read-only").toString()));

        assertTrue(output.contains("Cannot lock the MFA session file"), output);
        assertTrue(output.endsWith("RAN ran LOCK FILE false\n"), output);
    }

    @Test
    void savingToAFolderThatCannotBeCreatedWarnsAndDoesNotThrow() throws IOException {
        Path folder = uncreatableFolder();

        assertDoesNotThrow(() -> store(folder).save(key("dev"), session("ASIANOFOLDER", IN_12_HOURS)));

        assertEquals(Optional.empty(), store(folder).load(key("dev")));
    }

    @Test
    void aFolderThatCannotBeCreatedStillRunsTheLockedAction() throws IOException {
        Path folder = uncreatableFolder();

        assertEquals("ran", TestSessions.locked(store(folder), key("dev"), () -> "ran"));
    }

    @Test
    void aFolderThatCannotBeCreatedListsAndClearsNothing() throws IOException {
        Path folder = uncreatableFolder();

        assertEquals(0, store(folder).list().size());
        assertEquals(List.of(), store(folder).clear(Optional.empty()).sessionFiles());
    }
}
