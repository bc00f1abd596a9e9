package io.github.mfasession.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetSessionTokenResponse;
import software.amazon.awssdk.services.sts.model.StsException;

class FaultInjectionTest {

    private final MutableClock clock = MutableClock.atSystemTime();
    private final StsEmulator emulator = StsEmulator.builder().clock(clock).build();
    private final IamUser alice = emulator.addUser("alice");
    private final VirtualMfaDevice device = emulator.addVirtualMfaDevice(alice);
    private final String code = emulator.currentCode(device.serialNumber());

    @AfterEach
    void close() {
        emulator.close();
    }

    private GetSessionTokenResponse getSessionToken(StsClient sts) {
        return sts.getSessionToken(r -> r.serialNumber(device.serialNumber()).tokenCode(code));
    }

    private StsException failureWithoutRetries() {
        try (StsClient sts = Clients.sts(emulator, alice.credentials())) {
            return assertThrows(StsException.class, () -> getSessionToken(sts));
        }
    }

    @Test
    void anInjectedInternalFailureIsA500ThatLeavesTheCodeUnused() {
        emulator.failNext(1, 500, "InternalFailure");

        StsException e = failureWithoutRetries();

        assertEquals(500, e.statusCode());
        assertEquals("InternalFailure", e.awsErrorDetails().errorCode());
        try (StsClient sts = Clients.sts(emulator, alice.credentials())) {
            assertNotNull(getSessionToken(sts).credentials());
        }
        assertEquals(2, emulator.getSessionTokenCalls());
    }

    @Test
    void anInjectedServiceUnavailableIsA503() {
        emulator.failNext(1, 503, "ServiceUnavailable");

        StsException e = failureWithoutRetries();

        assertEquals(503, e.statusCode());
        assertEquals("ServiceUnavailable", e.awsErrorDetails().errorCode());
    }

    @Test
    void anInjectedThrottlingIsAThrottlingException() {
        emulator.failNext(1, 400, "Throttling");

        StsException e = failureWithoutRetries();

        assertEquals(400, e.statusCode());
        assertEquals("Throttling", e.awsErrorDetails().errorCode());
        assertTrue(e.isThrottlingException());
    }

    @Test
    void theSdkRetriesServerErrorsAndThenGetsTheSession() {
        emulator.failNext(2, 500, "InternalFailure");

        try (StsClient sts = Clients.stsWithRetries(emulator, alice.credentials())) {
            assertNotNull(getSessionToken(sts).credentials());
        }
        assertEquals(3, emulator.getSessionTokenCalls());
    }

    @Test
    void theSdkRetriesThrottlingAndThenGetsTheSession() {
        emulator.failNext(1, 400, "Throttling");

        try (StsClient sts = Clients.stsWithRetries(emulator, alice.credentials())) {
            assertNotNull(getSessionToken(sts).credentials());
        }
        assertEquals(2, emulator.getSessionTokenCalls());
    }

    @Test
    void theSdkGivesUpWhenEveryAttemptFails() {
        emulator.failNext(3, 503, "ServiceUnavailable");

        try (StsClient sts = Clients.stsWithRetries(emulator, alice.credentials())) {
            StsException e = assertThrows(StsException.class, () -> getSessionToken(sts));
            assertEquals(503, e.statusCode());
        }
        assertEquals(3, emulator.getSessionTokenCalls());
    }

    @Test
    void theSdkDoesNotRetryARejectedCode() {
        try (StsClient sts = Clients.stsWithRetries(emulator, alice.credentials())) {
            getSessionToken(sts);
            assertThrows(StsException.class, () -> getSessionToken(sts));
        }
        assertEquals(2, emulator.getSessionTokenCalls());
    }

    @Test
    void malformedXmlIsAnSdkClientException() {
        emulator.respondNextWithRaw(1, 200, "<GetSessionTokenResponse><GetSessionTokenResult><Credentials>");

        try (StsClient sts = Clients.sts(emulator, alice.credentials())) {
            SdkException e = assertThrows(SdkException.class, () -> getSessionToken(sts));
            assertInstanceOf(SdkClientException.class, e);
        }
        assertEquals(RecordedCall.RAW, emulator.calls().get(0).outcome());
    }

