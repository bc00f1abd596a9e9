package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.testkit.MutableClock;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * What STS (or whatever answers in its place) can do wrong, and what the provider makes of it: a code is never sent
 * twice (the SDK retries GetSessionToken only when it could not connect), and everything else ends in one clear error, never a stray exception and never a
 * session that has already ended. Timeouts are in {@code internal.session.StsTimeoutsTest}.
 */
class StsFaultsTest {

    private static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

    @TempDir
    Path folder;
    StsFixture fixture;
    ScriptedCodes codes;

    @BeforeEach
    void start() {
        fixture = new StsFixture(folder);
        codes = ScriptedCodes.machine(request -> fixture.code());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private MfaSessionProvider provider() {
        return fixture.builder().codeSupplier(codes).build();
    }

    private MfaSessionException failure() {
        return assertThrows(MfaSessionException.class, provider()::resolveCredentials);
    }

    private String endpoint() {
        return fixture.sts.endpoint().toString().replaceAll("/$", "");
    }

    /** A provider asking for the device's next code, as the user does after waiting for it. */
    private MfaSessionProvider providerWithTheNextCode() {
        return fixture.builder().codeSupplier(ScriptedCodes.machine(request -> fixture.code(1))).build();
    }

    @Test
    void anAnswerLostAfterStsUsedTheCodeIsNotResentAndSaysToWaitForTheNextCode() {
        fixture.sts.loseAnswerToNext(1);

        MfaSessionException e = failure();

        assertEquals(1, fixture.sts.getSessionTokenCalls(), "a resent code can only be refused: STS used it");
        assertEquals(1, codes.requests.size());
        assertTrue(e.getMessage().startsWith("No answer from STS at " + endpoint() + " to GetSessionToken for profile 'dev': "), e.getMessage());
        assertTrue(e.getMessage().endsWith(". STS may have used the code from device " + fixture.serial() + ", and accepts a code once:"
                                           + " wait for the device's next code, then try again."), e.getMessage());
        assertFalse(e.getMessage().contains("rejected"), e.getMessage());
    }

    @Test
    void afterALostAnswerTheSameCodeIsNotSentAgainButTheNextOneGetsTheSession() {
        fixture.sts.loseAnswerToNext(1);
        failure();

        MfaSessionException again = failure();

        assertTrue(again.getMessage().contains("was refused before calling STS: the last code was already used"), again.getMessage());
        assertTrue(providerWithTheNextCode().resolveCredentials().accessKeyId().startsWith("ASIA"));
        assertEquals(2, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void aServerErrorAfterStsUsedTheCodeIsNotRetriedAndSaysToWaitForTheNextCode() {
        fixture.sts.failAfterProcessingNext(1, 500, "InternalFailure");

        MfaSessionException e = failure();

        assertEquals("STS at " + endpoint() + " could not answer GetSessionToken for profile 'dev' (InternalFailure: An internal error"
                     + " has occurred) and may have used the code from device " + fixture.serial() + ", which it accepts once: wait for"
                     + " the device's next code, then try again.", e.getMessage());
        assertEquals(1, fixture.sts.getSessionTokenCalls());
        assertEquals(1, codes.requests.size());
        assertTrue(providerWithTheNextCode().resolveCredentials().accessKeyId().startsWith("ASIA"));
    }

    @Test
    void serverErrorsAreNotRetriedWithTheSameCodeBecauseAFiveHundredDoesNotSayTheCodeWasUnused() {
        fixture.sts.failNext(1, 503, "ServiceUnavailable");

        MfaSessionException e = failure();

        assertEquals("STS at " + endpoint() + " could not answer GetSessionToken for profile 'dev' (ServiceUnavailable: Service is"
                     + " unavailable. Please try again later) and may have used the code from device " + fixture.serial()
                     + ", which it accepts once: wait for the device's next code, then try again.", e.getMessage());
        assertEquals(1, fixture.sts.getSessionTokenCalls());
        assertEquals(1, codes.requests.size());
    }

    @Test
    void throttlingIsNotRetriedWithTheSameCodeAndSaysToWaitForTheNextCode() {
        fixture.sts.failNext(1, 400, "Throttling");

        MfaSessionException e = failure();

        assertEquals("STS at " + endpoint() + " could not answer GetSessionToken for profile 'dev' (Throttling: Rate exceeded) and may"
                     + " have used the code from device " + fixture.serial() + ", which it accepts once: wait for the device's next"
                     + " code, then try again.", e.getMessage());
        assertEquals(1, fixture.sts.getSessionTokenCalls());
        assertEquals(1, codes.requests.size());
    }

    @Test
    void malformedXmlIsReportedAsAnUnreadableAnswerNotAsANetworkProblem() {
        fixture.sts.respondNextWithRaw(1, 200, "<GetSessionTokenResponse><GetSessionTokenResult><Credentials>");

        MfaSessionException e = failure();

        assertTrue(e.getMessage().startsWith("The answer to GetSessionToken for profile 'dev' could not be read: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("Check that the STS endpoint (sts_endpoint, endpoint_url or AWS_ENDPOINT_URL_STS) is STS,"
                                           + " then try again."), e.getMessage());
        assertEquals(1, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void anAnswerWithoutCredentialsIsAClearErrorNotANullPointer() {
        fixture.sts.respondNextWithRaw(1, 200, "<GetSessionTokenResponse xmlns=\"" + NAMESPACE + "\"><GetSessionTokenResult/></GetSessionTokenResponse>");

        MfaSessionException e = failure();

        assertEquals("STS answered GetSessionToken for profile 'dev' without a complete session. Check that the STS endpoint"
                     + " (sts_endpoint, endpoint_url or AWS_ENDPOINT_URL_STS) is STS, then try again.", e.getMessage());
    }

    @Test
    void anAnswerWithoutAnExpirationIsAClearErrorNotAMissingValue() {
        fixture.sts.respondNextWithRaw(1, 200, "<GetSessionTokenResponse xmlns=\"" + NAMESPACE + "\"><GetSessionTokenResult><Credentials>"
                                               + "<AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>secret</SecretAccessKey>"
                                               + "<SessionToken>token</SessionToken></Credentials></GetSessionTokenResult></GetSessionTokenResponse>");

        MfaSessionException e = failure();

        assertTrue(e.getMessage().startsWith("STS answered GetSessionToken for profile 'dev' without a complete session."), e.getMessage());
    }

    @Test
    void anEmptyAnswerIsAClearError() {
        fixture.sts.respondNextWithRaw(1, 200, "");

        MfaSessionException e = failure();

        assertTrue(e.getMessage().contains("for profile 'dev'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("is STS, then try again."), e.getMessage());
    }

    @Test
    void anExpiredTokenAnswerIsExplainedAndNotRetried() {
        fixture.sts.respondNextWithRaw(1, 400, "<ErrorResponse xmlns=\"" + NAMESPACE + "\"><Error><Type>Sender</Type><Code>ExpiredToken</Code>"
                                               + "<Message>The security token included in the request is expired</Message></Error>"
                                               + "<RequestId>1</RequestId></ErrorResponse>");

        MfaSessionException e = failure();

        assertEquals("STS says the credentials of profile 'dev' have expired (ExpiredToken). GetSessionToken needs the IAM user's"
                     + " long-term keys.", e.getMessage());
        assertEquals(1, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void aRefusedConnectionLeavesTheCodeUnusedForTheNextTry() throws IOException {
        String code = fixture.code();
        ScriptedCodes sameCode = ScriptedCodes.machine(request -> code);
        MfaSessionProvider nowhere = fixture.builder().codeSupplier(sameCode).cache("memory")
                                            .setting("sts_endpoint", "http://127.0.0.1:" + closedPort()).build();

        MfaSessionException e = assertThrows(MfaSessionException.class, nowhere::resolveCredentials);
        assertTrue(e.getMessage().startsWith("Could not reach STS at http://127.0.0.1:"), e.getMessage());

        // The request never left this machine, so the same code may still be sent once.
        assertTrue(fixture.builder().codeSupplier(sameCode).build().resolveCredentials().accessKeyId().startsWith("ASIA"));
        assertEquals(1, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void anUnreachableEndpointFromTheStsEndpointArgumentIsNamed() throws IOException {
        String endpoint = "http://127.0.0.1:" + closedPort();

        MfaSessionException e = assertThrows(MfaSessionException.class,
                                             fixture.builder().codeSupplier(codes).setting("sts_endpoint", endpoint).build()::resolveCredentials);

        assertTrue(e.getMessage().startsWith("Could not reach STS at " + endpoint + " for profile 'dev': "), e.getMessage());
        assertTrue(e.getMessage().endsWith("Check the network and the endpoint settings (sts_endpoint, endpoint_url, services,"
                                           + " AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL), then try again."), e.getMessage());
    }

    @Test
    void anUnreachableEndpointFromAServicesSectionIsNamed() throws IOException {
        String endpoint = "http://127.0.0.1:" + closedPort();
        java.nio.file.Files.writeString(fixture.config, "[profile dev]\nregion = eu-west-1\nmfa_serial = " + fixture.serial() + "\nservices = local\n"
                                                        + "[services local]\nsts =\n  endpoint_url = " + endpoint + "\n");

        MfaSessionException e = assertThrows(MfaSessionException.class, provider()::resolveCredentials);

        assertTrue(e.getMessage().startsWith("Could not reach STS at " + endpoint + " for profile 'dev': "), e.getMessage());
    }

    @Test
    void anUnreachableEndpointFromAwsEndpointUrlStsIsNamedByTheCommandLine() throws Exception {
        String endpoint = "http://127.0.0.1:" + closedPort();
        java.nio.file.Files.writeString(fixture.config, "[profile dev]\nregion = eu-west-1\nmfa_serial = " + fixture.serial() + "\n");

        ChildJvm.Result result = ChildJvm.run(ChildJvm.builder(io.github.mfasession.internal.cli.Main.class, java.util.Map.of(
            "HOME", folder.toString(),
            "AWS_CONFIG_FILE", fixture.config.toString(),
            "AWS_SHARED_CREDENTIALS_FILE", fixture.credentials.toString(),
            "AWS_ENDPOINT_URL_STS", endpoint,
            "AWS_MFA_CACHE_DIR", folder.resolve("cache").toString(),
            "AWS_MFA_CODE", fixture.code()), "credential-process", "--profile", "dev"), folder);

        assertEquals(1, result.exitCode(), result.stderr());
        assertTrue(result.stderr().startsWith("mfa-session-provider: error: Could not reach STS at " + endpoint + " for profile 'dev': "), result.stderr());
    }

    /** Every exception in the chain, as a host logs it: messages, toString, stack trace with causes and suppressed. */
    private static void assertNowhereInTheChain(Throwable e, String code) {
        java.io.StringWriter trace = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(trace));
        assertFalse(trace.toString().contains(code), trace.toString());
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(code), t.toString());
            assertFalse(t.toString().contains(code), t.toString());
        }
    }

    @Test
    void aCodeEchoedInStsErrorTextIsInNoMessageOfTheWholeCauseChain() {
        String code = fixture.code();
        fixture.sts.respondNextWithRaw(1, 400, "<ErrorResponse xmlns=\"" + NAMESPACE + "\"><Error><Type>Sender</Type><Code>ValidationError</Code>"
                                               + "<Message>1 validation error detected: Value '" + code + "' at 'tokenCode' failed to satisfy"
                                               + " constraint</Message></Error><RequestId>1</RequestId></ErrorResponse>");

        MfaSessionException e = assertThrows(MfaSessionException.class,
                                             fixture.builder().codeSupplier(ScriptedCodes.machine(request -> code)).build()::resolveCredentials);

        assertTrue(e.getMessage().contains("Value '******' at 'tokenCode'"), e.getMessage());
        assertNowhereInTheChain(e, code);
    }

    @Test
    void aCodeEchoedInAnAnswerTheSdkCannotReadIsInNoMessageOfTheWholeCauseChain() {
        String code = fixture.code();
        fixture.sts.respondNextWithRaw(1, 200, "<GetSessionTokenResponse><Echo>TokenCode=" + code + "</Echo><broken");

        MfaSessionException e = assertThrows(MfaSessionException.class,
                                             fixture.builder().codeSupplier(ScriptedCodes.machine(request -> code)).build()::resolveCredentials);

        assertNowhereInTheChain(e, code);
    }

    /** A loopback port nothing listens on: connecting to it is refused at once. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void withTheLocalClockBehindStsTheSessionEndsByTheLocalClockWhenStsEndsIt() {
        MutableClock behind = MutableClock.startingAt(fixture.clock.instant().minus(Duration.ofHours(1)));
        MfaSessionProvider provider = fixture.builder().clock(behind).codeSupplier(codes).sessionDuration(Duration.ofHours(2)).build();

        AwsSessionCredentials first = provider.resolveCredentials();
        assertEquals(behind.instant().plus(Duration.ofHours(2)), first.expirationTime().get(),
                     "at most the duration asked for, by the local clock");

        // Just past two hours on: STS has ended the first session, though by STS's own word it has an hour left on this clock.
        fixture.clock.advance(Duration.ofMinutes(121));
        behind.advance(Duration.ofMinutes(121));
        AwsSessionCredentials second = provider.resolveCredentials();

        assertNotEquals(first.accessKeyId(), second.accessKeyId());
        assertEquals(2, fixture.sts.getSessionTokenCalls());
        assertFalse(acceptedBySts(first), "the first session has ended at STS");
        assertTrue(acceptedBySts(second));
    }

    private boolean acceptedBySts(AwsSessionCredentials session) {
        try (StsClient sts = fixture.stsClientFor(session)) {
            sts.getCallerIdentity();
            return true;
        } catch (StsException e) {
            return false;
        }
    }

    @Test
    void withTheLocalClockFarAheadASessionThatHasEndedByItIsRefusedNotHandedOut() {
        MutableClock ahead = MutableClock.startingAt(fixture.clock.instant().plus(Duration.ofDays(2)));
        MfaSessionProvider provider = fixture.builder().clock(ahead).codeSupplier(codes).build();

        MfaSessionException e = assertThrows(MfaSessionException.class, provider::resolveCredentials);

        assertTrue(e.getMessage().startsWith("STS gave profile 'dev' a session that ends at "), e.getMessage());
        assertTrue(e.getMessage().contains("which has passed by this computer's clock (" + ahead.instant() + ")"), e.getMessage());
        assertEquals(1, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void withTheLocalClockSlightlyAheadTheSessionIsHandedOutUntilStsEndsIt() {
        MutableClock ahead = MutableClock.startingAt(fixture.clock.instant().plus(Duration.ofMinutes(10)));
        AwsSessionCredentials session = fixture.builder().clock(ahead).codeSupplier(codes).build().resolveCredentials();

        Instant stsExpiration = fixture.clock.instant().plus(Duration.ofHours(12));
        assertEquals(stsExpiration.getEpochSecond(), session.expirationTime().get().getEpochSecond(), 1);
    }
}
