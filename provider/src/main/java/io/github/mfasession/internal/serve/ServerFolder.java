package io.github.mfasession.internal.serve;

import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.files.PrivateFolder;
import io.github.mfasession.internal.files.RejectedFile;
import io.github.mfasession.internal.files.UnusableFolder;
import io.github.mfasession.internal.settings.SettingSources;
import io.github.mfasession.internal.settings.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private folder where a server leaves its {@link ServerState} for the user's other processes, and the only
 * class of the server that touches files: {@code server.json}, the {@code token} file clients read, the
 * background server's {@code server.log}, and the lock that makes two servers starting at once one.
 *
 * <p>The folder is {@code serve} in the user's cache folder ({@code mfa_cache_dir} as set by system property or
 * environment, default {@code ~/.aws/mfa-session/cache}), opened through the cache folder by the cache folder's
 * rules ({@link PrivateFolder}): the cache folder and every folder above it checked as opened, {@code serve} never
 * a link and this user's, made private (0700), and a file in it trusted only if it is a private regular file of
 * this user, judged before it is opened. Files are replaced by an atomic rename, so a reader sees a whole state or
 * none.
 */
public final class ServerFolder {

    static final String STATE_FILE = "server.json";
    static final String TOKEN_FILE = "token";
    static final String LOG_FILE = "server.log";
    private static final String FOLDER = "serve";
    private static final String LOCK_FILE = "serve.lock";
    private static final int MAX_BYTES = 64 * 1024;
    /** The setting that moves the folder, in what to do: a server has no profile, so a profile's mfa_cache_dir does not move it. */
    private static final String SETTING = "AWS_MFA_CACHE_DIR";
    private static final Logger log = LoggerFactory.getLogger(ServerFolder.class);

    private final Path cacheFolder;
    private final Path path;
    /** The warnings already given: one per problem, not one per look while a server starts. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** {@code serve} in this cache folder; nothing is created or checked until it is used. */
    public ServerFolder(Path cacheFolder) {
        this.cacheFolder = cacheFolder;
        this.path = cacheFolder.resolve(FOLDER);
    }

    /** {@code serve} in the cache folder that system properties, the environment or the default name; the same for every profile. */
    public static ServerFolder forUser() {
        return new ServerFolder(Settings.cacheDirectory(SettingSources.of(Map.of()), Optional.empty()));
    }

    public Path path() {
        return path;
    }

    /** The file for {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE}: the token alone, no line break (botocore refuses one). */
    public Path tokenFile() {
        return path.resolve(TOKEN_FILE);
    }

    public Path logFile() {
        return path.resolve(LOG_FILE);
    }

