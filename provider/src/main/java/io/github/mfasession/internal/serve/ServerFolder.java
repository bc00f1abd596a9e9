package io.github.mfasession.internal.serve;

import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.settings.SettingSources;
import io.github.mfasession.internal.settings.Settings;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The private folder where a server leaves its {@link ServerState} for the user's other processes, and the only
 * class of the server that touches files: {@code server.json}, the {@code token} file clients read, the
 * background server's {@code server.log}, and the lock that makes two servers starting at once one.
 *
 * <p>The folder is {@code serve} in the user's cache folder ({@code mfa_cache_dir} as set by system property or
 * environment, default {@code ~/.aws/mfa-session/cache}), made private (0700) and every file in it 0600. Another
 * local user is an adversary: where the platform can (Linux), every check is made on the folder as opened, and
 * files are opened, replaced and deleted relative to that opened folder, never through a symbolic link; a folder
 * or file owned by someone else or open to others is refused or ignored. Files are replaced by an atomic rename,
 * so a reader sees a whole state or none.
 */
public final class ServerFolder {

    static final String STATE_FILE = "server.json";
    static final String TOKEN_FILE = "token";
    static final String LOG_FILE = "server.log";
    private static final String LOCK_FILE = "serve.lock";
    private static final int MAX_BYTES = 64 * 1024;
    private static final Set<PosixFilePermission> FOLDER_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    /** Java refuses a second lock on one file from one process, so threads of this process take turns here first. */
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path path;
    private final boolean posix;

