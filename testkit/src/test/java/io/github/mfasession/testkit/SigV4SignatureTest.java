package io.github.mfasession.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The emulator computes signatures over exactly what the client signed, as AWS does, so clients other than
 * the Java SDK (the AWS CLI signs no {@code x-amz-content-sha256}) are accepted. Checked against AWS's
 * published SigV4 test suite (credentials AKIDEXAMPLE, 2015-08-30, us-east-1, service "service").
 */
class SigV4SignatureTest {

    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final String[] SCOPE = {"AKIDEXAMPLE", "20150830", "us-east-1", "service", "aws4_request"};
    private static final String DATE = "20150830T123600Z";

    private static StsRequest get(String rawQuery) {
        return new StsRequest("GET", "example.amazonaws.com", "/", rawQuery,
                              Map.of("Host", List.of("example.amazonaws.com"), "X-Amz-Date", List.of(DATE)), new byte[0]);
    }

    @Test
    void signsTheHeadersTheClientSignedAndNoOthers() {
        assertEquals("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
                     SigV4Signature.of(get(null), "host;x-amz-date", SCOPE, DATE, SECRET));
    }

    @Test
    void sortsQueryParameters() {
        assertEquals("b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
                     SigV4Signature.of(get("Param2=value2&Param1=value1"), "host;x-amz-date", SCOPE, DATE, SECRET));
    }

    @Test
    void aSignedHeaderThatIsMissingMatchesNothing() {
        assertNull(SigV4Signature.of(get(null), "content-type;host;x-amz-date", SCOPE, DATE, SECRET));
    }
}
