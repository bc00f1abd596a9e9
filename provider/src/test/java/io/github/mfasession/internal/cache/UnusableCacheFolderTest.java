package io.github.mfasession.internal.cache;

import static io.github.mfasession.internal.cache.TestSessions.key;
import static io.github.mfasession.internal.cache.TestSessions.session;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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

    /** A folder the process may not write to; root may write anywhere, so these tests need an ordinary user. */
    private Path readOnlyFolder() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root can write to a read-only folder");
        Path folder = Files.createDirectory(home.resolve("read-only"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-x------"));
        return folder;
    }

    /** A folder that cannot even be created, because a regular file is where a parent folder should be. */
    private Path uncreatableFolder() throws IOException {
        Path notAFolder = Files.createFile(home.resolve("not-a-folder"));
        return notAFolder.resolve("cache");
    }

    @Test
    void savingToAReadOnlyFolderWarnsAndDoesNotThrow() throws IOException {
        Path folder = readOnlyFolder();

        assertDoesNotThrow(() -> store(folder).save(key("dev"), session("ASIAREADONLY", IN_12_HOURS)));

        assertEquals(Optional.empty(), store(folder).load(key("dev")));
    }

    @Test
    void aReadOnlyFolderStillRunsTheLockedAction() throws IOException {
        Path folder = readOnlyFolder();

        assertEquals("ran", TestSessions.locked(store(folder), key("dev"), () -> "ran"));
        assertFalse(Files.exists(store(folder).lockFile(key("dev"))));
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
