package io.github.mfasession.internal.session;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Sessions kept for the life of the process, shared by every provider in it: a JDBC driver that builds a
 * provider per connection still prompts once.
 */
public final class MemorySessionStore implements SessionStore {

    private static final MemorySessionStore INSTANCE = new MemorySessionStore();

    private final Map<SessionKey, Session> sessions = new ConcurrentHashMap<>();

    private MemorySessionStore() {
    }

    public static MemorySessionStore instance() {
        return INSTANCE;
    }

    @Override
    public Optional<Session> load(SessionKey key) {
        return Optional.ofNullable(sessions.get(key));
    }

    @Override
    public void save(SessionKey key, Session session) {
        sessions.put(key, session);
    }

    @Override
    public <T> T locked(SessionKey key, Supplier<T> action) {
        return action.get();
    }

    /** Forgets every session of the profile, or all when the profile is null. */
    public void clear(String profile) {
        sessions.keySet().removeIf(key -> profile == null || key.profile().equals(profile));
    }
}