    public ServerFolder(Path path) {
        this.path = path.toAbsolutePath().normalize();
        this.posix = this.path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** {@code serve} in the cache folder that system properties, the environment or the default name; the same for every profile. */
    public static ServerFolder forUser() {
        return new ServerFolder(Settings.cacheDirectory(SettingSources.of(Map.of()), Optional.empty()).resolve("serve"));
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
     * @throws MfaSessionException when the folder cannot be made private or written
     */
    void write(ServerState state) {
        try (Opened folder = open(true)) {
            folder.replace(TOKEN_FILE, state.token().getBytes(StandardCharsets.US_ASCII));
            folder.replace(STATE_FILE, state.toJson());
        } catch (IOException e) {
            throw problem("cannot be written (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The state a server left, when both files are there and trusted; says nothing of whether that server still
     * runs ({@link RunningServer} finds out).
     *
     * @throws MfaSessionException when the folder is there but not private to this user
     */
    public Optional<ServerState> read() {
        try (Opened folder = open(false)) {
            if (folder == null) {
                return Optional.empty();
            }
            Optional<byte[]> state = folder.read(STATE_FILE);
            Optional<byte[]> token = folder.read(TOKEN_FILE);
            if (state.isEmpty() || token.isEmpty()) {
                return Optional.empty();
            }
            return ServerState.fromJson(state.get(), new String(token.get(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw problem("cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Removes the state files if they still belong to the server of this process id, state file first: a server
     * that has stopped leaves nothing a client could take for a live one, and never removes its successor's files.
     */
    void remove(long pid) {
        try (Opened folder = open(false)) {
            if (folder == null) {
                return;
            }
            Optional<ServerState> current = folder.read(STATE_FILE).flatMap(bytes -> ServerState.fromJson(bytes, "-"));
            if (current.isPresent() && current.get().pid() != pid) {
                return;
            }
            folder.delete(STATE_FILE);
            folder.delete(TOKEN_FILE);
        } catch (IOException e) {
            throw problem("could not be cleaned up (" + e.getMessage() + "); delete " + path.resolve(STATE_FILE) + " by hand", e);
        }
    }

    /** Starts an empty private log for a background server and returns its path. */
    Path startLog() {
        try (Opened folder = open(true)) {
            folder.replace(LOG_FILE, new byte[0]);
            return logFile();
        } catch (IOException e) {
            throw problem("cannot hold the server's log (" + e.getMessage() + ")", e);
        }
    }

    /** The end of the background server's log, for an error message; empty when there is none. */
    String logTail(int maxChars) {
        try (Opened folder = open(false)) {
            if (folder == null) {
                return "";
            }
            String log = folder.read(LOG_FILE).map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElse("").strip();
            return log.length() <= maxChars ? log : "..." + log.substring(log.length() - maxChars);
        } catch (IOException | MfaSessionException e) {
            return "";
        }
    }

    /**
     * Holds the folder's lock until closed: one process at a time looks for a running server and starts one.
     * The system releases the lock when its process ends, however it ends.
     *
     * @throws MfaSessionException when another process holds it for longer than the timeout
     */
    public Lock lock(Duration timeout) {
        ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(path, p -> new ReentrantLock());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!inProcess.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw lockTimedOut(timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MfaSessionException.create("Interrupted while waiting for the lock in " + path + ".", e);
        }
        FileChannel channel = null;
        try {
            try (Opened folder = open(true)) {
                channel = folder.openLockFile();
            }
            while (channel.tryLock() == null) {
                if (System.nanoTime() > deadline) {
                    throw lockTimedOut(timeout);
                }
                Thread.sleep(20);
            }
            return new Lock(channel, inProcess);
        } catch (IOException e) {
            release(channel, inProcess);
            throw problem("cannot be locked (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            release(channel, inProcess);
            Thread.currentThread().interrupt();
            throw MfaSessionException.create("Interrupted while waiting for the lock in " + path + ".", e);
        } catch (RuntimeException e) {
            release(channel, inProcess);
            throw e;
        }
    }

    private static void release(FileChannel channel, ReentrantLock inProcess) {
        if (channel != null) {
            closeQuietly(channel);
        }
        inProcess.unlock();
    }

    private MfaSessionException lockTimedOut(Duration timeout) {
        return MfaSessionException.create("Another serve command held the lock in " + path + " for more than " + timeout.toSeconds()
                                          + " s (it may be waiting for an MFA code). Finish or stop it, then try again.");
    }

    private MfaSessionException problem(String what, Throwable cause) {
        return MfaSessionException.create("The server folder " + path + " " + what + ". Remove it if it is not yours,"
                                          + " or choose another cache folder with AWS_MFA_CACHE_DIR.", cause);
    }

    /** The folder, created private first when {@code create}; null when it is not there and not to be created. */
    private Opened open(boolean create) throws IOException {
        if (create) {
            prepare();
        }
        BasicFileAttributes seen;
        try {
            seen = attributes(path);
        } catch (NoSuchFileException e) {
            return null;
        }
        check(seen, true);
        DirectoryStream<Path> stream = Files.newDirectoryStream(path);
        if (!(stream instanceof SecureDirectoryStream)) {
            stream.close();
            return new Opened(null);
        }
        @SuppressWarnings("unchecked")
        SecureDirectoryStream<Path> opened = (SecureDirectoryStream<Path>) stream;
        try {
            // The folder as opened must be the one checked: not a link put in its place, not swapped since.
            BasicFileAttributes actual = posix ? opened.getFileAttributeView(PosixFileAttributeView.class).readAttributes()
                                               : opened.getFileAttributeView(BasicFileAttributeView.class).readAttributes();
            if (!Objects.equals(actual.fileKey(), seen.fileKey())) {
                throw new IOException("it changed while it was being opened");
            }
            check(actual, true);
            return new Opened(opened);
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    private void prepare() throws IOException {
        try {
            if (posix) {
                Files.createDirectories(path, PosixFilePermissions.asFileAttribute(FOLDER_MODE));
            } else {
                Files.createDirectories(path);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException("it exists and is not a folder", e);
        }
        BasicFileAttributes attributes = attributes(path);
        if (posix && !attributes.isSymbolicLink() && isMine(attributes)
            && !FOLDER_MODE.containsAll(((PosixFileAttributes) attributes).permissions())) {
            Files.setPosixFilePermissions(path, FOLDER_MODE);
        }
    }

    /** Refuses a link, the wrong kind of file, another owner, or access for group or others. */
    private void check(BasicFileAttributes attributes, boolean folder) throws IOException {
        if (attributes.isSymbolicLink()) {
            throw new IOException("it is a symbolic link");
        }
        if (folder ? !attributes.isDirectory() : !attributes.isRegularFile()) {
            throw new IOException(folder ? "it is not a folder" : "it is not a regular file");
        }
        if (!posix) {
            return;
        }
        PosixFileAttributes posixAttributes = (PosixFileAttributes) attributes;
        if (!isMine(attributes)) {
            throw new IOException("it is owned by " + posixAttributes.owner().getName() + ", not by this user");
        }
        Set<PosixFilePermission> allowed = folder ? FOLDER_MODE : FILE_MODE;
        if (!allowed.containsAll(posixAttributes.permissions())) {
            throw new IOException("it is open to other users (" + PosixFilePermissions.toString(posixAttributes.permissions()) + ")");
        }
    }

    private boolean isMine(BasicFileAttributes attributes) {
        return !posix || Me.OWNER.map(me -> me.equals(((PosixFileAttributes) attributes).owner())).orElse(false);
    }

    private BasicFileAttributes attributes(Path file) throws IOException {
        Class<? extends BasicFileAttributes> type = posix ? PosixFileAttributes.class : BasicFileAttributes.class;
        return Files.readAttributes(file, type, LinkOption.NOFOLLOW_LINKS);
    }

    private FileAttribute<?>[] privateFile() {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)} : new FileAttribute<?>[0];
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // Closing is all that was left to do.
        }
    }

    /** The checked folder: operations relative to the opened folder where the platform allows, else by path without following links. */
    private final class Opened implements Closeable {
        private final SecureDirectoryStream<Path> folder;

        Opened(SecureDirectoryStream<Path> folder) {
            this.folder = folder;
        }

        Optional<byte[]> read(String name) throws IOException {
            BasicFileAttributes attributes;
            try {
                attributes = fileAttributes(name);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
            try {
                check(attributes, false);
            } catch (IOException untrusted) {
                // Not what a server writes here: ignored, and replaced by the next server.
                return Optional.empty();
            }
            if (attributes.size() > MAX_BYTES) {
                return Optional.empty();
            }
            Set<OpenOption> options = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            try (SeekableByteChannel channel = folder != null ? folder.newByteChannel(Paths.get(name), options)
                                                             : Files.newByteChannel(path.resolve(name), options)) {
                ByteBuffer buffer = ByteBuffer.allocate(MAX_BYTES + 1);
                while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                    // Reads until the end, or until the file proves larger than any state file.
                }
                return buffer.hasRemaining() ? Optional.of(Arrays.copyOf(buffer.array(), buffer.position())) : Optional.empty();
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        }

        void replace(String name, byte[] bytes) throws IOException {
            String temporary = "." + name + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp";
            Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            boolean renamed = false;
            try {
                try (SeekableByteChannel channel = folder != null ? folder.newByteChannel(Paths.get(temporary), options, privateFile())
                                                                 : Files.newByteChannel(path.resolve(temporary), options, privateFile())) {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
                if (folder != null) {
                    folder.move(Paths.get(temporary), folder, Paths.get(name));
                } else {
                    Files.move(path.resolve(temporary), path.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                renamed = true;
            } finally {
                if (!renamed) {
                    delete(temporary);
                }
            }
        }

        void delete(String name) throws IOException {
            try {
                if (folder != null) {
                    folder.deleteFile(Paths.get(name));
                } else {
                    Files.deleteIfExists(path.resolve(name));
                }
            } catch (NoSuchFileException e) {
                // Already gone.
            }
        }

        /** The lock file, created private; anything but a regular file of ours in its place (a FIFO would block the open) is refused. */
        FileChannel openLockFile() throws IOException {
            try {
                check(fileAttributes(LOCK_FILE), false);
            } catch (NoSuchFileException e) {
                // Created below.
            }
            Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            if (folder != null) {
                SeekableByteChannel channel = folder.newByteChannel(Paths.get(LOCK_FILE), options, privateFile());
                if (channel instanceof FileChannel) {
                    return (FileChannel) channel;
                }
                channel.close();
            }
            return FileChannel.open(path.resolve(LOCK_FILE), options, privateFile());
        }

        private BasicFileAttributes fileAttributes(String name) throws IOException {
            if (folder == null) {
                return attributes(path.resolve(name));
            }
            Path file = Paths.get(name);
            return posix ? folder.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes()
                         : folder.getFileAttributeView(file, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
        }

        @Override
        public void close() throws IOException {
            if (folder != null) {
                folder.close();
            }
        }
    }

    /** The folder's lock, held until closed. */
    public static final class Lock implements AutoCloseable {
        private final FileChannel channel;
        private final ReentrantLock inProcess;

        private Lock(FileChannel channel, ReentrantLock inProcess) {
            this.channel = channel;
            this.inProcess = inProcess;
        }

        @Override
        public void close() {
            try {
                closeQuietly(channel);
            } finally {
                inProcess.unlock();
            }
        }
    }

    /**
     * The user this process creates files as, learned from a file it creates: exact even where {@code user.name}
     * is not (a container user with no name, sudo). Empty when it cannot be told; then nothing is trusted.
     */
    private static final class Me {
        static final Optional<UserPrincipal> OWNER = find();

        private static Optional<UserPrincipal> find() {
            try {
                Path probe = Files.createTempFile("mfa-session-serve", ".tmp");
                try {
                    return Optional.of(Files.getOwner(probe));
                } finally {
                    Files.deleteIfExists(probe);
                }
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }
}