    @Test
    void aRawErrorStatusReachesTheSdkAsAServiceError() {
        emulator.respondNextWithRaw(1, 502, "<html>Bad Gateway</html>");

        StsException e = failureWithoutRetries();

        assertEquals(502, e.statusCode());
    }

    @Test
    void aDelayedRequestTimesOutOnTheClientButStillUsesTheCode() throws InterruptedException {
        emulator.delayNext(1, Duration.ofSeconds(1));

        try (StsClient impatient = impatient(UrlConnectionHttpClient.create(), Duration.ofMillis(300))) {
            assertThrows(SdkClientException.class, () -> getSessionToken(impatient));
        }
        awaitCalls(1);

        StsException e = failureWithoutRetries();
        assertEquals("AccessDenied", e.awsErrorDetails().errorCode());
    }

    @Test
    void aLostAnswerLeavesTheClientWithoutAnAnswerAndTheCodeUsedAndTheSessionIssued() {
        try (StsClient sts = Clients.sts(emulator, alice.credentials())) {
            // A kept-alive connection, as a long-lived client has: the JDK resends a request on one that breaks, unless streamed.
            sts.getCallerIdentity();
            emulator.loseAnswerToNext(1);

            assertThrows(SdkClientException.class, () -> getSessionToken(sts));
        }

        assertEquals(1, emulator.getSessionTokenCalls(), "one request, not resent by the HTTP client");
        assertEquals(RecordedCall.OK, emulator.calls().get(1).outcome(), "STS processed the request and issued a session");
        assertEquals("AccessDenied", failureWithoutRetries().awsErrorDetails().errorCode(), "the code is used up");
    }

    @Test
    void aServerErrorAfterProcessingLeavesTheCodeUsed() {
        emulator.failAfterProcessingNext(1, 500, "InternalFailure");

        StsException e = failureWithoutRetries();

        assertEquals(500, e.statusCode());
        assertEquals(RecordedCall.OK, emulator.calls().get(0).outcome());
        assertEquals("AccessDenied", failureWithoutRetries().awsErrorDetails().errorCode(), "the code is used up");
    }

    @Test
    void anAnswerLaterThanTheClientWaitsComesForARequestThatUsedTheCode() throws InterruptedException {
        emulator.answerLateNext(1, Duration.ofSeconds(1));

        try (StsClient impatient = impatient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMillis(300)).build(),
                                             Duration.ofSeconds(30))) {
            assertThrows(SdkClientException.class, () -> getSessionToken(impatient));
        }

        assertEquals(RecordedCall.OK, emulator.calls().get(0).outcome(), "processed before the answer was held back");
        assertEquals("AccessDenied", failureWithoutRetries().awsErrorDetails().errorCode());
    }

    @Test
    void afterStopAcceptingConnectionsAreRefused() {
        emulator.stopAccepting();

        try (StsClient sts = Clients.sts(emulator, alice.credentials())) {
            SdkClientException e = assertThrows(SdkClientException.class, () -> getSessionToken(sts));
            assertTrue(hasCause(e, ConnectException.class), () -> "not a refused connection: " + e);
        }
        assertEquals(0, emulator.getSessionTokenCalls());
        assertEquals(6, emulator.currentCode(device.serialNumber()).length());
    }

    @Test
    void faultsAreTakenInTheOrderTheyWerePlanned() {
        emulator.failNext(1, 503, "ServiceUnavailable");
        emulator.failNext(1, 400, "Throttling");

        assertEquals("ServiceUnavailable", failureWithoutRetries().awsErrorDetails().errorCode());
        assertEquals("Throttling", failureWithoutRetries().awsErrorDetails().errorCode());
        try (StsClient sts = Clients.sts(emulator, alice.credentials())) {
            assertNotNull(getSessionToken(sts).credentials());
        }
    }

    /** Without retries, giving up on the whole call after {@code callTimeout}, or on a read as {@code http} is set. */
    private StsClient impatient(SdkHttpClient http, Duration callTimeout) {
        return StsClient.builder()
                        .endpointOverride(emulator.endpoint())
                        .region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(alice.credentials()))
                        .httpClient(http)
                        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(callTimeout))
                        .build();
    }

    /** The emulator records a timed-out request once it has finished it. */
    private void awaitCalls(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (emulator.calls().size() < count) {
            assertTrue(System.nanoTime() < deadline, "the delayed request was never processed");
            Thread.sleep(10);
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
