package io.github.mfasession.internal.cache;

import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.session.Session;
import io.github.mfasession.internal.session.SessionKey;
import io.github.mfasession.internal.session.SessionStore;
import io.github.mfasession.internal.session.StsSessionFetcher;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions in files shared by every process of the user: one JSON file per profile, base access key and
 * MFA device ({@link SessionKey#fileName()}) in a private folder (0700, files 0600, written atomically),
 * and a lock file beside each, so that processes starting together ask for one code and call STS once.
 *
 * <p>A file is used only if it can be trusted: a regular file, owned by this user, open to nobody else,
 * complete JSON in this format version, for this profile and device, not expired. Anything else is
 * ignored with a warning naming the file (never its contents) and replaced by the next session. The
 * cache never stands in the way of a session: a folder that cannot be written or locked is warned about
 * and the session is kept in memory only.
 *
 * <p>Where the file system has no POSIX permissions (Windows), the files get the access rules of the
 * folder they are in, which under the user's profile folder (the default,
 * {@code %USERPROFILE%\.aws\mfa-session\cache}) admit only the user and the administrators; owner and
 * mode checks are skipped there, symbolic links are still refused.
 */
public final class DiskSessionStore implements SessionStore {

    /** How long to wait for another process that is getting the session: long enough for a person to type a code. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(DiskSessionStore.class);
    private static final String SESSION_FILES = "*.json";
    private static final String LOCK_SUFFIX = ".lock";

    private final CacheFolder folder;
    private final Duration refreshBefore;
    private final Clock clock;
    private final CrossProcessLock lock;

    /**
     * A store in the folder, renewing sessions read from it the given margin before they expire, waiting
     * at most {@link #DEFAULT_LOCK_TIMEOUT} for another process. Creates nothing until a session is saved
     * or locked.
     */
    public DiskSessionStore(Path folder, Duration refreshBefore) {
        this(folder, refreshBefore, DEFAULT_LOCK_TIMEOUT, Clock.systemUTC());
    }

    /** As {@link #DiskSessionStore(Path, Duration)}, with the longest wait for another process's lock and the clock to use. */
    public DiskSessionStore(Path folder, Duration refreshBefore, Duration lockTimeout, Clock clock) {
        this.folder = new CacheFolder(Objects.requireNonNull(folder, "folder"));
        this.refreshBefore = Objects.requireNonNull(refreshBefore, "refreshBefore");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lock = new CrossProcessLock(this.folder, Objects.requireNonNull(lockTimeout, "lockTimeout"));
    }

    /** The cache folder, absolute. */
    public Path folder() {
        return folder.path();
    }

    /** The file that holds, or would hold, the key's session. */
    public Path file(SessionKey key) {
        return folder.file(key.fileName());
    }

    /** The lock file that processes take turns on to get the key's session. */
    public Path lockFile(SessionKey key) {
        return folder.file(key.fileName() + LOCK_SUFFIX);
    }

    /**
     * The key's session from its file, if the file is there, trusted and not expired. It is renewed at the
     * time the process that obtained it chose, or earlier if this store's margin says so.
     */
    @Override
    public Optional<Session> load(SessionKey key) {
        if (!folder.readable()) {
            return Optional.empty();
        }
        Path file = file(key);
        Optional<SessionFile> read = read(file);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        SessionFile stored = read.get();
        if (!stored.belongsTo(key)) {
            warnIgnored(file, "was written for another profile, MFA device or role");
            return Optional.empty();
        }
        if (!stored.madeWith(key)) {
            log.debug("The cached role session in {} was assumed with an earlier session of its source profile; a new one is needed.", file);
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!stored.expiration().isAfter(now)) {
            log.debug("The cached MFA session in {} has expired; a new one is needed.", file);
            return Optional.empty();
        }
        Instant ownRenewAt = StsSessionFetcher.renewAt(stored.expiration(), refreshBefore, now);
        Instant renewAt = stored.renewAt().isBefore(ownRenewAt) ? stored.renewAt() : ownRenewAt;
        return Optional.of(new Session(stored.credentials(), renewAt));
    }

    /** Writes the key's session to its file, replacing any older one; a failure is logged, never thrown. */
    @Override
    public void save(SessionKey key, Session session) {
        byte[] json = new byte[0];
        try {
            json = SessionFile.write(key, session);
            folder.prepare();
            folder.writeAtomically(key.fileName(), json);
            log.debug("Saved the MFA session for profile {} to {}", key.profile(), file(key));
        } catch (IOException | RuntimeException e) {
            log.warn("Could not save the MFA session for profile '{}' to {} ({}); this process keeps it in memory,"
                     + " other processes will ask for their own.", key.profile(), file(key), e.toString());
        } finally {
            Arrays.fill(json, (byte) 0);
        }
    }

    /**
     * Runs the action while this process holds the key's lock file, waiting for any other process that
     * holds it. Without a usable lock file (read-only folder) the action runs anyway, after a warning.
     *
     * @throws MfaSessionException naming the lock file, when the wait times out or the thread is interrupted
     */
    @Override
    public <T> T locked(SessionKey key, Supplier<T> action) {
        return lock.call(lockFile(key), key.profile(), action);
    }

    /**
     * The sessions in the folder that can be trusted, expired ones included, by profile and then
     * expiration; for {@code status}. Untrusted files are left out with a warning.
     */
    public List<StoredSession> list() {
        List<StoredSession> sessions = new ArrayList<>();
        if (!folder.readable()) {
            return sessions;
        }
        for (Path file : sessionFiles()) {
            read(file).ifPresent(stored -> sessions.add(new StoredSession(stored.profile(), stored.mfaSerial(), stored.expiration(), file)));
        }
        sessions.sort(Comparator.comparing(StoredSession::profile).thenComparing(StoredSession::expiration));
        return sessions;
    }

    /**
     * Deletes the session files of the profile, or every session file in the folder (untrusted ones too)
     * when no profile is given; for {@code clear}. Lock files stay: another process may be waiting on one.
     *
     * @return how many session files were deleted
     * @throws MfaSessionException naming the file, when a session file cannot be deleted
     */
    public int clear(Optional<String> profile) {
        if (!folder.readable()) {
            return 0;
        }
        int deleted = 0;
        for (Path file : sessionFiles()) {
            if (profile.isPresent() && !read(file).map(stored -> stored.profile().equals(profile.get())).orElse(false)) {
                continue;
            }
            try {
                if (Files.deleteIfExists(file)) {
                    deleted++;
                }
            } catch (IOException e) {
                throw MfaSessionException.create("Could not delete the cached MFA session " + file + " (" + e + "). Delete the file by hand.", e);
            }
        }
        return deleted;
    }

    private List<Path> sessionFiles() {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder.path(), SESSION_FILES)) {
            entries.forEach(files::add);
        } catch (IOException | DirectoryIteratorException e) {
            log.warn("Could not list the MFA session cache folder {} ({}).", folder.path(), e.toString());
        }
        files.sort(Comparator.naturalOrder());
        return files;
    }

    /** The file's session if the file is there and trusted, whatever the session's age. */
    private Optional<SessionFile> read(Path file) {
        try {
            byte[] json = folder.readTrusted(file);
            try {
                return Optional.of(SessionFile.read(json));
            } finally {
                Arrays.fill(json, (byte) 0);
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (RejectedFile e) {
            warnIgnored(file, e.getMessage());
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            log.warn("Could not read the cached MFA session {} ({}); it is not used.", file, e.toString());
            return Optional.empty();
        }
    }

    private static void warnIgnored(Path file, String reason) {
        log.warn("Ignoring the MFA session cache file {}: it {}.", file, reason);
    }

    @Override
    public String toString() {
        return "DiskSessionStore(" + folder.path() + ")";
    }
}
