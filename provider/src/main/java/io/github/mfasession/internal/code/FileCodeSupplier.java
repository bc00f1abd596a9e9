package io.github.mfasession.internal.code;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaCodeSupplier;
import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.settings.Settings;
import io.github.mfasession.internal.files.CurrentUser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code file}: waits for another program (a script, a phone bridge, a test) to write the code to the
 * file in {@code mfa_code_file}, takes it, and removes the file so the code is never read twice.
 */
public final class FileCodeSupplier implements MfaCodeSupplier, AutoChoosable {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);
    /** A code with some whitespace around it; a longer file is not a code file and is not read. */
    private static final int MAX_FILE_BYTES = 64;
    private static final Pattern CODE = Pattern.compile("\\s*(\\d{6})\\s*");
    private static final Logger log = LoggerFactory.getLogger(FileCodeSupplier.class);
    /** File → the codes this process took from it: a file that could not be removed is not taken twice. */
    private static final Map<Path, Set<String>> TAKEN = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "file";
    }

    @Override
    public boolean appliesTo(Function<String, Optional<String>> settings) {
        return settings.apply("mfa_code_file").isPresent();
    }

    @Override
    public String code(MfaCodeRequest request) {
        Path file = codeFile(request);
        Duration timeout = Timeouts.seconds(request, "mfa_code_file_timeout_seconds", DEFAULT_TIMEOUT);
        Set<String> taken = TAKEN.computeIfAbsent(file, f -> ConcurrentHashMap.newKeySet());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> code = read(file);
            // add() is false for a code this process already took from this file: wait for a new one.
            if (code.isPresent() && taken.add(code.get())) {
                consume(file);
                return code.get();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw MfaSessionException.create(
                    "No new MFA code appeared in " + file + " (mfa_code_file) within " + timeout.getSeconds() + " seconds for device "
                    + request.mfaSerial() + " (profile '" + request.profile() + "'). Write the 6-digit code the device shows to that"
                    + " file; each code is taken once. Wait longer with mfa_code_file_timeout_seconds.");
            }
            try {
                Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw MfaSessionException.create("Interrupted while waiting for an MFA code in " + file + " for profile '"
                                                 + request.profile() + "'.", e);
            }
        }
    }

    private static Path codeFile(MfaCodeRequest request) {
        String text = request.setting("mfa_code_file").orElseThrow(() -> MfaSessionException.create(
            "The 'file' code supplier needs mfa_code_file for profile '" + request.profile() + "': set it (or AWS_MFA_CODE_FILE)"
            + " to the file that will hold the code."));
        return Paths.get(Settings.expandHome(text)).toAbsolutePath().normalize();
    }

    /**
     * The code in the file; empty while the file is missing, being written or holds anything else.
     *
     * <p>What is read must be what was checked, and a code file often lives in {@code /tmp}: the entry is checked
     * without following a link (a regular file, this user's, writable by no one else) in a folder where no one else
     * can replace it (not writable by others, or sticky like {@code /tmp}, where only the entry's owner may remove
     * it). Then no one but this user can swap the checked file for a FIFO (whose open would block) or a link before
     * the open, which also refuses a link. The read is bounded, and the entry's identity is read again afterwards: a
     * file replaced meanwhile (by this user's own writer) is read at the next poll.
     *
     * @throws MfaSessionException naming the file, when it is not one this user alone controls
     */
    private static Optional<String> read(Path file) {
        try {
            Optional<BasicFileAttributes> checked = trusted(file);
            if (checked.isEmpty()) {
                return Optional.empty();
            }
            byte[] bytes = new byte[MAX_FILE_BYTES + 1];
            int length;
            try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                // Until the end of the file, or one byte past the most a code file holds.
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                int read = 0;
                while (buffer.hasRemaining() && read >= 0) {
                    read = channel.read(buffer);
                }
                length = buffer.position();
            }
            Optional<BasicFileAttributes> after = trusted(file);
            if (length > MAX_FILE_BYTES || after.isEmpty() || !Objects.equals(checked.get().fileKey(), after.get().fileKey())) {
                return Optional.empty();
            }
            Matcher matcher = CODE.matcher(new String(bytes, 0, length, StandardCharsets.US_ASCII));
            return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
        } catch (IOException e) {
            // Missing (removed between the check and the open), or being replaced: the next poll reads it again.
            return Optional.empty();
        }
    }

    /** The file's attributes when this user alone controls it; empty when it is missing. */
    private static Optional<BasicFileAttributes> trusted(Path file) throws IOException {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (UnsupportedOperationException e) {
            // No POSIX owners and permissions (Windows): only the kind of file is checked, as for the cache folder there.
            BasicFileAttributes basic = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!basic.isRegularFile()) {
                throw MfaSessionException.create("The MFA code file " + file + " (mfa_code_file) is not a regular file; it is not read.");
            }
            return Optional.of(basic);
        }
        String refuse = " It is not read: point mfa_code_file at a file only you can write, in a folder only you can change (chmod 600).";
        if (!attributes.isRegularFile()) {
            String kind = attributes.isSymbolicLink() ? "a symbolic link" : attributes.isDirectory() ? "a folder" : "not a regular file (a FIFO or a device)";
            throw MfaSessionException.create("The MFA code file " + file + " (mfa_code_file) is " + kind + "." + refuse);
        }
        Optional<UserPrincipal> me = CurrentUser.owner();
        if (me.isEmpty() || !attributes.owner().equals(me.get())) {
            throw MfaSessionException.create("The MFA code file " + file + " (mfa_code_file) belongs to " + attributes.owner().getName()
                                             + ", not to " + me.map(UserPrincipal::getName).orElse("this process's user")
                                             + ": that user could put a code of their choosing in it." + refuse);
        }
        Set<PosixFilePermission> permissions = attributes.permissions();
        if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw MfaSessionException.create("The MFA code file " + file + " (mfa_code_file) can be written by other users ("
                                             + PosixFilePermissions.toString(permissions) + ")." + refuse);
        }
        Path folder = file.getParent();
        Object mode = Files.getAttribute(folder, "unix:mode");
        boolean sticky = mode instanceof Integer && ((Integer) mode & 01000) != 0;
        Set<PosixFilePermission> folderPermissions = Files.getPosixFilePermissions(folder);
        UserPrincipal folderOwner = Files.getOwner(folder);
        if (!CurrentUser.isMeOrRoot(folderOwner)) {
            throw MfaSessionException.create("The folder " + folder + " of the MFA code file (mfa_code_file) belongs to "
                                             + folderOwner.getName() + ", who could replace the file." + refuse);
        }
        if (!sticky && (folderPermissions.contains(PosixFilePermission.GROUP_WRITE) || folderPermissions.contains(PosixFilePermission.OTHERS_WRITE))) {
            throw MfaSessionException.create("The folder " + folder + " of the MFA code file (mfa_code_file) can be changed by other users ("
                                             + PosixFilePermissions.toString(folderPermissions) + "), who could replace the file." + refuse);
        }
        return Optional.of(attributes);
    }

    /** Removes the file, or empties it where it cannot be removed, so no one takes the code again. */
    private static void consume(Path file) {
        try {
            Files.delete(file);
        } catch (IOException deleteFailed) {
            try {
                Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING).close();
            } catch (IOException truncateFailed) {
                log.warn("Could not remove or empty the MFA code file {} after taking its code; this process will not take that code again.",
                         file);
            }
        }
    }
}
