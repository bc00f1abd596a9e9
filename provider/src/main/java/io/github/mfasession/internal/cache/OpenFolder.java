package io.github.mfasession.internal.cache;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache folder, opened and checked the way OpenSSH's StrictModes checks a user's files: every folder from
 * the root down is opened relative to its parent without following links, and what was opened is checked, never
 * a path that could change in between. A parent must belong to this user or root and be writable by nobody
 * else, unless it is sticky (as {@code /tmp}) and the next folder is this user's or root's; the cache folder
 * itself must be this user's, and is made private (0700) if it was not. Once it is open and private, nobody
 * else can add, rename or remove its entries, so each entry is judged by its own attributes, read relative to
 * the open folder, before it is opened: only a regular file of this user that nobody else can read is ever
 * opened, so nothing planted there (a FIFO, a link, another user's file) can block a call or be trusted.
 *
 * <p>Where the platform has no {@link SecureDirectoryStream} (Windows), the folder is used by its path, with
 * links refused; its files get the access rules inherited from the folder, which under the user's profile
 * folder (the default) admit only the user and the administrators. Owner and mode are not checked there.
 */
final class OpenFolder implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(OpenFolder.class);
    private static final Set<PosixFilePermission> FOLDER_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static final int STICKY = 01000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path path;
    /** The open folder; null where the platform has none, and the folder is used by {@link #path}. */
    private final SecureDirectoryStream<Path> folder;
    private final boolean posix;

    private OpenFolder(Path path, SecureDirectoryStream<Path> folder, boolean posix) {
        this.path = path;
        this.folder = folder;
        this.posix = posix;
    }

    /**
     * Opens the cache folder, checking it and every folder above it.
     *
     * @param create whether to create the folder (0700, with any missing parents) and to replace a symbolic link in
     *               its place; without it a missing folder is {@link NoSuchFileException}
     * @throws UnusableFolder saying which folder cannot be trusted and what to do
     * @throws IOException    when the folder cannot be opened or created
     */
    static OpenFolder open(Path folder, boolean create) throws IOException, UnusableFolder {
        if (!folder.isAbsolute()) {
            throw new UnusableFolder(folder, "is a relative path, so each program would look for it in the folder it was started in."
                                             + " Set mfa_cache_dir to an absolute path (~/ is allowed)");
        }
        Path normal = folder.normalize();
        if (normal.getParent() == null) {
            throw new UnusableFolder(folder, "is the root of the file system. Set mfa_cache_dir to a folder of its own");
        }
        boolean posix = normal.getFileSystem().supportedFileAttributeViews().contains("posix");
        // Links among the parents (/tmp -> /private/tmp on macOS) are resolved first, as OpenSSH resolves a path
        // before checking it; each folder of the result is then opened without following links, and checked.
        Path parent = realPath(normal.getParent());
        Path root = parent.getRoot();
        DirectoryStream<Path> opened = Files.newDirectoryStream(root);
        if (!posix || !(opened instanceof SecureDirectoryStream)) {
            opened.close();
            return openByPath(normal, create, posix);
        }
        SecureDirectoryStream<Path> at = (SecureDirectoryStream<Path>) opened;
        Path atPath = root;
        try {
            PosixFileAttributes atAttributes = attributes(at);
            List<String> names = new ArrayList<>();
            parent.forEach(name -> names.add(name.toString()));
            names.add(normal.getFileName().toString());
            for (int i = 0; i < names.size(); i++) {
                boolean last = i == names.size() - 1;
                Path name = Paths.get(names.get(i));
                // The cache folder is named as configured; a parent by its real path, which is the one checked.
                Path next = last ? normal : atPath.resolve(name);
                if (!CurrentUser.isMeOrRoot(atAttributes.owner())) {
                    throw new UnusableFolder(atPath, "is owned by " + atAttributes.owner().getName() + ": every folder above the cache folder"
                                                     + " must belong to you or root. Choose another mfa_cache_dir");
                }
                boolean othersWrite = writableByOthers(atAttributes);
                boolean sticky = othersWrite && isSticky(atPath, atAttributes);
                if (othersWrite && !sticky) {
                    throw othersCanWrite(atPath);
                }
                PosixFileAttributes attributes = find(at, name).orElse(null);
                if (attributes == null || (last && create && attributes.isSymbolicLink())) {
                    Path created = atPath.resolve(name);
                    if (!create) {
                        throw new NoSuchFileException(next.toString());
                    }
                    if (attributes != null) {
                        log.warn("The MFA session cache folder {} is a symbolic link; replacing it with a private folder."
                                 + " To keep using the link's target, set mfa_cache_dir to it.", normal);
                        at.deleteFile(name);
                    }
                    createPrivateFolder(created);
                    attributes = find(at, name).orElseThrow(() -> new NoSuchFileException(next.toString()));
                }
                if (attributes.isSymbolicLink()) {
                    throw new UnusableFolder(next, "is a symbolic link. Set mfa_cache_dir to the folder it points to");
                }
                if (!attributes.isDirectory()) {
                    throw new UnusableFolder(next, "is not a folder. Remove it, or choose another mfa_cache_dir");
                }
                if (sticky && !CurrentUser.isMeOrRoot(attributes.owner())) {
                    // In a sticky folder only an entry's owner can rename it: one of another user's is theirs to swap.
                    throw othersCanWrite(atPath);
                }
                if (last && !attributes.owner().equals(me())) {
                    throw new UnusableFolder(next, "is owned by " + attributes.owner().getName() + ", not by " + me().getName()
                                                   + ". Choose another mfa_cache_dir");
                }
                SecureDirectoryStream<Path> child = at.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
                PosixFileAttributes childAttributes = attributes(child);
                if (!Objects.equals(childAttributes.fileKey(), attributes.fileKey())) {
                    child.close();
                    throw new UnusableFolder(next, "was replaced while it was being opened. Check who else can write to " + atPath);
                }
                at.close();
                at = child;
                atPath = atPath.resolve(name);
                atAttributes = childAttributes;
            }
            makePrivate(at, normal, atAttributes);
            OpenFolder open = new OpenFolder(normal, at, true);
            at = null;
            return open;
        } finally {
            if (at != null) {
                at.close();
            }
        }
    }

    private static UnusableFolder othersCanWrite(Path folder) {
        return new UnusableFolder(folder, "can be written by other users, who could replace the cache folder inside it."
                                          + " Remove their write permission (chmod go-w " + folder + "), or choose another mfa_cache_dir");
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

    private static void makePrivate(SecureDirectoryStream<Path> folder, Path path, PosixFileAttributes attributes) throws IOException {
        if (!OWNER_ONLY.containsAll(attributes.permissions())) {
            log.warn("The MFA session cache folder {} was open to other users ({}); making it private (rwx------).",
                     path, PosixFilePermissions.toString(attributes.permissions()));
            folder.getFileAttributeView(PosixFileAttributeView.class).setPermissions(FOLDER_MODE);
        }
    }

    private static UserPrincipal me() throws UnusableFolderOwner {
        return CurrentUser.owner().orElseThrow(UnusableFolderOwner::new);
    }

    /** No owner can be trusted when this process cannot tell who it runs as. */
    private static final class UnusableFolderOwner extends IOException {
        private static final long serialVersionUID = 1L;

        UnusableFolderOwner() {
            super("this process cannot tell which user it runs as, so no file can be trusted");
        }
    }

    /** Without a secure directory stream: by path, links refused, the owner and mode checked where the system has them. */
    private static OpenFolder openByPath(Path folder, boolean create, boolean posix) throws IOException, UnusableFolder {
        if (create && Files.isSymbolicLink(folder)) {
            log.warn("The MFA session cache folder {} is a symbolic link; replacing it with a private folder."
                     + " To keep using the link's target, set mfa_cache_dir to it.", folder);
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
                throw new UnusableFolder(folder, "is not a folder. Remove it, or choose another mfa_cache_dir");
            }
        }
        BasicFileAttributes attributes = attributesByPath(folder, posix);
        if (attributes.isSymbolicLink()) {
            throw new UnusableFolder(folder, "is a symbolic link. Set mfa_cache_dir to the folder it points to");
        }
        if (!attributes.isDirectory()) {
            throw new UnusableFolder(folder, "is not a folder. Remove it, or choose another mfa_cache_dir");
        }
        return new OpenFolder(folder, null, posix);
    }

    private static BasicFileAttributes attributesByPath(Path file, boolean posix) throws IOException {
        if (posix) {
            return Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    /** The folder as configured. */
    Path path() {
        return path;
    }

    Path file(String name) {
        return path.resolve(name);
    }

    /** The entry's own attributes (a link's, not its target's); empty when there is none. */
    Optional<BasicFileAttributes> find(String name) throws IOException {
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

    /** Why the entry cannot be trusted, as "it ..." continues it; empty for a private regular file of this user. */
    Optional<String> problem(BasicFileAttributes attributes) {
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
     * @throws RejectedFile        when it is there but not trusted
     */
    byte[] read(String name, int maxBytes) throws IOException, RejectedFile {
        BasicFileAttributes attributes = find(name).orElseThrow(() -> new NoSuchFileException(file(name).toString()));
        Optional<String> problem = problem(attributes);
        if (problem.isPresent()) {
            throw new RejectedFile(problem.get());
        }
        if (attributes.size() > maxBytes) {
            throw new RejectedFile("is too large to be a session file (" + attributes.size() + " bytes, at most " + maxBytes + ")");
        }
        try (SeekableByteChannel channel = open(name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            ByteBuffer buffer = ByteBuffer.allocate(maxBytes + 1);
            int read;
            do {
                read = channel.read(buffer);
            } while (read >= 0 && buffer.hasRemaining());
            if (!buffer.hasRemaining()) {
                throw new RejectedFile("is too large to be a session file (more than " + maxBytes + " bytes)");
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
    void writeAtomically(String name, byte[] bytes) throws IOException {
        String temporary = "." + name + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp";
        boolean renamed = false;
        try {
            try (SeekableByteChannel channel = open(temporary, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                                                                          LinkOption.NOFOLLOW_LINKS), privateFile())) {
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
     * The lock file of this name, opened for locking (created private if there is none). Anything else in its
     * place (a FIFO, a link, a file another user planted or could open) is never opened and never waited on: it is
     * removed, with a warning, and a lock file of this user's made instead.
     */
    FileChannel openLockFile(String name) throws IOException {
        Optional<BasicFileAttributes> existing = find(name);
        Optional<String> problem = existing.isPresent() ? problem(existing.get()) : Optional.empty();
        if (problem.isPresent()) {
            log.warn("Replacing the MFA session lock file {}: it {}.", file(name), problem.get());
            delete(name, existing.get().isDirectory());
        }
        SeekableByteChannel channel = open(name, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                                           privateFile());
        if (!(channel instanceof FileChannel)) {
            channel.close();
            throw new IOException("this platform cannot lock files opened in a folder");
        }
        return (FileChannel) channel;
    }

    /**
     * The entry's identity (device and inode), or empty when there is no such entry. Where the system gives files no
     * identity (Windows) every entry has the same one, so a replaced file is not noticed there.
     */
    Optional<Object> identity(String name) throws IOException {
        return find(name).map(attributes -> attributes.fileKey() == null ? NO_IDENTITY : attributes.fileKey());
    }

    private static final Object NO_IDENTITY = new Object();

    /** The names in the folder, unsorted. */
    List<String> names() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = folder != null ? folder.newDirectoryStream(Paths.get("."), LinkOption.NOFOLLOW_LINKS)
                                                            : Files.newDirectoryStream(path)) {
            entries.forEach(entry -> names.add(entry.getFileName().toString()));
        }
        return names;
    }

    /** Removes the entry (a file, a link, a FIFO: never followed) or an empty folder. */
    void delete(String name, boolean isFolder) throws IOException {
        if (folder != null) {
            if (isFolder) {
                folder.deleteDirectory(Paths.get(name));
            } else {
                folder.deleteFile(Paths.get(name));
            }
        } else {
            Files.delete(file(name));
        }
    }

    private SeekableByteChannel open(String name, Set<OpenOption> options, FileAttribute<?>... attributes) throws IOException {
        return folder != null ? folder.newByteChannel(Paths.get(name), options, attributes) : Files.newByteChannel(file(name), options, attributes);
    }

    private FileAttribute<?>[] privateFile() {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)} : new FileAttribute<?>[0];
    }

    private void deleteQuietly(String name) {
        try {
            delete(name, false);
        } catch (NoSuchFileException e) {
            // Never created.
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
        return "OpenFolder(" + path + ")";
    }
}
