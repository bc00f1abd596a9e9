package io.github.mfasession.internal.cache;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One entry of the cache folder as {@code status} and {@code clear} report it: what it is, the session it holds
 * (never a secret), or why it is not used. A session file whose session has expired holds a session and is still
 * used by nobody; telling that apart is the reader's, who knows the time.
 */
public final class CachedFile {

    /** What an entry is, by its name. */
    public enum Kind {
        /** {@code <profile>-<digest>.json}: a session. */
        SESSION,
        /** {@code <session file>.lock}: processes take turns on it to get that session. */
        LOCK,
        /** {@code .<session file>.<random>.tmp}: a session being written, or left by a process that was killed while writing. */
        TEMPORARY,
        /** Anything else: not ours. */
        OTHER
    }

    /** Why an entry is not used. */
    public enum Trouble {
        /** Its attributes: a link, a folder, a FIFO or other non-regular file, another user's, open to others, too large. Never opened. */
        UNTRUSTED,
        /** A private file of this user, read, that does not hold a session in this format. */
        CORRUPT,
        /** Trusted, but reading it failed. */
        UNREADABLE
    }

    private final Path file;
    private final Kind kind;
    private final StoredSession session;
    private final Trouble trouble;
    private final String problem;

    CachedFile(Path file, Kind kind, StoredSession session) {
        this(file, kind, session, null, null);
    }

    CachedFile(Path file, Kind kind, Trouble trouble, String problem) {
        this(file, kind, null, trouble, problem);
    }

    private CachedFile(Path file, Kind kind, StoredSession session, Trouble trouble, String problem) {
        this.file = file;
        this.kind = kind;
        this.session = session;
        this.trouble = trouble;
        this.problem = problem;
    }

    static Kind kindOf(String name) {
        if (name.startsWith(".") && name.endsWith(".tmp")) {
            return Kind.TEMPORARY;
        }
        if (name.endsWith(CacheFolder.SESSION_SUFFIX + CacheFolder.LOCK_SUFFIX)) {
            return Kind.LOCK;
        }
        return name.endsWith(CacheFolder.SESSION_SUFFIX) ? Kind.SESSION : Kind.OTHER;
    }

    public Path file() {
        return file;
    }

    public Kind kind() {
        return kind;
    }

    /** The session the file holds, if it is a session file that can be trusted (expired or not). */
    public Optional<StoredSession> session() {
        return Optional.ofNullable(session);
    }

    /**
     * Why the file is not used, as "it ..." continues it: not trusted and why (a link, another user's, open to
     * others, too large, corrupt, another profile's), or unreadable. Empty for a trusted session file and for a
     * lock file that passes the same checks.
     */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** What kind of reason {@link #problem()} gives; empty when there is none. */
    public Optional<Trouble> trouble() {
        return Optional.ofNullable(trouble);
    }

    @Override
    public String toString() {
        return "CachedFile(" + file + ", " + kind + (session == null ? "" : ", " + session) + (problem == null ? "" : ", it " + problem) + ")";
    }
}
