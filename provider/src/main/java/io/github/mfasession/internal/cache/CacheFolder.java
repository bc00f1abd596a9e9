package io.github.mfasession.internal.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache folder and the rules for what in it is trusted: the folder is private to the user (0700),
 * every file in it too (0600), nothing is followed through a symbolic link, and a file is replaced by
 * an atomic rename so a reader sees the old session or the new one, never half of one.
 *
 * <p>Where the file system has no POSIX permissions (Windows), files get the access rules inherited
 * from the folder, which under the user's profile folder (the default) admit only the user and the
 * system's administrators; the owner and mode checks are skipped there, symbolic links are still refused.
 */
final class CacheFolder {

    private static final Logger log = LoggerFactory.getLogger(CacheFolder.class);
    private static final Set<PosixFilePermission> FOLDER_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private final Path path;
    private final boolean posix;

    CacheFolder(Path path) {
        this.path = path.toAbsolutePath().normalize();
        this.posix = this.path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    Path path() {
        return path;
    }

    Path file(String name) {
        return path.resolve(name);
    }

    /**
     * Whether files may be read from the folder as it is now. Never creates or changes anything; an
     * untrusted folder is logged and read as empty.
     */
    boolean readable() {
        BasicFileAttributes attributes;
        try {
            attributes = attributes(path);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            log.warn("Cannot read the MFA session cache folder {} ({}); no cached session is used.", path, e.toString());
            return false;
        }
        Optional<String> problem = folderProblem(attributes);
        problem.ifPresent(p -> log.warn("Ignoring the MFA session cache folder {}: it {}. Sessions are not read from it.", path, p));
        return problem.isEmpty();
    }

    /**
     * Makes the folder ready for writing: created with its parents (0700), a group- or world-accessible
     * folder made private, a symbolic link in its place replaced by a real folder.
     *
     * @throws IOException saying why the folder cannot be used
     */
    void prepare() throws IOException {
        if (Files.isSymbolicLink(path)) {
            log.warn("The MFA session cache folder {} is a symbolic link; replacing it with a private folder."
                     + " To keep using the link's target, set mfa_cache_dir to it.", path);
            // Another process may have replaced it at the same moment.
            Files.deleteIfExists(path);
        }
        try {
            if (posix) {
                Files.createDirectories(path, PosixFilePermissions.asFileAttribute(FOLDER_MODE));
            } else {
                Files.createDirectories(path);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException(path + " exists and is not a folder", e);
        }
        BasicFileAttributes attributes = attributes(path);
        Optional<String> problem = folderProblem(attributes);
        if (problem.isPresent()) {
            throw new IOException(path + " " + problem.get());
        }
        if (posix && !OWNER_ONLY.containsAll(((PosixFileAttributes) attributes).permissions())) {
            log.warn("The MFA session cache folder {} was open to other users ({}); making it private (rwx------).",
                     path, PosixFilePermissions.toString(((PosixFileAttributes) attributes).permissions()));
            Files.setPosixFilePermissions(path, FOLDER_MODE);
        }
    }

    private Optional<String> folderProblem(BasicFileAttributes attributes) {
        if (attributes.isSymbolicLink()) {
            return Optional.of("is a symbolic link");
        }
        if (!attributes.isDirectory()) {
            return Optional.of("is not a folder");
        }
        return ownerProblem(attributes);
    }

    /**
     * The bytes of a file that passes every check: a regular file (not a link), owned by this user, not
     * open to group or others, of a plausible size.
     *
     * @throws NoSuchFileException when there is no such file
     * @throws RejectedFile when the file is there but not trusted
     */
    byte[] readTrusted(Path file) throws IOException, RejectedFile {
        BasicFileAttributes attributes = attributes(file);
        if (attributes.isSymbolicLink()) {
            throw new RejectedFile("is a symbolic link");
        }
        if (!attributes.isRegularFile()) {
            throw new RejectedFile("is not a regular file");
        }
        Optional<String> owner = ownerProblem(attributes);
        if (owner.isPresent()) {
            throw new RejectedFile(owner.get());
        }
        if (posix) {
            Set<PosixFilePermission> permissions = ((PosixFileAttributes) attributes).permissions();
            if (!OWNER_ONLY.containsAll(permissions)) {
                throw new RejectedFile("is open to other users (" + PosixFilePermissions.toString(permissions) + ", expected rw-------)");
            }
        }
        if (attributes.size() > SessionFile.MAX_BYTES) {
            throw new RejectedFile("is too large to be a session file");
        }
        // NOFOLLOW_LINKS again when opening: a link put in place after the check is refused, not followed.
        try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buffer = ByteBuffer.allocate(SessionFile.MAX_BYTES + 1);
            int read;
            do {
                read = channel.read(buffer);
            } while (read >= 0 && buffer.hasRemaining());
            if (!buffer.hasRemaining()) {
                throw new RejectedFile("is too large to be a session file");
            }
            return Arrays.copyOf(buffer.array(), buffer.position());
        }
    }

    private Optional<String> ownerProblem(BasicFileAttributes attributes) {
        if (!posix) {
            return Optional.empty();
        }
        UserPrincipal owner = ((PosixFileAttributes) attributes).owner();
        Optional<UserPrincipal> me = CurrentUser.owner();
        if (me.isEmpty()) {
            return Optional.of("cannot be checked, because this process cannot tell which user it runs as");
        }
        if (!me.get().equals(owner)) {
            return Optional.of("is owned by " + owner.getName() + ", not by " + me.get().getName());
        }
        return Optional.empty();
    }

    private BasicFileAttributes attributes(Path file) throws IOException {
        Class<? extends BasicFileAttributes> type = posix ? PosixFileAttributes.class : BasicFileAttributes.class;
        return Files.readAttributes(file, type, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Replaces the named file with the bytes: written to a private temporary file in the folder, then renamed
     * over the old file, so a reader sees the old file or the new one, never part of one. No temporary file is
     * left behind, whatever fails. Not forced to the disk: that cost a first session a fifth of its time, and
     * after a power cut a file the system did not finish writing is refused as corrupt, which costs one prompt.
     */
    void writeAtomically(String name, byte[] bytes) throws IOException {
        Path temporary = Files.createTempFile(path, "." + name + ".", ".tmp", privateFile());
        boolean renamed = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            Files.move(temporary, file(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            renamed = true;
        } finally {
            if (!renamed) {
                deleteQuietly(temporary);
            }
        }
    }

    /** Opens (creating it private if needed) the lock file beside a session file; a link in its place is refused. */
    FileChannel openLockFile(Path lockFile) throws IOException {
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        return FileChannel.open(lockFile, options, privateFile());
    }

    private FileAttribute<?>[] privateFile() {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)} : new FileAttribute<?>[0];
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not remove the temporary file {} ({}); delete it by hand.", file, e.toString());
        }
    }
}
