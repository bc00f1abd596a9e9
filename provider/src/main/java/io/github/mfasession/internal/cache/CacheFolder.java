package io.github.mfasession.internal.cache;

import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.files.PrivateFolder;
import io.github.mfasession.internal.files.RejectedFile;
import io.github.mfasession.internal.files.UnusableFolder;
import io.github.mfasession.internal.session.Session;
import io.github.mfasession.internal.session.SessionKey;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions in files shared by every process of the user: one JSON file per session key
 * ({@link SessionKey#fileName()}) in a private folder (0700, files 0600, written atomically), and a lock file
 * beside each, so that processes starting together ask for one code and call STS once. Every operation opens
 * the folder anew and checks it ({@link PrivateFolder}); what is in it is trusted only as {@link PrivateFolder} says.
 *
 * <p>The disk never stands in the way of a session: a folder that cannot be trusted, created, written or locked
 * is warned about (once per problem) and the session is kept in memory. This class judges whether a file can be
 * trusted, never whether its session is fresh: that is the refresh policy's.
 */
public final class CacheFolder {

    /** How long to wait for another process that is getting the session: long enough for a person to type a code. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMinutes(5);

    static final String SESSION_SUFFIX = ".json";
    static final String LOCK_SUFFIX = ".lock";

    private static final Logger log = LoggerFactory.getLogger(CacheFolder.class);
    /** The setting that names the folder, in what to do when it cannot be used. */
    private static final String SETTING = "mfa_cache_dir";

    private final Path path;
    private final Duration lockTimeout;
    /** The warnings already given: one warning per problem, not one per call. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** The folder as configured; nothing is created or checked until it is used. */
    public CacheFolder(Path path) {
        this(path, DEFAULT_LOCK_TIMEOUT);
    }

    /** With the longest wait for another process's lock. */
    public CacheFolder(Path path, Duration lockTimeout) {
        this.path = Objects.requireNonNull(path, "path");
        this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
    }

    /** The folder as configured. */
    public Path path() {
        return path;
    }

    /** The file that holds, or would hold, the key's session. */
    public Path file(SessionKey key) {
        return path.resolve(key.fileName());
    }

    /** The lock file that processes take turns on to get the key's session. */
    public Path lockFile(SessionKey key) {
        return path.resolve(lockName(key));
    }

    private static String lockName(SessionKey key) {
        return key.fileName() + LOCK_SUFFIX;
    }

    /**
     * The key's session from its file, whatever its age, if the folder and the file can be trusted and the file
     * holds a session of this key. Anything else is no session, with a warning that names the file, never its
     * contents. Needs no lock: a file is replaced by a rename, so it is read whole, old or new.
     */
    public Optional<Session> load(SessionKey key) {
        try (PrivateFolder folder = PrivateFolder.open(path, SETTING, false)) {
            return read(folder, key.fileName()).filter(stored -> belongs(stored, key)).map(SessionFile::session);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (UnusableFolder e) {
            warnOnce("Ignoring the MFA session cache folder {}: {}. Sessions are not read from it.", path, e.of(path));
        } catch (IOException | RuntimeException e) {
            warnOnce("Cannot read the MFA session cache folder {} ({}); no cached session is used.", path, e.toString());
        }
        return Optional.empty();
    }

    private boolean belongs(SessionFile stored, SessionKey key) {
        if (!stored.belongsTo(key)) {
            warnOnce("Ignoring the MFA session cache file {}: it {}.", file(key), "was written for another profile, MFA device or role");
            return false;
        }
        if (!stored.madeWith(key)) {
            log.debug("The cached role session in {} belongs to other keys, or to an earlier version; a new one is needed.", file(key));
            return false;
        }
        return true;
    }

    /** The file's session if it is there and can be trusted, whatever the session's age and key. */
    private Optional<SessionFile> read(PrivateFolder folder, String name) throws IOException {
        byte[] json = null;
        try {
            json = folder.read(name, SessionFile.MAX_BYTES);
            return Optional.of(SessionFile.read(json));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (RejectedFile e) {
            warnOnce("Ignoring the MFA session cache file {}: it {}.", folder.file(name), e.getMessage());
            return Optional.empty();
        } finally {
            if (json != null) {
                Arrays.fill(json, (byte) 0);
            }
        }
    }

    /**
     * Writes the key's session to its file, replacing any older one; a failure is warned about, never thrown, so
     * a session just obtained is never lost. A session whose file would be larger than a reader accepts is not
     * written at all.
     */
    public void save(SessionKey key, Session session) {
        byte[] json = SessionFile.write(key, session);
        try {
            if (json.length > SessionFile.MAX_BYTES) {
                warnOnce("Not saving the MFA session for profile '{}' to {}: at {} it would be larger than the {} bytes a session file"
                         + " may have. This process keeps it in memory; other processes will ask for their own.",
                         key.profile(), file(key), json.length + " bytes", SessionFile.MAX_BYTES);
                return;
            }
            try (PrivateFolder folder = PrivateFolder.open(path, SETTING, true)) {
                folder.writeAtomically(key.fileName(), json);
            }
            log.debug("Saved the MFA session for profile {} to {}", key.profile(), file(key));
        } catch (UnusableFolder e) {
            warnOnce("Could not save the MFA session for profile '{}' to {}: {}. This process keeps it in memory, other processes will"
                     + " ask for their own.", key.profile(), file(key), e.of(path));
        } catch (IOException | RuntimeException e) {
            warnOnce("Could not save the MFA session for profile '{}' to {} ({}); this process keeps it in memory,"
                     + " other processes will ask for their own.", key.profile(), file(key), e.toString());
        } finally {
            Arrays.fill(json, (byte) 0);
        }
    }

    /**
     * This process's turn at the key's lock file: one process at a time on the machine. The operating system
     * releases the lock when its process ends, however it ends, so a crashed process never blocks the others.
     * When the folder cannot hold a lock file, the turn is given without one, after a warning: a read-only cache
     * must not stop anyone from getting a session.
     *
     * @param wait whether to wait (at most the lock timeout) for another process that holds it
     * @return the turn, to be closed; empty when another process holds it and {@code wait} is false
     * @throws MfaSessionException naming the lock file, when the wait times out or the thread is interrupted
     */
    public Optional<Lock> lock(SessionKey key, boolean wait) {
        Duration patience = wait ? lockTimeout : Duration.ZERO;
        try (PrivateFolder folder = PrivateFolder.open(path, SETTING, true)) {
            Optional<PrivateFolder.Lock> held;
            try {
                held = folder.lock(lockName(key), patience);
            } catch (RejectedFile e) {
                // Never opened, so a FIFO cannot block and another user's lock cannot hold anyone up: made anew.
                log.warn("Replacing the MFA session lock file {}: it {}.", lockFile(key), e.getMessage());
                folder.delete(lockName(key));
                held = folder.lock(lockName(key), patience);
            }
            if (held.isEmpty() && wait) {
                throw timedOut(key);
            }
            return held.map(Lock::new);
        } catch (InterruptedException | ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            throw MfaSessionException.create("Interrupted while waiting for the lock file " + lockFile(key)
                                             + " to get the MFA session for profile '" + key.profile() + "'.", e);
        } catch (UnusableFolder e) {
            warnUncoordinated(key, e.of(path));
        } catch (RejectedFile e) {
            warnUncoordinated(key, "it " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            if (e instanceof MfaSessionException) {
                throw (MfaSessionException) e;
            }
            // A read-only folder, or a file system without locks, such as some network shares.
            warnUncoordinated(key, e.toString());
        }
        return Optional.of(Lock.NONE);
    }

    private void warnUncoordinated(SessionKey key, String reason) {
        warnOnce("Cannot lock the MFA session file {} ({}); this process gets its session without waiting for other processes,"
                 + " which may ask for an MFA code too.", lockFile(key), reason);
    }

    private MfaSessionException timedOut(SessionKey key) {
        return MfaSessionException.create(
            "Gave up after " + describe(lockTimeout) + " waiting for another process to finish getting the MFA session for profile '"
            + key.profile() + "': it still holds the lock file " + lockFile(key) + ". If no other process is asking for an MFA code,"
            + " find the process that holds it (lsof " + lockFile(key) + ") and end it; a lock is released when its process ends.");
    }

    static String describe(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        long seconds = duration.getSeconds();
        return seconds % 60 == 0 ? seconds / 60 + " minute" + (seconds == 60 ? "" : "s") : seconds + " seconds";
    }

    /**
     * Every entry of the folder and what it holds or why it is not used; for {@code status}. Never a secret. The
     * folder's own problem, if it cannot be used, is in the listing instead of entries.
     */
    public Listing inspect() {
        try (PrivateFolder folder = PrivateFolder.open(path, SETTING, false)) {
            List<CachedFile> files = new ArrayList<>();
            List<String> names = folder.names();
            Collections.sort(names);
            for (String name : names) {
                files.add(inspect(folder, name));
            }
            files.sort(Comparator.comparing((CachedFile f) -> f.session().map(StoredSession::profile).orElse("\uffff"))
                                 .thenComparing(f -> f.file().getFileName().toString()));
            return new Listing(path, null, files);
        } catch (NoSuchFileException e) {
            return new Listing(path, null, List.of());
        } catch (UnusableFolder e) {
            return new Listing(path, e.of(path), List.of());
        } catch (IOException | RuntimeException e) {
            return new Listing(path, "it cannot be read (" + e + ")", List.of());
        }
    }

    private CachedFile inspect(PrivateFolder folder, String name) throws IOException {
        CachedFile.Kind kind = CachedFile.kindOf(name);
        Path file = folder.file(name);
        if (kind != CachedFile.Kind.SESSION) {
            return folder.problem(name).map(problem -> new CachedFile(file, kind, CachedFile.Trouble.UNTRUSTED, problem))
                         .orElseGet(() -> new CachedFile(file, kind, null));
        }
        byte[] json = null;
        try {
            try {
                json = folder.read(name, SessionFile.MAX_BYTES);
            } catch (RejectedFile e) {
                return new CachedFile(file, kind, CachedFile.Trouble.UNTRUSTED, e.getMessage());
            }
            SessionFile stored = SessionFile.read(json);
            return new CachedFile(file, kind, new StoredSession(stored.profile(), stored.mfaSerial(), stored.roleArn().orElse(null),
                                                                stored.session(), file));
        } catch (RejectedFile e) {
            return new CachedFile(file, kind, CachedFile.Trouble.CORRUPT, e.getMessage());
        } catch (NoSuchFileException e) {
            return new CachedFile(file, kind, CachedFile.Trouble.UNREADABLE, "was removed while it was being read");
        } catch (IOException e) {
            return new CachedFile(file, kind, CachedFile.Trouble.UNREADABLE, "cannot be read (" + e + ")");
        } finally {
            if (json != null) {
                Arrays.fill(json, (byte) 0);
            }
        }
    }

    /**
     * The trusted sessions in the folder, expired ones included, by profile and then expiration; for {@code status}.
     */
    public List<StoredSession> list() {
        List<StoredSession> sessions = new ArrayList<>();
        Listing listing = inspect();
        listing.problem().ifPresent(problem -> warnOnce("Ignoring the MFA session cache folder {}: {}.", path, problem));
        for (CachedFile file : listing.files()) {
            file.session().ifPresent(sessions::add);
            if (file.kind() == CachedFile.Kind.SESSION && file.problem().isPresent()) {
                warnOnce("Ignoring the MFA session cache file {}: it {}.", file.file(), file.problem().get());
            }
        }
        sessions.sort(Comparator.comparing(StoredSession::profile).thenComparing(StoredSession::expiration));
        return sessions;
    }

    /**
     * Forgets cached sessions, so the next use asks for a code; for {@code clear}. Removes the session files of the
     * profile (by the profile they hold, or for a file that cannot be read, by its name), or every session file when
     * no profile is given, and then the lock files of the same sessions that no process holds, each while holding
     * it, so no process waiting on one is left holding a lock file that is no longer there. An entry is removed, never
     * opened or followed, when it is a link, a FIFO or a file open to others; a lock file another process holds is
     * kept, and so is anything of another user's, a folder, and every entry whose name is not the cache's.
     *
     * @throws MfaSessionException naming the file, when a file cannot be deleted
     */
    public Cleared clear(Optional<String> profile) {
        Listing listing = inspect();
        if (listing.problem().isPresent()) {
            return new Cleared(List.of(), List.of(), List.of(), Map.of(), listing.problem().get());
        }
        List<Path> sessions = new ArrayList<>();
        List<Path> locks = new ArrayList<>();
        List<Path> kept = new ArrayList<>();
        Map<Path, String> left = new LinkedHashMap<>();
        try (PrivateFolder folder = PrivateFolder.open(path, SETTING, false)) {
            Set<String> cleared = new HashSet<>();
            for (CachedFile file : listing.files()) {
                String name = file.file().getFileName().toString();
                if (file.kind() == CachedFile.Kind.SESSION && ofProfile(file, name, profile)) {
                    cleared.add(name);
                    if (removable(folder, name, left)) {
                        delete(folder, name);
                        sessions.add(file.file());
                    }
                }
            }
            for (CachedFile file : listing.files()) {
                String name = file.file().getFileName().toString();
                String sessionName = name.substring(0, name.length() - LOCK_SUFFIX.length());
                if (file.kind() != CachedFile.Kind.LOCK
                    || !(cleared.contains(sessionName) || profile.map(p -> SessionKey.isFileNameOf(p, sessionName)).orElse(true))
                    || !removable(folder, name, left)) {
                    continue;
                }
                if (removeLock(folder, name)) {
                    locks.add(file.file());
                } else {
                    kept.add(file.file());
                }
            }
        } catch (NoSuchFileException e) {
            // Nothing to forget.
        } catch (UnusableFolder e) {
            return new Cleared(sessions, locks, kept, left, e.of(path));
        } catch (IOException e) {
            throw MfaSessionException.create("Could not clear the MFA session cache folder " + path + " (" + e + ").", e);
        }
        return new Cleared(sessions, locks, kept, left, null);
    }

    /** A session file of the profile: by the profile it holds, or when it cannot be read, by its name. */
    private static boolean ofProfile(CachedFile file, String name, Optional<String> profile) {
        if (profile.isEmpty()) {
            return true;
        }
        return file.session().map(s -> s.profile().equals(profile.get())).orElseGet(() -> SessionKey.isFileNameOf(profile.get(), name));
    }

    /** Whether the entry may go: not another user's (theirs to remove) and not a folder; else why it stays, in {@code left}. */
    private static boolean removable(PrivateFolder folder, String name, Map<Path, String> left) throws IOException {
        Optional<String> owner = folder.otherOwner(name);
        if (owner.isPresent()) {
            left.put(folder.file(name), "it is owned by " + owner.get() + ", not by you");
            return false;
        }
        if (folder.isFolder(name)) {
            left.put(folder.file(name), "it is a folder");
            return false;
        }
        return true;
    }

    private static void delete(PrivateFolder folder, String name) {
        try {
            folder.delete(name);
        } catch (IOException e) {
            throw MfaSessionException.create("Could not delete the cached MFA session " + folder.file(name) + " (" + e + "). Delete the file by hand.", e);
        }
    }

    /** Removes a lock file that no process holds, while holding it; false when it is in use. */
    private static boolean removeLock(PrivateFolder folder, String name) throws IOException {
        try (PrivateFolder.Lock held = folder.tryLock(name).orElse(null)) {
            if (held == null) {
                return false;
            }
            delete(folder, name);
            return true;
        } catch (RejectedFile e) {
            // Nobody can wait on what is not a lock file of ours (a link, a FIFO, a file open to others): never opened, removed.
            delete(folder, name);
            return true;
        }
    }

    private void warnOnce(String message, Object... arguments) {
        String key = message + Arrays.toString(arguments);
        if (warned.add(key)) {
            log.warn(message, arguments);
        } else {
            log.debug(message, arguments);
        }
    }

    @Override
    public String toString() {
        return "CacheFolder(" + path + ")";
    }

    /** A turn at a lock file; closing it lets the next process have its turn. */
    public static final class Lock implements AutoCloseable {

        /** A turn taken without a lock file, in a folder that cannot hold one. */
        static final Lock NONE = new Lock(null);

        private final PrivateFolder.Lock held;

        private Lock(PrivateFolder.Lock held) {
            this.held = held;
        }

        @Override
        public void close() {
            if (held != null) {
                held.close();
            }
        }
    }

    /** What {@link #inspect()} found. */
    public static final class Listing {
        private final Path folder;
        private final String problem;
        private final List<CachedFile> files;

        Listing(Path folder, String problem, List<CachedFile> files) {
            this.folder = folder;
            this.problem = problem;
            this.files = List.copyOf(files);
        }

        public Path folder() {
            return folder;
        }

        /** Why the folder is not used, as "it ..." or the parent at fault, and what to do; empty when it is used. */
        public Optional<String> problem() {
            return Optional.ofNullable(problem);
        }

        /** Every entry, trusted sessions first by profile; empty when there is no folder. */
        public List<CachedFile> files() {
            return files;
        }
    }

    /** What {@link #clear(Optional)} removed, and what it left. */
    public static final class Cleared {
        private final List<Path> sessionFiles;
        private final List<Path> lockFiles;
        private final List<Path> lockFilesInUse;
        private final Map<Path, String> left;
        private final String problem;

        Cleared(List<Path> sessionFiles, List<Path> lockFiles, List<Path> lockFilesInUse, Map<Path, String> left, String problem) {
            this.sessionFiles = List.copyOf(sessionFiles);
            this.lockFiles = List.copyOf(lockFiles);
            this.lockFilesInUse = List.copyOf(lockFilesInUse);
            this.left = Collections.unmodifiableMap(new LinkedHashMap<>(left));
            this.problem = problem;
        }

        /** The session files removed (ones that could not be read included). */
        public List<Path> sessionFiles() {
            return sessionFiles;
        }

        /** The lock files removed: no process held them. */
        public List<Path> lockFiles() {
            return lockFiles;
        }

        /** The lock files kept because another process holds them (it is getting that session now). */
        public List<Path> lockFilesInUse() {
            return lockFilesInUse;
        }

        /** The cache's entries it did not remove, with why, as "it ..." continues it: another user's, a folder. */
        public Map<Path, String> left() {
            return left;
        }

        /** Why nothing could be cleared; empty when the folder was used (or is not there). */
        public Optional<String> problem() {
            return Optional.ofNullable(problem);
        }
    }
}
