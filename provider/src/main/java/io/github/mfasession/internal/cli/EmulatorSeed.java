package io.github.mfasession.internal.cli;

import io.github.mfasession.MfaSessionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.utils.UserHomeDirectoryUtils;

/**
 * The {@code emulator} command's identities, the same at every start so that a pasted profile keeps working: the
 * account id and each user's keys and MFA device secret are derived (HMAC-SHA256) from 32 random bytes kept in
 * {@code ~/.aws/mfa-session/emulator/seed} (folder 0700, file 0600), made on first use. Deleting the file gives
 * new ones. They are the emulator's own and good for nothing at AWS.
 */
final class EmulatorSeed {

    private static final int SEED_BYTES = 32;
    private static final String KEY_ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path file;
    private final byte[] seed;

    private EmulatorSeed(Path file, byte[] seed) {
        this.file = file;
        this.seed = seed;
    }

    /** {@code ~/.aws/mfa-session/emulator/seed}, with {@code ~} the home folder the AWS SDK finds ({@code HOME} first). */
    static Path defaultFile() {
        return Paths.get(UserHomeDirectoryUtils.userHomeDirectory(), ".aws", "mfa-session", "emulator", "seed");
    }

    /** The seed in the file, made first if there is none. */
    static EmulatorSeed loadOrCreate(Path file) {
        try {
            return load(file);
        } catch (NoSeedException e) {
            create(file);
            return load(file);
        }
    }

    /**
     * The seed in the file.
     *
     * @throws NoSeedException when there is no file yet
     */
    static EmulatorSeed load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            throw new NoSeedException(file);
        } catch (IOException e) {
            throw MfaSessionException.create("Could not read the emulator's seed file " + file + " (" + e + ").", e);
        }
        byte[] seed;
        try {
            seed = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            seed = new byte[0];
        }
        if (seed.length != SEED_BYTES) {
            throw MfaSessionException.create("The emulator's seed file " + file + " is not what the emulator wrote. Delete it to get new"
                                             + " identities (profiles pasted before then stop working).");
        }
        return new EmulatorSeed(file, seed);
    }

    /** Writes a new seed, private and whole (a temporary file renamed into place); keeps one another process wrote first. */
    private static void create(Path file) {
        byte[] seed = new byte[SEED_BYTES];
        new SecureRandom().nextBytes(seed);
        Path temporary = null;
        try {
            Path folder = file.toAbsolutePath().getParent();
            Files.createDirectories(folder, privateAttributes("rwx------"));
            temporary = Files.createTempFile(folder, "seed", ".tmp", privateAttributes("rw-------"));
            Files.writeString(temporary, Base64.getEncoder().encodeToString(seed) + "\n", StandardCharsets.US_ASCII);
            Files.move(temporary, file);
        } catch (FileAlreadyExistsException e) {
            // Another emulator made it a moment ago: use theirs.
        } catch (IOException e) {
            throw MfaSessionException.create("Could not write the emulator's seed file " + file + " (" + e + ").", e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // A leftover temporary file holds only a seed nobody uses.
                }
            }
        }
    }

    private static FileAttribute<?>[] privateAttributes(String permissions) {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
                     : new FileAttribute<?>[0];
    }

    Path file() {
        return file;
    }

    /** 12 digits, the first not 0. */
    String accountId() {
        byte[] bytes = derive("account");
        StringBuilder id = new StringBuilder().append((char) ('1' + Math.floorMod(bytes[0], 9)));
        for (int i = 1; i < 12; i++) {
            id.append((char) ('0' + Math.floorMod(bytes[i], 10)));
        }
        return id.toString();
    }

    /** {@code AKIA} and 16 upper-case letters and digits, as AWS's long-term access key ids. */
    String accessKeyId(String userName) {
        return "AKIA" + chars(derive("user/" + userName + "/access-key-id"), KEY_ID_CHARS, 16);
    }

    /** 40 characters, as AWS's secret access keys. */
    String secretAccessKey(String userName) {
        byte[] first = derive("user/" + userName + "/secret-access-key/1");
        byte[] second = derive("user/" + userName + "/secret-access-key/2");
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return chars(both, SECRET_CHARS, 40);
    }

    /** 20 bytes, the size of the secrets AWS gives virtual MFA devices. */
    byte[] deviceSecret(String userName) {
        byte[] secret = new byte[20];
        System.arraycopy(derive("user/" + userName + "/mfa-device"), 0, secret, 0, secret.length);
        return secret;
    }

    private static String chars(byte[] bytes, String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(Math.floorMod(bytes[i], alphabet.length())));
        }
        return out.toString();
    }

    private byte[] derive(String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(seed, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform but is not available.", e);
        }
    }

    /** No seed file yet: the emulator has not run for this user. */
    static final class NoSeedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoSeedException(Path file) {
            super("No emulator seed at " + file);
        }
    }
}
