package io.github.mfasession.internal.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The cache file names' SHA-256 gives the JDK's answers: the FIPS 180-4 examples, and any input. */
class Sha256Test {

    private static String hex(String text) {
        return HexFormat.of().formatHex(Sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void givesTheStandardsExampleDigests() {
        // FIPS 180-4's examples (NIST, "SHA256.pdf"): one block, two blocks, and the empty message.
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hex("abc"));
        assertEquals("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
                     hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hex(""));
    }

    @Test
    void givesTheJdksDigestAtEveryLengthAroundTheBlockBoundaries() throws Exception {
        for (int length = 0; length <= 200; length++) {
            byte[] message = new byte[length];
            for (int i = 0; i < length; i++) {
                message[i] = (byte) (i * 31 + length);
            }
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(message), Sha256.digest(message), "length " + length);
        }
    }

    @Property(tries = 500)
    void givesTheJdksDigestForAnyInput(@ForAll @Size(max = 1000) byte[] message) throws Exception {
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(message), Sha256.digest(message));
    }
}
