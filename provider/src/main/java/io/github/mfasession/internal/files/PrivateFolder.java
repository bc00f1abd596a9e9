package io.github.mfasession.internal.files;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SeekableByteChannel;
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
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache folder, a folder of ours inside it, or the folder {@code install} writes a launcher to, opened and checked the way OpenSSH's StrictModes checks a user's
 * files: every folder from the root down is opened relative to its parent without following links, and what was
 * opened is checked, never a path that could change in between. A parent must belong to this user or root and be
 * writable by nobody else, unless it is sticky (as {@code /tmp}) and the next folder is this user's or root's; the
 * folder itself must be this user's, and is made private (0700) if it was not. Once it is open and private, nobody
 * else can add, rename or remove its entries, so each entry is judged by its own attributes, read relative to the
 * open folder, before it is opened: only a regular file of this user that nobody else can read is ever opened, so
 * nothing planted there (a FIFO, a link, another user's file) can block a call or be trusted.
 *
 * <p>Where the platform has no {@link SecureDirectoryStream} (Windows), the folder is used by its path, with
 * links refused; its files get the access rules inherited from the folder, which under the user's profile
 * folder (the default) admit only the user and the administrators. Owner and mode are not checked there.
 */
public final class PrivateFolder implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(PrivateFolder.class);
    private static final Set<PosixFilePermission> FOLDER_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PROGRAM_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static final int STICKY = 01000;
    private static final long FIRST_PAUSE_MILLIS = 5;
    private static final long MAX_PAUSE_MILLIS = 100;
    private static final Object NO_IDENTITY = new Object();
    /** A seam for tests: what other processes do between our open of a lock file and our lock on it. */
    static volatile Runnable betweenOpenAndLock = () -> { };
    /** Each lock file's turn among the threads of this process, by its path. */
    private static final Map<Path, Semaphore> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path path;
    /** The open folder; null where the platform has none, and the folder is used by {@link #path}. */
    private final SecureDirectoryStream<Path> folder;
    private final boolean posix;
    /** What the folder is for, and how the user names it: said in messages. */
    private final Purpose purpose;

    private PrivateFolder(Path path, SecureDirectoryStream<Path> folder, boolean posix, Purpose purpose) {
        this.path = path;
        this.folder = folder;
        this.posix = posix;
        this.purpose = purpose;
    }

    /**
     * What a private folder is for, in the words of its messages: what it is ("MFA session cache folder"), how the user
     * chooses another ("mfa_cache_dir"), and whether a symbolic link in its place is replaced (the cache's files can
     * always be made again) or refused (a folder the user named, whose link the user may have made).
     */
    private static final class Purpose {
        final String what;
        final String setting;
        final boolean replacesLink;

        Purpose(String what, String setting, boolean replacesLink) {
            this.what = what;
            this.setting = setting;
            this.replacesLink = replacesLink;
        }
    }

    /**
     * Opens the cache folder, checking it and every folder above it.
     *
     * @param folder  the cache folder: an absolute path
     * @param setting the setting that names it, as the user sets it ({@code mfa_cache_dir}, {@code AWS_MFA_CACHE_DIR}):
     *                what to do names it
     * @param create  whether to create the folder (0700, with any missing parents) and to replace a symbolic link in
     *                its place; without it a missing folder is {@link NoSuchFileException}
     * @throws UnusableFolder saying which folder cannot be trusted and what to do
     * @throws IOException    when the folder cannot be opened or created
     */
    public static PrivateFolder open(Path folder, String setting, boolean create) throws IOException, UnusableFolder {
        return open(folder, new Purpose("MFA session cache folder", setting, true), create);
    }

    /**
     * Opens a folder the user named for files that are run, not only read (the launcher {@code install} writes), by
     * the same rules as the cache folder, except that a symbolic link in its place is refused, never replaced.
     *
     * @param folder  an absolute path
     * @param what    what the folder is, for messages: {@code "install folder"}
     * @param setting how the user chooses another, after "choose another": {@code "folder with --dir"}
     * @param create  whether to create it (0700, with any missing parents); without it a missing folder is
     *                {@link NoSuchFileException}
     * @throws UnusableFolder saying which folder cannot be trusted and what to do
     */
    public static PrivateFolder open(Path folder, String what, String setting, boolean create) throws IOException, UnusableFolder {
        return open(folder, new Purpose(what, setting, false), create);
    }

    private static PrivateFolder open(Path folder, Purpose purpose, boolean create) throws IOException, UnusableFolder {
        String setting = purpose.setting;
        if (!folder.isAbsolute()) {
            throw new UnusableFolder(folder, "is a relative path, so each program would look for it in the folder it was started in."
                                             + " Set " + setting + " to an absolute path (~/ is allowed)");
        }
        Path normal = folder.normalize();
        if (normal.getParent() == null) {
            throw new UnusableFolder(folder, "is the root of the file system. Choose another " + setting + ", a folder of its own");
        }
        boolean posix = normal.getFileSystem().supportedFileAttributeViews().contains("posix");
        // Links among the parents (/tmp -> /private/tmp on macOS) are resolved first, as OpenSSH resolves a path
        // before checking it; each folder of the result is then opened without following links, and checked.
        Path parent = realPath(normal.getParent());
        DirectoryStream<Path> opened = Files.newDirectoryStream(parent.getRoot());
        if (!posix || !(opened instanceof SecureDirectoryStream)) {
            opened.close();
            return openByPath(normal, purpose, create, Level.CACHE, posix);
        }
        SecureDirectoryStream<Path> at = (SecureDirectoryStream<Path>) opened;
        Path atPath = parent.getRoot();
        try {
            for (Path name : parent) {
                SecureDirectoryStream<Path> next = enter(at, atPath, name, atPath.resolve(name), purpose, create, Level.ABOVE);
                at.close();
                at = next;
                atPath = atPath.resolve(name);
            }
            return madePrivate(new PrivateFolder(normal, enter(at, atPath, normal.getFileName(), normal, purpose, create, Level.CACHE),
                                                 true, purpose), Level.CACHE);
        } finally {
            at.close();
        }
    }

    /**
     * Opens a folder of ours inside this one ({@code serve}), by the same rules: never a link (refused, not replaced:
     * nobody but this user can have put it there), this user's, made private.
     *
     * @param create whether to create it (0700); without it a missing folder is {@link NoSuchFileException}
     * @throws UnusableFolder saying what is wrong with it and what to do
     */
    public PrivateFolder folder(String name, boolean create) throws IOException, UnusableFolder {
        Path inside = path.resolve(name);
        if (folder == null) {
            return openByPath(inside, purpose, create, Level.INSIDE, posix);
        }
        return madePrivate(new PrivateFolder(inside, enter(folder, path, Paths.get(name), inside, purpose, create, Level.INSIDE), true, purpose),
                           Level.INSIDE);
    }

    /** Where a folder stands: above the folder opened, the folder opened (the cache folder), or a folder of ours inside it. */
    private enum Level { ABOVE, CACHE, INSIDE }

    /**
     * Opens the folder {@code name} in the open folder {@code at} without following a link, after checking {@code at}
     * as a parent, and checks that what was opened is the folder whose attributes were checked.
     *
     * @param shown the folder as the user knows it, for messages
     * @param level above the folder opened, any owner but another user will do; a folder wanted must be this user's,
     *              and a symbolic link in place of the cache folder is replaced, when creating, with a warning
     */
    private static SecureDirectoryStream<Path> enter(SecureDirectoryStream<Path> at, Path atPath, Path name, Path shown, Purpose purpose,
                                                     boolean create, Level level) throws IOException, UnusableFolder {
        String setting = purpose.setting;
        PosixFileAttributes atAttributes = attributes(at);
        if (!CurrentUser.isMeOrRoot(atAttributes.owner())) {
            throw new UnusableFolder(atPath, "is owned by " + atAttributes.owner().getName() + ": every folder above the " + purpose.what
                                             + " must belong to you or root. Choose another " + setting);
        }
        boolean othersWrite = writableByOthers(atAttributes);
        boolean sticky = othersWrite && isSticky(atPath, atAttributes);
        if (othersWrite && !sticky) {
            throw new UnusableFolder(atPath, "can be written by other users, who could replace the " + purpose.what + " inside it."
                                             + " Remove their write permission (chmod go-w " + atPath + "), or choose another " + setting);
        }
        PosixFileAttributes attributes = find(at, name).orElse(null);
        if (attributes == null || (level == Level.CACHE && purpose.replacesLink && create && attributes.isSymbolicLink())) {
            if (!create) {
                throw new NoSuchFileException(shown.toString());
            }
            if (attributes != null) {
                log.warn("The MFA session cache folder {} is a symbolic link; replacing it with a private folder."
                         + " To keep using the link's target, set {} to it.", shown, setting);
                at.deleteFile(name);
            }
            createPrivateFolder(atPath.resolve(name));
            attributes = find(at, name).orElseThrow(() -> new NoSuchFileException(shown.toString()));
        }
        if (attributes.isSymbolicLink()) {
            throw new UnusableFolder(shown, "is a symbolic link. Remove it, or choose another " + setting);
        }
        if (!attributes.isDirectory()) {
            throw new UnusableFolder(shown, "is not a folder. Remove it, or choose another " + setting);
        }
        if (sticky && !CurrentUser.isMeOrRoot(attributes.owner())) {
            // In a sticky folder only an entry's owner can rename it: one of another user's is theirs to swap.
            throw new UnusableFolder(atPath, "is open to other users, and " + shown + " in it is owned by " + attributes.owner().getName()
                                             + ", who can replace it. Choose another " + setting);
        }
        if (level != Level.ABOVE && !attributes.owner().equals(me())) {
            throw new UnusableFolder(shown, "is owned by " + attributes.owner().getName() + ", not by " + me().getName()
                                            + ". Remove it, or choose another " + setting);
        }
        SecureDirectoryStream<Path> child = at.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
        if (!Objects.equals(attributes(child).fileKey(), attributes.fileKey())) {
            child.close();
            throw new UnusableFolder(shown, "was replaced while it was being opened. Check who else can write to " + atPath);
        }
        return child;
    }

    /** The open folder, made private (0700) with a warning if it was not; closed if that fails. */
    private static PrivateFolder madePrivate(PrivateFolder opened, Level level) throws IOException {
        try {
            Set<PosixFilePermission> permissions = attributes(opened.folder).permissions();
            if (!OWNER_ONLY.containsAll(permissions)) {
                log.warn("The {} {} was open to other users ({}); making it private (rwx------).",
                         level == Level.CACHE ? opened.purpose.what : "folder", opened.path, PosixFilePermissions.toString(permissions));
                opened.folder.getFileAttributeView(PosixFileAttributeView.class).setPermissions(FOLDER_MODE);
            }
            return opened;
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    private static UserPrincipal me() throws IOException {
        return CurrentUser.owner().orElseThrow(() -> new IOException("this process cannot tell which user it runs as, so no file can be trusted"));
    }

    /** The real path of the folder's nearest existing ancestor, followed by the names that do not exist yet. */
    private static Path realPath(Path folder) throws IOException {
        Path existing = folder;
        List<Path> missing = new ArrayList<>();
        while (existing.getParent() != null && !Files.exists(existing)) {
            missing.add(0, existing.getFileName());
            existing = existing.getParent();
        }
        Path real = existing.toRealPath();
        for (Path name : missing) {
            real = real.resolve(name);
        }
        return real;
    }

    private static void createPrivateFolder(Path folder) throws IOException {
        try {
            // By path: its parent was opened and checked, and nobody else can change the names that lead to it.
            Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(FOLDER_MODE));
        } catch (FileAlreadyExistsException e) {
            // Another process of this user made it at the same moment; it is checked like any other.
        }
    }

    private static PosixFileAttributes attributes(SecureDirectoryStream<Path> folder) throws IOException {
        return folder.getFileAttributeView(PosixFileAttributeView.class).readAttributes();
    }

    private static Optional<PosixFileAttributes> find(SecureDirectoryStream<Path> folder, Path name) throws IOException {
        try {
            return Optional.of(folder.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static boolean writableByOthers(PosixFileAttributes attributes) {
        Set<PosixFilePermission> permissions = attributes.permissions();
        return permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE);
    }

    /**
     * The sticky bit, which Java's POSIX view leaves out: read by path from the "unix" view, and trusted only if
     * that path still names the folder that was opened.
     */
    private static boolean isSticky(Path folder, PosixFileAttributes opened) {
        try {
            Map<String, Object> unix = Files.readAttributes(folder, "unix:mode,fileKey", LinkOption.NOFOLLOW_LINKS);
            return Objects.equals(unix.get("fileKey"), opened.fileKey()) && (((Integer) unix.get("mode")) & STICKY) != 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Without a secure directory stream: by path, links refused, the owner and mode checked where the system has them. */
    private static PrivateFolder openByPath(Path folder, Purpose purpose, boolean create, Level level, boolean posix)
        throws IOException, UnusableFolder {
        String setting = purpose.setting;
        if (create && level == Level.CACHE && purpose.replacesLink && Files.isSymbolicLink(folder)) {
            log.warn("The MFA session cache folder {} is a symbolic link; replacing it with a private folder."
                     + " To keep using the link's target, set {} to it.", folder, setting);
            Files.deleteIfExists(folder);
        }
        if (create) {
            try {
                if (posix) {
                    Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(FOLDER_MODE));
                } else {
                    Files.createDirectories(folder);
                }
            } catch (FileAlreadyExistsException e) {
                throw new UnusableFolder(folder, "is not a folder. Remove it, or choose another " + setting);
            }
        }
        BasicFileAttributes attributes = attributesByPath(folder, posix);
        if (attributes.isSymbolicLink()) {
            throw new UnusableFolder(folder, "is a symbolic link. Remove it, or choose another " + setting);
        }
        if (!attributes.isDirectory()) {
            throw new UnusableFolder(folder, "is not a folder. Remove it, or choose another " + setting);
        }
        return new PrivateFolder(folder, null, posix, purpose);
    }

    private static BasicFileAttributes attributesByPath(Path file, boolean posix) throws IOException {
        if (posix) {
            return Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    /** The folder as configured. */
    public Path path() {
        return path;
    }

    /** The entry's path, for messages: it is opened only relative to this folder. */
    public Path file(String name) {
        return path.resolve(name);
    }

    /** The names in the folder, unsorted. */
    public List<String> names() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = folder != null ? folder.newDirectoryStream(Paths.get("."), LinkOption.NOFOLLOW_LINKS)
                                                            : Files.newDirectoryStream(path)) {
            entries.forEach(entry -> names.add(entry.getFileName().toString()));
        }
        return names;
    }

    /** Whether there is an entry of this name, of any kind. */
    public boolean exists(String name) throws IOException {
        return find(name).isPresent();
    }

    /**
     * Why the entry cannot be trusted, as "it ..." continues it (a link, a folder, a FIFO, another user's file, a file
     * open to others); empty for a private regular file of this user, and when there is no such entry.
     */
    public Optional<String> problem(String name) throws IOException {
        Optional<BasicFileAttributes> attributes = find(name);
        return attributes.isPresent() ? problem(attributes.get()) : Optional.empty();
    }

    /**
     * The name of the other user who owns the entry (a link's owner, not its target's), if it is not this user's;
     * empty for an entry of this user, where owners are not known (Windows), and when there is no such entry.
     */
    public Optional<String> otherOwner(String name) throws IOException {
        Optional<BasicFileAttributes> attributes = find(name);
        if (attributes.isEmpty() || !(attributes.get() instanceof PosixFileAttributes)) {
            return Optional.empty();
        }
        UserPrincipal owner = ((PosixFileAttributes) attributes.get()).owner();
        return owner.equals(CurrentUser.owner().orElse(null)) ? Optional.empty() : Optional.of(owner.getName());
    }

    /** Whether the entry is a folder (never followed through a link). */
    public boolean isFolder(String name) throws IOException {
        return find(name).map(BasicFileAttributes::isDirectory).orElse(false);
    }

    /** The entry's own attributes (a link's, not its target's); empty when there is none. */
    private Optional<BasicFileAttributes> find(String name) throws IOException {
        try {
            if (folder != null) {
                return Optional.of(folder.getFileAttributeView(Paths.get(name), PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                                         .readAttributes());
            }
            return Optional.of(attributesByPath(file(name), posix));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private Optional<String> problem(BasicFileAttributes attributes) {
        if (attributes.isSymbolicLink()) {
            return Optional.of("is a symbolic link");
        }
        if (!attributes.isRegularFile()) {
            return Optional.of(attributes.isDirectory() ? "is a folder" : "is not a regular file (a FIFO, socket or device)");
        }
        if (!posix) {
            return Optional.empty();
        }
        PosixFileAttributes posixAttributes = (PosixFileAttributes) attributes;
        Optional<UserPrincipal> me = CurrentUser.owner();
        if (me.isEmpty()) {
            return Optional.of("cannot be checked, because this process cannot tell which user it runs as");
        }
        if (!me.get().equals(posixAttributes.owner())) {
            return Optional.of("is owned by " + posixAttributes.owner().getName() + ", not by " + me.get().getName());
        }
        if (!OWNER_ONLY.containsAll(posixAttributes.permissions())) {
            return Optional.of("is open to other users (" + PosixFilePermissions.toString(posixAttributes.permissions()) + ", expected rw-------)");
        }
        return Optional.empty();
    }

    /**
     * The bytes of an entry that passes every check, read only after its attributes were: never more than
     * {@code maxBytes}.
     *
     * @throws NoSuchFileException when there is no such entry
     * @throws RejectedFile        when it is there but not trusted, or larger than {@code maxBytes}
     */
    public byte[] read(String name, int maxBytes) throws IOException, RejectedFile {
        BasicFileAttributes attributes = find(name).orElseThrow(() -> new NoSuchFileException(file(name).toString()));
        Optional<String> problem = problem(attributes);
        if (problem.isPresent()) {
            throw new RejectedFile(problem.get());
        }
        if (attributes.size() > maxBytes) {
            throw new RejectedFile("is too large (" + attributes.size() + " bytes, at most " + maxBytes + ")");
        }
        try (SeekableByteChannel channel = open(name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            ByteBuffer buffer = ByteBuffer.allocate(maxBytes + 1);
            int read;
            do {
                read = channel.read(buffer);
            } while (read >= 0 && buffer.hasRemaining());
            if (!buffer.hasRemaining()) {
                throw new RejectedFile("is too large (more than " + maxBytes + " bytes)");
            }
            return Arrays.copyOf(buffer.array(), buffer.position());
        }
    }

    /**
     * Replaces the entry with the bytes: written to a private temporary file in the folder, then renamed over the
     * old entry, so a reader sees the old file or the new one, never part of one. No temporary file is left behind,
     * whatever fails. Not forced to the disk: that cost a first session a fifth of its time, and after a power cut
     * a file the system did not finish writing is refused as corrupt, which costs one prompt.
     */
    public void writeAtomically(String name, byte[] bytes) throws IOException {
        write(name, bytes, FILE_MODE);
    }

    /** {@link #writeAtomically(String, byte[])} for a program that only this user may run (0700): a launcher. */
    public void writeProgramAtomically(String name, byte[] bytes) throws IOException {
        write(name, bytes, PROGRAM_MODE);
    }

    private void write(String name, byte[] bytes, Set<PosixFilePermission> mode) throws IOException {
        String temporary = "." + name + "." + Long.toHexString(TemporaryNames.RANDOM.nextLong()) + ".tmp";
        boolean renamed = false;
        try {
            try (SeekableByteChannel channel = open(temporary, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                                                                          LinkOption.NOFOLLOW_LINKS), privateFile(mode))) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            if (folder != null) {
                folder.move(Paths.get(temporary), folder, Paths.get(name));
            } else {
                Files.move(file(temporary), file(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            renamed = true;
        } finally {
            if (!renamed) {
                deleteQuietly(temporary);
            }
        }
    }

    /**
     * Removes the entry (a file, a link, a FIFO: never followed) or an empty folder.
     *
     * @return false when there was none
     */
    public boolean delete(String name) throws IOException {
        try {
            Optional<BasicFileAttributes> attributes = find(name);
            if (attributes.isEmpty()) {
                return false;
            }
            if (folder == null) {
                Files.delete(file(name));
            } else if (attributes.get().isDirectory()) {
                folder.deleteDirectory(Paths.get(name));
            } else {
                folder.deleteFile(Paths.get(name));
            }
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * The lock file of this name (created private if there is none), locked if no other process or thread holds it.
     * The operating system releases the lock when its process ends, however it ends. A lock taken on a file that was
     * removed or replaced meanwhile is given up and taken again on the file now in its place, so two processes never
     * each hold a lock file of that name. Threads of this process take turns before the file: Java holds a file's
     * lock for the whole process, and closing a second channel on the file would release it.
     *
     * @return the held lock, to be closed; empty when another process or thread holds it
     * @throws RejectedFile when anything but a private regular file of this user has the name (a FIFO that would block
     *                      the open, a link, a file another user could hold): it is never opened
     */
    public Optional<Lock> tryLock(String name) throws IOException, RejectedFile {
        Semaphore turn = IN_PROCESS.computeIfAbsent(file(name), file -> new Semaphore(1));
        return turn.tryAcquire() ? lockFile(name, turn) : Optional.empty();
    }

    /**
     * {@link #tryLock(String)}, waiting at most {@code timeout} for the process or thread that holds it (pauses of
     * 5 ms growing to 100 ms between attempts on the file).
     *
     * @return the held lock, to be closed; empty when it is still held by another after the timeout
     */
    public Optional<Lock> lock(String name, Duration timeout) throws IOException, RejectedFile, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Semaphore turn = IN_PROCESS.computeIfAbsent(file(name), file -> new Semaphore(1));
        long pause = FIRST_PAUSE_MILLIS;
        while (true) {
            if (turn.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                Optional<Lock> held = lockFile(name, turn);
                if (held.isPresent()) {
                    return held;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            Thread.sleep(Math.min(pause, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
        }
    }

    /**
     * The file's lock, taken in this process's turn, which it keeps; the turn is given back when the file's lock is not had.
     *
     * <p>The lock is on the file opened, which must still be the one the name gives once locked: {@code clear} removes
     * a lock file (holding its lock) and the next process creates a new one. Java cannot ask an open channel for its
     * inode, and opening the name again to compare would release the lock (POSIX drops a process's locks on a file
     * when any of its descriptors for that file is closed). So the name's identity is read before the open and again
     * after the lock: equal, the file opened is the file named, unless in that window the file was removed, a second
     * one created, opened by us and removed as well, and a third created that reuses the first one's inode number.
     * Comparing after the open instead (as before) missed the simple case: the file opened removed and a new one
     * created and locked by another process between the open and the identity read.
     */
    private Optional<Lock> lockFile(String name, Semaphore turn) throws IOException, RejectedFile {
        boolean held = false;
        try {
            while (true) {
                Optional<String> problem = problem(name);
                if (problem.isPresent()) {
                    throw new RejectedFile(problem.get());
                }
                // Empty when the file does not exist yet: the open creates it, and the next round compares.
                Optional<Object> named = identity(name);
                SeekableByteChannel opened = open(name, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                                                  privateFile(FILE_MODE));
                if (!(opened instanceof FileChannel)) {
                    opened.close();
                    throw new IOException("this platform cannot lock files opened in a folder");
                }
                FileChannel channel = (FileChannel) opened;
                try {
                    betweenOpenAndLock.run();
                    if (!locked(channel)) {
                        return Optional.empty();
                    }
                    if (named.isPresent() && named.equals(identity(name))) {
                        held = true;
                        return Optional.of(new Lock(channel, turn));
                    }
                } finally {
                    if (!held) {
                        channel.close();
                    }
                }
            }
        } finally {
            if (!held) {
                turn.release();
            }
        }
    }

    private static boolean locked(FileChannel channel) throws IOException {
        try {
            return channel.tryLock() != null;
        } catch (OverlappingFileLockException e) {
            // This process holds the file under another path (a linked folder): wait for it like for any other holder.
            return false;
        }
    }

    /**
     * The entry's identity (device and inode), or empty when there is no such entry. Where the system gives files no
     * identity (Windows) every entry has the same one, so a replaced file is not noticed there.
     */
    private Optional<Object> identity(String name) throws IOException {
        return find(name).map(attributes -> attributes.fileKey() == null ? NO_IDENTITY : attributes.fileKey());
    }

    private SeekableByteChannel open(String name, Set<OpenOption> options, FileAttribute<?>... attributes) throws IOException {
        return folder != null ? folder.newByteChannel(Paths.get(name), options, attributes) : Files.newByteChannel(file(name), options, attributes);
    }

    private FileAttribute<?>[] privateFile(Set<PosixFilePermission> mode) {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)} : new FileAttribute<?>[0];
    }

    private void deleteQuietly(String name) {
        try {
            delete(name);
        } catch (IOException e) {
            log.warn("Could not remove the temporary file {} ({}); delete it by hand.", file(name), e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        if (folder != null) {
            folder.close();
        }
    }

    @Override
    public String toString() {
        return "PrivateFolder(" + path + ")";
    }

    /** A lock file held by this process, and its turn among this process's threads, until closed. */
    public static final class Lock implements Closeable {
        private final FileChannel channel;
        private final Semaphore turn;
        private boolean closed;

        private Lock(FileChannel channel, Semaphore turn) {
            this.channel = channel;
            this.turn = turn;
        }

        /** Releases the lock; the file stays, for the next process. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                channel.close();
            } catch (IOException e) {
                log.debug("Could not close a lock file", e);
            } finally {
                turn.release();
            }
        }
    }

    /**
     * Made at the first write, not when the class loads: a {@link SecureRandom} starts the JDK's security providers,
     * which would cost a session answered from the cache (which writes nothing) about a fifth of its run.
     */
    private static final class TemporaryNames {

        static final SecureRandom RANDOM = new SecureRandom();
    }
}
