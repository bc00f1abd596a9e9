package io.github.mfasession.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

class AuthenticationTest {

    private static final String FORM = "Action=GetCallerIdentity&Version=2011-06-15";

    private final MutableClock clock = MutableClock.atSystemTime();
    private final StsEmulator emulator = StsEmulator.builder().clock(clock).build();
    private final IamUser alice = emulator.addUser("alice");

    @AfterEach
    void close() {
        emulator.close();
    }

    private StsException refusal(AwsBasicCredentials credentials) {
        return refusal(Clients.sts(emulator, credentials));
    }

    private static StsException refusal(StsClient sts) {
        try (sts) {
            return assertThrows(StsException.class, sts::getCallerIdentity);
        }
    }

    private static void assertError(int status, String code, StsException e) {
        assertEquals(status, e.statusCode());
        assertEquals(code, e.awsErrorDetails().errorCode());
    }

    @Test
    void theUsersOwnKeysAreAccepted() {
        try (StsClient sts = Clients.sts(emulator, alice.credentials())) {
            assertEquals(alice.arn(), sts.getCallerIdentity().arn());
        }
    }

    @Test
    void keysGivenByTheTestAreAccepted() {
        IamUser bob = emulator.addUser("bob", "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

        try (StsClient sts = Clients.sts(emulator, AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE",
                                                                              "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))) {
            assertEquals(bob.arn(), sts.getCallerIdentity().arn());
        }
    }

    @Test
    void anUnknownAccessKeyIsAnInvalidClientTokenId() {
        StsException e = refusal(AwsBasicCredentials.create("AKIAUNKNOWNUNKNOWN00", alice.secretAccessKey()));

        assertError(403, "InvalidClientTokenId", e);
        assertEquals("The security token included in the request is invalid.", e.awsErrorDetails().errorMessage());
    }

    @Test
    void aWrongSecretIsASignatureMismatch() {
        StsException e = refusal(AwsBasicCredentials.create(alice.accessKeyId(), alice.secretAccessKey() + "x"));

        assertError(403, "SignatureDoesNotMatch", e);
        assertTrue(e.awsErrorDetails().errorMessage().startsWith("The request signature we calculated does not match"));
    }

    @Test
    void aBodyChangedAfterSigningIsASignatureMismatch() throws IOException {
        SdkHttpRequest signed = sign(alice.credentials(), FORM, Instant.now());

        Reply reply = send(signed, "Action=GetSessionToken&Version=2011-06-15");

        assertEquals(403, reply.status);
        assertTrue(reply.body.contains("<Code>SignatureDoesNotMatch</Code>"), reply.body);
    }

    @Test
    void aRequestSignedRightIsAcceptedOverPlainHttp() throws IOException {
        Reply reply = send(sign(alice.credentials(), FORM, Instant.now()), FORM);

        assertEquals(200, reply.status);
        assertTrue(reply.body.contains("<Arn>" + alice.arn() + "</Arn>"), reply.body);
    }

    @Test
    void aSignatureMoreThanFifteenMinutesOldHasExpired() throws IOException {
        Reply reply = send(sign(alice.credentials(), FORM, clock.instant().minus(Duration.ofMinutes(16))), FORM);

        assertEquals(403, reply.status);
        assertTrue(reply.body.contains("<Code>SignatureDoesNotMatch</Code>"), reply.body);
        assertTrue(reply.body.contains("<Message>Signature expired: "), reply.body);
    }

    @Test
    void theEmulatorClockDecidesWhetherASignatureHasExpired() {
        clock.advance(Duration.ofMinutes(20));

        StsException e = refusal(alice.credentials());

        assertError(403, "SignatureDoesNotMatch", e);
        assertTrue(e.awsErrorDetails().errorMessage().startsWith("Signature expired: "));
    }

    @Test
    void aWiderClockSkewAllowanceLetsATestMoveTheClockFar() {
        MutableClock farClock = MutableClock.startingAt(Instant.now().plus(Duration.ofDays(2)));
        try (StsEmulator tolerant = StsEmulator.builder().clock(farClock).maxClockSkew(Duration.ofDays(3)).build();
             StsClient sts = Clients.sts(tolerant, tolerant.addUser("carol").credentials())) {
            assertTrue(sts.getCallerIdentity().arn().endsWith(":user/carol"));
        }
    }

    @Test
    void aSignatureFromTheFutureIsNotYetCurrent() throws IOException {
        Reply reply = send(sign(alice.credentials(), FORM, clock.instant().plus(Duration.ofMinutes(16))), FORM);

        assertEquals(403, reply.status);
        assertTrue(reply.body.contains("<Message>Signature not yet current: "), reply.body);
    }

    @Test
    void anUnsignedRequestIsMissingAnAuthenticationToken() throws IOException {
        Reply reply = send(SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(emulator.endpoint())
                                         .putHeader("Content-Type", "application/x-www-form-urlencoded").build(), FORM);

        assertEquals(403, reply.status);
        assertTrue(reply.body.contains("<Code>MissingAuthenticationToken</Code>"), reply.body);
    }

    @Test
    void aSessionSignedWithItsTokenIsAccepted() {
        try (StsClient withSession = Clients.sts(emulator, sessionOf(alice))) {
            assertEquals(alice.arn(), withSession.getCallerIdentity().arn());
        }
    }

    @Test
    void aSessionKeyWithoutItsTokenIsAnInvalidClientTokenId() {
        AwsSessionCredentials session = sessionOf(alice);

        StsException e = refusal(AwsBasicCredentials.create(session.accessKeyId(), session.secretAccessKey()));

        assertError(403, "InvalidClientTokenId", e);
    }

    @Test
    void aSessionKeyWithAnotherTokenIsAnInvalidClientTokenId() {
        AwsSessionCredentials session = sessionOf(alice);
        AwsSessionCredentials otherToken =
            AwsSessionCredentials.create(session.accessKeyId(), session.secretAccessKey(), sessionOf(alice).sessionToken());

        assertError(403, "InvalidClientTokenId", refusal(Clients.sts(emulator, otherToken)));
    }

    @Test
    void aLongTermKeyWithATokenIsAnInvalidClientTokenId() {
        AwsSessionCredentials withToken =
            AwsSessionCredentials.create(alice.accessKeyId(), alice.secretAccessKey(), sessionOf(alice).sessionToken());

        assertError(403, "InvalidClientTokenId", refusal(Clients.sts(emulator, withToken)));
    }

    @Test
    void aSessionSignedWithAnotherSecretIsASignatureMismatch() {
        AwsSessionCredentials session = sessionOf(alice);
        AwsSessionCredentials wrongSecret =
            AwsSessionCredentials.create(session.accessKeyId(), alice.secretAccessKey(), session.sessionToken());

        assertError(403, "SignatureDoesNotMatch", refusal(Clients.sts(emulator, wrongSecret)));
    }

    private AwsSessionCredentials sessionOf(IamUser user) {
        try (StsClient sts = Clients.sts(emulator, user.credentials())) {
            Credentials c = sts.getSessionToken().credentials();
            return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
        }
    }

    /** A GetCallerIdentity-style POST signed by the SDK's signer at a chosen time, as a client would send it. */
    private SdkHttpRequest sign(AwsBasicCredentials credentials, String form, Instant at) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                                               .method(SdkHttpMethod.POST)
                                               .uri(emulator.endpoint())
                                               .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                                               .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(
            r -> r.identity(AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey()))
                  .request(request)
                  .payload(ContentStreamProvider.fromUtf8String(form))
                  .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                  .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "sts")
                  .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, java.time.Clock.fixed(at, java.time.ZoneOffset.UTC)));
        return signed.request();
    }

    private record Reply(int status, String body) {
    }

    /** Sends a request as signed, with any body: the emulator sees exactly these bytes. */
    private static Reply send(SdkHttpRequest request, String body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(request.getUri().toString()).openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        for (Map.Entry<String, java.util.List<String>> header : request.headers().entrySet()) {
            if (!header.getKey().equalsIgnoreCase("Host")) {
                connection.setRequestProperty(header.getKey(), String.join(",", header.getValue()));
            }
        }
        connection.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        int status = connection.getResponseCode();
        try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            return new Reply(status, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
