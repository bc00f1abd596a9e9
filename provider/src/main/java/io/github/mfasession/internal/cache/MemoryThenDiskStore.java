package io.github.mfasession.internal.cache;

import io.github.mfasession.internal.session.Session;
import io.github.mfasession.internal.session.SessionKey;
import io.github.mfasession.internal.session.SessionStore;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@code disk} cache mode: this process's memory first, then the shared files. Providers of one
 * process (a JDBC driver builds one per connection) share a session without reading its file, and keep
 * sharing it when the folder cannot be written.
 */
public final class MemoryThenDiskStore implements SessionStore {

    private final SessionStore memory;
    private final DiskSessionStore disk;
    private final Clock clock;

    /** A store that keeps sessions in both, and prefers a fresh one in memory to reading the disk. */
    public MemoryThenDiskStore(SessionStore memory, DiskSessionStore disk, Clock clock) {
        this.memory = memory;
        this.disk = disk;
        this.clock = clock;
    }

    /** The session in memory while it is fresh; otherwise the one on disk, which another process may have renewed. */
    @Override
    public Optional<Session> load(SessionKey key) {
        Optional<Session> inMemory = memory.load(key);
        if (inMemory.isPresent() && inMemory.get().isFreshAt(clock.millis())) {
            return inMemory;
        }
        Optional<Session> onDisk = disk.load(key);
        return onDisk.isPresent() ? onDisk : inMemory;
    }

    /** Keeps the session in memory, then writes it to disk; a disk failure is logged by the disk store. */
    @Override
    public void save(SessionKey key, Session session) {
        memory.save(key, session);
        disk.save(key, session);
    }

    /** Runs the action holding the disk store's lock for the key, shared with other processes. */
    @Override
    public <T> T locked(SessionKey key, Supplier<T> action) {
        return disk.locked(key, action);
    }

    @Override
    public String toString() {
        return "MemoryThenDiskStore(" + disk.folder() + ")";
    }
}
