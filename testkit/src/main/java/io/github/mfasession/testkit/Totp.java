package io.github.mfasession.testkit;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 6238 time-based one-time passwords as virtual MFA devices and authenticator apps make them:
 * HMAC-SHA1, 30-second steps counted from the Unix epoch, 6 digits. Also the RFC 4648 base32 encoding
 * that authenticator apps use for the shared secret.
 */
public final class Totp {

    /** The length of one time step: a code is current for this long. */
    public static final Duration STEP = Duration.ofSeconds(30);
    /** The number of digits in a code. */
    public static final int DIGITS = 6;

    private static final String ALGORITHM = "HmacSHA1";
    private static final int MODULUS = 1_000_000;
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private Totp() {
    }

    /**
     * The code current at the given time.
     *
     * @param secret the shared secret (raw bytes, not base32)
     * @param at     the moment the code is for
     * @return six digits, zero-padded
     */
    public static String code(byte[] secret, Instant at) {
        return codeForStep(secret, step(at));
    }

    /**
     * The code for a time step (RFC 4226 HOTP with the step number as the counter).
     *
     * @param secret the shared secret (raw bytes, not base32)
     * @param step   the step number, as returned by {@link #step(Instant)}
     * @return six digits, zero-padded
     */
    public static String codeForStep(byte[] secret, long step) {
        byte[] hash = hmacSha1(secret, ByteBuffer.allocate(Long.BYTES).putLong(step).array());
        // Dynamic truncation (RFC 4226 section 5.3): the low nibble of the last byte picks 4 bytes.
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24)
                     | ((hash[offset + 1] & 0xff) << 16)
                     | ((hash[offset + 2] & 0xff) << 8)
                     | (hash[offset + 3] & 0xff);
        return String.format(Locale.ROOT, "%06d", binary % MODULUS);
    }

    /**
     * The time step a moment falls in: whole {@link #STEP}s since the Unix epoch.
     *
     * @param at the moment
     * @return the step number
     */
    public static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP.getSeconds());
    }

    /**
     * Decodes RFC 4648 base32, as authenticator apps show a secret: case-insensitive, padding and
     * spaces ignored.
     *
     * @param base32 the encoded secret
     * @return the raw secret
     * @throws IllegalArgumentException if a character is not in the base32 alphabet
     */
    public static byte[] base32Decode(String base32) {
        String text = base32.replace("=", "").replace(" ", "").toUpperCase(Locale.ROOT);
        ByteBuffer out = ByteBuffer.allocate(text.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < text.length(); i++) {
            int value = BASE32.indexOf(text.charAt(i));
            if (value < 0) {
                throw new IllegalArgumentException("Not a base32 character at position " + i + ".");
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                out.put((byte) (buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return out.array();
    }

    /**
     * Encodes bytes as RFC 4648 base32 without padding, as authenticator apps expect a secret.
     *
     * @param bytes the raw secret
     * @return upper-case base32
     */
    public static String base32Encode(byte[] bytes) {
        StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32.charAt((buffer >> (bits - 5)) & 0x1f));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32.charAt((buffer << (5 - bits)) & 0x1f));
        }
        return out.toString();
    }

    private static byte[] hmacSha1(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required of every Java platform but is not available.", e);
        }
    }
}
