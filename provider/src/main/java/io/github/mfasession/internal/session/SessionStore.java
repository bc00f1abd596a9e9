package io.github.mfasession.internal.session;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where sessions outlive one provider: process memory, or files shared by every process of the user.
 * Implementations never throw for an unusable cache: they warn and behave as if it were empty.
 */
public interface SessionStore {

    /** The stored session for the key, if there is one that can be trusted; it may be stale, the caller checks. */
    Optional<Session> load(SessionKey key);

    /** Keeps the session; a failure to keep it is logged, never thrown, so a session just obtained is never lost. */
    void save(SessionKey key, Session session);

    /**
     * Runs the action while holding the store's lock for the key, so that only one process at a time asks
     * for a code and calls STS. The caller already holds this process's lock for the key.
     */
    <T> T locked(SessionKey key, Supplier<T> action);
}
