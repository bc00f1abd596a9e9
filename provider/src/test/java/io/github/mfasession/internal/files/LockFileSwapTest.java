package io.github.mfasession.internal.files;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lock file removed and created anew between our open and our lock: {@code clear} locks the file we opened, removes
 * it and releases it, and another process creates the name again and locks the new file. Our lock is then on a file
 * nobody can find any more, and must not count as holding the name.
 */
class LockFileSwapTest {

    private static final FileAttribute<?> PRIVATE = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    @TempDir
    Path home;
    private final AtomicReference<FileChannel> otherProcess = new AtomicReference<>();

    @AfterEach
    void reset() throws IOException {
        PrivateFolder.betweenOpenAndLock = () -> { };
        if (otherProcess.get() != null) {
            otherProcess.get().close();
        }
    }

    @Test
    void aLockFileReplacedBetweenOurOpenAndOurLockIsNotTakenForHeld() throws Exception {
        Path cache = home.resolve("cache");
        try (PrivateFolder folder = PrivateFolder.open(cache, "mfa_cache_dir", true)) {
            Path file = folder.file("dev.lock");
            Files.createFile(file, PRIVATE);
            PrivateFolder.betweenOpenAndLock = () -> {
                PrivateFolder.betweenOpenAndLock = () -> { };
                try {
                    // clear removes the file we opened; the next process creates the name again and holds it.
                    Files.delete(file);
                    FileChannel created = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), PRIVATE);
                    otherProcess.set(created);
                    FileLock held = created.tryLock();
                    assertNotNull(held);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };

            Optional<PrivateFolder.Lock> lock = folder.tryLock("dev.lock");

            assertFalse(lock.isPresent(), "the name's file is held by the other process");
            assertTrue(otherProcess.get().isOpen());
        }
    }
}
