package io.github.mfasession.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TotpTest {

    /** The SHA-1 seed of RFC 6238 Appendix B. */
    private static final byte[] RFC_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    /** RFC 6238 Appendix B, SHA-1 column: the 8-digit values' last 6 digits are the 6-digit codes. */
    @ParameterizedTest
    @CsvSource({
        "59, 94287082",
        "1111111109, 07081804",
        "1111111111, 14050471",
        "1234567890, 89005924",
        "2000000000, 69279037",
        "20000000000, 65353130",
    })
    void matchesTheRfc6238TestVectors(long unixSeconds, String eightDigits) {
        assertEquals(eightDigits.substring(2), Totp.code(RFC_SEED, Instant.ofEpochSecond(unixSeconds)));
    }

    @Test
    void aCodeIsCurrentForOneThirtySecondStep() {
        assertEquals(Totp.code(RFC_SEED, Instant.ofEpochSecond(60)), Totp.code(RFC_SEED, Instant.ofEpochSecond(89)));
        assertEquals(2, Totp.step(Instant.ofEpochSecond(89)));
        assertEquals(3, Totp.step(Instant.ofEpochSecond(90)));
    }

    /** RFC 4648 section 10 test vectors. */
    @ParameterizedTest
    @CsvSource({
        "f, MY",
        "fo, MZXQ",
        "foo, MZXW6",
        "foob, MZXW6YQ",
        "fooba, MZXW6YTB",
        "foobar, MZXW6YTBOI",
    })
    void encodesAndDecodesBase32AsRfc4648(String text, String base32) {
        assertEquals(base32, Totp.base32Encode(text.getBytes(StandardCharsets.US_ASCII)));
        assertArrayEquals(text.getBytes(StandardCharsets.US_ASCII), Totp.base32Decode(base32));
    }

    @Test
    void base32DecodingIgnoresCasePaddingAndSpaces() {
        assertArrayEquals("foobar".getBytes(StandardCharsets.US_ASCII), Totp.base32Decode("mzxw 6ytb oi======"));
    }

    @Test
    void base32DecodingRefusesCharactersOutsideTheAlphabet() {
        assertThrows(IllegalArgumentException.class, () -> Totp.base32Decode("MZXW1"));
    }
}
