package io.github.mfasession.internal.cache;

import io.github.mfasession.MfaSessionException;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process at a time on the machine: an operating-system lock on a small lock file per session. The
 * system releases the lock when its process ends, however it ends, so a crashed process never blocks the
 * others. Lock files are left in place: deleting one while another process waits on it would let two
 * processes each lock a different file of the same name.
 *
 * <p>The wait is bounded, because the process holding the lock may be waiting for a person to type a
 * code, or may hang. When the folder cannot hold a lock file, the action runs without one, after a warning:
 * a read-only cache must not stop anyone from getting a session.
 */
final class CrossProcessLock {

    private static final Logger log = LoggerFactory.getLogger(CrossProcessLock.class);
    /**
     * The operating system's lock belongs to the whole process, and Java refuses a second lock on the
     * same file from one process, so threads of this process take turns on this lock first.
     */
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    private static final long FIRST_PAUSE_MILLIS = 5;
    private static final long MAX_PAUSE_MILLIS = 100;

    private final CacheFolder folder;
    private final Duration timeout;
    private final AtomicBoolean warned = new AtomicBoolean();

    CrossProcessLock(CacheFolder folder, Duration timeout) {
        this.folder = folder;
        this.timeout = timeout;
    }

    /**
     * Runs the action holding the lock file's lock.
     *
     * @throws MfaSessionException naming the lock file, when the wait times out or the thread is interrupted
     */
    <T> T call(Path lockFile, String profile, Supplier<T> action) {
        ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(lockFile, file -> new ReentrantLock());
        if (inProcess.isHeldByCurrentThread()) {
            // A nested call: the outer one already holds both locks.
            return action.get();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!inProcess.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw timedOut(lockFile, profile);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(lockFile, profile, e);
        }
        try {
            FileChannel held = lockAcrossProcesses(lockFile, profile, deadline);
            try {
                return action.get();
            } finally {
                if (held != null) {
                    closeQuietly(held, lockFile);
                }
            }
        } finally {
            inProcess.unlock();
        }
    }

    /** The open lock file, locked; closing it releases the lock. Null when the folder cannot hold a lock. */
    private FileChannel lockAcrossProcesses(Path lockFile, String profile, long deadline) {
        FileChannel channel;
        try {
            folder.prepare();
            channel = folder.openLockFile(lockFile);
        } catch (IOException | RuntimeException e) {
            warnUncoordinated(lockFile, e);
            return null;
        }
        boolean locked = false;
        try {
            long pause = FIRST_PAUSE_MILLIS;
            while (!tryLock(channel)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw timedOut(lockFile, profile);
                }
                Thread.sleep(Math.min(pause, TimeUnit.NANOSECONDS.toMillis(left) + 1));
                pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
            }
            locked = true;
            return channel;
        } catch (InterruptedException | ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            throw interrupted(lockFile, profile, e);
        } catch (IOException e) {
            // A file system without locks, such as some network shares.
            warnUncoordinated(lockFile, e);
            return null;
        } finally {
            if (!locked) {
                closeQuietly(channel, lockFile);
            }
        }
    }

    private static boolean tryLock(FileChannel channel) throws IOException {
        try {
            FileLock lock = channel.tryLock();
            return lock != null;
        } catch (OverlappingFileLockException e) {
            // This process holds the file under another path (a linked folder): wait for it like for any other holder.
            return false;
        }
    }

    private void warnUncoordinated(Path lockFile, Exception e) {
        String message = "Cannot lock the MFA session file {} ({}); this process gets its session without waiting for"
                         + " other processes, which may ask for an MFA code too.";
        if (warned.compareAndSet(false, true)) {
            log.warn(message, lockFile, e.toString());
        } else {
            log.debug(message, lockFile, e.toString());
        }
    }

    private MfaSessionException timedOut(Path lockFile, String profile) {
        return MfaSessionException.create(
            "Gave up after " + describe(timeout) + " waiting for another process to finish getting the MFA session for profile '"
            + profile + "': it still holds the lock file " + lockFile + ". If no other process is asking for an MFA code, try again;"
            + " a lock is released when the process holding it ends.");
    }

    private static MfaSessionException interrupted(Path lockFile, String profile, Exception cause) {
        return MfaSessionException.create("Interrupted while waiting for the lock file " + lockFile
                                          + " to get the MFA session for profile '" + profile + "'.", cause);
    }

    private static String describe(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        long seconds = duration.getSeconds();
        return seconds % 60 == 0 ? seconds / 60 + " minute" + (seconds == 60 ? "" : "s") : seconds + " seconds";
    }

    private static void closeQuietly(FileChannel channel, Path lockFile) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("Could not close the lock file {}", lockFile, e);
        }
    }
}
