package io.github.mfasession.internal.cache;

import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.session.Session;
import io.github.mfasession.internal.session.SessionKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one cache of a session key in this process: the session in memory, always, and in the cache folder when
 * the disk cache is on; and the key's one lock in this process, taken before (around) the folder's lock file.
 * Providers built separately (a JDBC driver builds one per connection) get the same cache, so they share the
 * session and its lock. It keeps and shares sessions; whether one is fresh is the refresh policy's to say, and
 * where a new one comes from is the caller's.
 */
public final class SessionCache {

    /** Every cache of this process, by key and folder (none for the memory cache). */
    private static final Map<Object, SessionCache> PROCESS = new ConcurrentHashMap<>();

    private final SessionKey key;
    private final CacheFolder folder;
    private final ReentrantLock lock = new ReentrantLock();
    private final Duration lockTimeout;
    private volatile Session current;
    /** Guarded by {@link #lock}: whether the holder holds the folder's lock file too. */
    private boolean heldAcrossProcesses;
    /** Guarded by {@link #lock}: renewals ended so far, and the last that failed with no session to fall back on. */
    private volatile long renewalsEnded;
    private RuntimeException lastFailure;
    private long lastFailureAt;

    private SessionCache(SessionKey key, CacheFolder folder, Duration lockTimeout) {
        this.key = key;
        this.folder = folder;
        this.lockTimeout = lockTimeout;
    }

    /**
     * This process's cache of the key: in memory only, or in memory and in the folder.
     *
     * @param folder the cache folder ({@code mfa_cache_dir}); empty for {@code mfa_cache = memory}
     */
    public static SessionCache of(SessionKey key, Optional<Path> folder) {
        return of(key, folder, CacheFolder.DEFAULT_LOCK_TIMEOUT);
    }

    /** With the longest wait for another thread or process that is getting the session. */
    public static SessionCache of(SessionKey key, Optional<Path> folder, Duration lockTimeout) {
        return PROCESS.computeIfAbsent(Arrays.asList(key, folder.orElse(null)),
                                       k -> new SessionCache(key, folder.map(f -> new CacheFolder(f, lockTimeout)).orElse(null), lockTimeout));
    }

    /** Forgets the sessions of the profile (all, when null) in this process's memory; their files stay. */
    public static void forgetInMemory(String profile) {
        PROCESS.values().stream().filter(cache -> profile == null || cache.key.profile().equals(profile)).forEach(cache -> cache.current = null);
    }

    public SessionKey key() {
        return key;
    }

    /** The cache folder, when the disk cache is on. */
    public Optional<CacheFolder> folder() {
        return Optional.ofNullable(folder);
    }

    /** The session in memory, or null: one volatile read, for the hot path. */
    public Session inMemory() {
        return current;
    }

    /**
     * The session in memory, or the one in the folder when that is later (another process renewed it, or backed
     * off from renewing it); the later one is kept in memory. Null when there is none.
     */
    public Session read() {
        Session inMemory = current;
        if (folder == null) {
            return inMemory;
        }
        Session later = Session.later(inMemory, folder.load(key).orElse(null));
        if (later != inMemory) {
            current = later;
        }
        return later;
    }

    /** Keeps the session in memory, then in the folder; a folder that cannot keep it is warned about, never an error. */
    public void save(Session session) {
        current = session;
        if (folder != null) {
            folder.save(key, session);
        }
    }

    /** How many renewals have ended; read before waiting for the lock, for {@link #failedRenewalSince}. */
    public long renewalsEnded() {
        return renewalsEnded;
    }

    /** Holding the lock: a renewal ended, with the failure that leaves the caller without a session, or null. */
    public void renewalEnded(RuntimeException failure) {
        requireLock();
        renewalsEnded++;
        if (failure != null) {
            lastFailure = failure;
            lastFailureAt = renewalsEnded;
        }
    }

    /**
     * Holding the lock: the failure of a renewal that ended after {@code renewalsEnded} was read, if one failed. A
     * thread that waited through another one's failed renewal fails with it instead of asking for a code again.
     */
    public Optional<RuntimeException> failedRenewalSince(long renewalsEnded) {
        requireLock();
        return lastFailureAt > renewalsEnded ? Optional.of(lastFailure) : Optional.empty();
    }

    private void requireLock() {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("the lock of " + key + " in this process is not held");
        }
    }

    /**
     * Runs the action holding this key's lock in this process: one thread at a time gets a session.
     *
     * @param wait whether to wait (at most the lock timeout) for another thread that holds it
     * @return the action's result; empty when another thread holds the lock and {@code wait} is false
     * @throws MfaSessionException when the wait times out or the thread is interrupted
     */
    public <T> Optional<T> lockedInProcess(boolean wait, Supplier<T> action) {
        try {
            boolean locked = wait ? lock.tryLock(lockTimeout.toNanos(), TimeUnit.NANOSECONDS) : lock.tryLock();
            if (!locked && !wait) {
                return Optional.empty();
            }
            if (!locked) {
                throw MfaSessionException.create(
                    "Gave up after " + CacheFolder.describe(lockTimeout) + " waiting for another thread of this process to finish getting the"
                    + " MFA session for profile '" + key.profile() + "'. If nobody is asking for an MFA code, try again.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MfaSessionException.create("Interrupted while waiting for the MFA session of profile '" + key.profile() + "'.", e);
        }
        try {
            return Optional.of(action.get());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Inside {@link #lockedInProcess}: runs the action holding the key's lock file too, so one process at a time on
     * the machine gets a session. A memory cache has nothing more to hold; a folder that cannot hold a lock file
     * gives the turn without one, after a warning.
     *
     * @param wait whether to wait (at most the lock timeout) for another process that holds it
     * @return the action's result; empty when another process holds the lock file and {@code wait} is false
     * @throws MfaSessionException naming the lock file, when the wait times out or the thread is interrupted
     */
    public <T> Optional<T> lockedAcrossProcesses(boolean wait, Supplier<T> action) {
        requireLock();
        if (folder == null || heldAcrossProcesses) {
            return Optional.of(action.get());
        }
        Optional<CacheFolder.Lock> turn = folder.lock(key, wait);
        if (turn.isEmpty()) {
            return Optional.empty();
        }
        try (CacheFolder.Lock held = turn.get()) {
            heldAcrossProcesses = true;
            return Optional.of(action.get());
        } finally {
            heldAcrossProcesses = false;
        }
    }

    @Override
    public String toString() {
        return "SessionCache(" + key + (folder == null ? ", memory" : ", " + folder.path()) + ")";
    }
}