    /**
     * Leaves the state for other processes: the token file first, then the state file, each replaced atomically,
     * so a state file is never there without its token.
     *
     * @throws MfaSessionException when the folder cannot be trusted, made private or written
     */
    void write(ServerState state) {
        try (PrivateFolder folder = open(true)) {
            folder.writeAtomically(TOKEN_FILE, state.token().getBytes(StandardCharsets.US_ASCII));
            folder.writeAtomically(STATE_FILE, state.toJson());
        } catch (IOException e) {
            throw problem("cannot be written (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The state a server left, when both files are there and trusted; says nothing of whether that server still
     * runs ({@link RunningServer} finds out). A file that is not trusted is ignored, with a warning.
     *
     * @throws MfaSessionException when the folder is there but cannot be trusted
     */
    public Optional<ServerState> read() {
        try (PrivateFolder folder = open(false)) {
            Optional<byte[]> state = trusted(folder, STATE_FILE);
            Optional<byte[]> token = state.isPresent() ? trusted(folder, TOKEN_FILE) : Optional.empty();
            return token.flatMap(bytes -> ServerState.fromJson(state.get(), new String(bytes, StandardCharsets.US_ASCII)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw problem("cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Removes the state files if they still belong to the server of this process id, state file first: a server
     * that has stopped leaves nothing a client could take for a live one, and never removes its successor's files.
     */
    void remove(long pid) {
        try (PrivateFolder folder = open(false)) {
            Optional<ServerState> current = trusted(folder, STATE_FILE).flatMap(bytes -> ServerState.fromJson(bytes, "-"));
            if (current.isPresent() && current.get().pid() != pid) {
                return;
            }
            folder.delete(STATE_FILE);
            folder.delete(TOKEN_FILE);
        } catch (NoSuchFileException e) {
            // Nothing left to remove.
        } catch (IOException e) {
            throw problem("could not be cleaned up (" + e.getMessage() + "); delete " + path.resolve(STATE_FILE) + " by hand", e);
        }
    }

    /** Starts an empty private log for a background server and returns its path. */
    Path startLog() {
        try (PrivateFolder folder = open(true)) {
            folder.writeAtomically(LOG_FILE, new byte[0]);
            return logFile();
        } catch (IOException e) {
            throw problem("cannot hold the server's log (" + e.getMessage() + ")", e);
        }
    }

    /** The end of the background server's log, for an error message; empty when there is none. */
    String logTail(int maxChars) {
        try (PrivateFolder folder = open(false)) {
            String log = new String(folder.read(LOG_FILE, MAX_BYTES), StandardCharsets.UTF_8).strip();
            return log.length() <= maxChars ? log : "..." + log.substring(log.length() - maxChars);
        } catch (IOException | RejectedFile | MfaSessionException e) {
            return "";
        }
    }

    /**
     * Holds the folder's lock until closed: one process at a time looks for a running server and starts one.
     * The system releases the lock when its process ends, however it ends.
     *
     * @throws MfaSessionException when another process holds it for longer than the timeout, or something other than
     *                             a lock file of this user's has its name
     */
    public Lock lock(Duration timeout) {
        try (PrivateFolder folder = open(true)) {
            return new Lock(folder.lock(LOCK_FILE, timeout).orElseThrow(() -> lockTimedOut(timeout)));
        } catch (RejectedFile e) {
            throw MfaSessionException.create("The server's lock file " + path.resolve(LOCK_FILE) + " " + e.getMessage()
                                             + ", so it is not used. Remove it, then try again.");
        } catch (IOException e) {
            throw problem("cannot be locked (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MfaSessionException.create("Interrupted while waiting for the lock in " + path + ".", e);
        }
    }

    private MfaSessionException lockTimedOut(Duration timeout) {
        return MfaSessionException.create("Another serve command held the lock in " + path + " for more than " + timeout.toSeconds()
                                          + " s (it may be waiting for an MFA code). Finish or stop it, then try again.");
    }

    private MfaSessionException problem(String what, Throwable cause) {
        return MfaSessionException.create("The server folder " + path + " " + what + ". Remove it if it is not yours,"
                                          + " or choose another cache folder with " + SETTING + ".", cause);
    }

    /**
     * The folder, through the cache folder, both checked; created private first when {@code create}.
     *
     * @throws NoSuchFileException when it is not there and not to be created
     * @throws MfaSessionException when the cache folder or this one cannot be trusted, saying why and what to do
     */
    private PrivateFolder open(boolean create) throws IOException {
        try (PrivateFolder cache = PrivateFolder.open(cacheFolder, SETTING, create)) {
            return cache.folder(FOLDER, create);
        } catch (UnusableFolder e) {
            throw MfaSessionException.create("The server folder " + path + " cannot be used: " + e.of(path) + ".");
        }
    }

    /** The file's bytes if it is there and trusted; one that is not is ignored, with a warning, and replaced by the next server. */
    private Optional<byte[]> trusted(PrivateFolder folder, String name) throws IOException {
        try {
            return Optional.of(folder.read(name, MAX_BYTES));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (RejectedFile e) {
            String warning = "Ignoring the server file " + folder.file(name) + ": it " + e.getMessage() + ".";
            if (warned.add(warning)) {
                log.warn(warning);
            }
            return Optional.empty();
        }
    }

    /** The folder's lock, held until closed. */
    public static final class Lock implements AutoCloseable {
        private final PrivateFolder.Lock held;

        private Lock(PrivateFolder.Lock held) {
            this.held = held;
        }

        @Override
        public void close() {
            held.close();
        }
    }
}
