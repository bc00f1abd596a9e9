package io.github.mfasession.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

class GetSessionTokenTest {

    private final MutableClock clock = MutableClock.atSystemTime();
    private final StsEmulator emulator = StsEmulator.builder().clock(clock).build();
    private final IamUser alice = emulator.addUser("alice");
    private final VirtualMfaDevice device = emulator.addVirtualMfaDevice(alice);
    private final StsClient sts = Clients.sts(emulator, alice.credentials());

    @AfterEach
    void close() {
        sts.close();
        emulator.close();
    }

    private Credentials getSessionToken(String code) {
        return sts.getSessionToken(r -> r.serialNumber(device.serialNumber()).tokenCode(code)).credentials();
    }

    /** A code no step the emulator accepts now would show. */
    private String wrongCode() {
        Instant now = clock.instant();
        for (int candidate = 0; ; candidate++) {
            String code = String.format("%06d", candidate);
            if (!code.equals(emulator.code(device.serialNumber(), now))
                && !code.equals(emulator.code(device.serialNumber(), now.minus(Totp.STEP)))
                && !code.equals(emulator.code(device.serialNumber(), now.plus(Totp.STEP)))) {
                return code;
            }
        }
    }

    private static void assertRefused(int status, String errorCode, String message, Runnable call) {
        StsException e = assertThrows(StsException.class, call::run);
        assertEquals(status, e.statusCode());
        assertEquals(errorCode, e.awsErrorDetails().errorCode());
        if (message != null) {
            assertEquals(message, e.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void theCurrentCodeGetsASessionOfTwelveHoursByDefault() {
        Credentials session = getSessionToken(emulator.currentCode(device.serialNumber()));

        assertTrue(session.accessKeyId().matches("ASIA[A-Z0-9]{16}"));
        assertEquals(40, session.secretAccessKey().length());
        assertFalse(session.sessionToken().isEmpty());
        assertEquals(clock.instant().plusSeconds(43_200).truncatedTo(ChronoUnit.MILLIS), session.expiration());
    }

    @Test
    void theSessionIsTheUsersIdentityForGetCallerIdentity() {
        Credentials session = getSessionToken(emulator.currentCode(device.serialNumber()));
        AwsSessionCredentials credentials =
            AwsSessionCredentials.create(session.accessKeyId(), session.secretAccessKey(), session.sessionToken());

        try (StsClient withSession = Clients.sts(emulator, credentials)) {
            GetCallerIdentityResponse identity = withSession.getCallerIdentity();
            assertEquals("arn:aws:iam::" + emulator.accountId() + ":user/alice", identity.arn());
            assertEquals(emulator.accountId(), identity.account());
            assertEquals(alice.userId(), identity.userId());
        }
    }

    @Test
    void aCodeIsAcceptedOnlyOnce() {
        String code = emulator.currentCode(device.serialNumber());
        getSessionToken(code);

        assertRefused(403, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
                      () -> getSessionToken(code));
    }

    @Test
    void aUsedCodeStaysUsedWhenTheClockMovesToTheNextStep() {
        String code = emulator.currentCode(device.serialNumber());
        getSessionToken(code);
        clock.advance(Totp.STEP);

        assertRefused(403, "AccessDenied", null, () -> getSessionToken(code));
    }

    @Test
    void theCodesOfTheStepsEitherSideAreAccepted() {
        Instant now = clock.instant();
        assertNotNull(getSessionToken(emulator.code(device.serialNumber(), now.minus(Totp.STEP))));
        assertNotNull(getSessionToken(emulator.code(device.serialNumber(), now.plus(Totp.STEP))));
    }

    @Test
    void theCodesOfTwoStepsAwayAreRefused() {
        Instant now = clock.instant();
        String twoBefore = emulator.code(device.serialNumber(), now.minus(Totp.STEP.multipliedBy(2)));
        String twoAfter = emulator.code(device.serialNumber(), now.plus(Totp.STEP.multipliedBy(2)));

        assertRefused(403, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
                      () -> getSessionToken(twoBefore));
        assertRefused(403, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
                      () -> getSessionToken(twoAfter));
    }

    @Test
    void aWrongCodeIsRefused() {
        String wrong = wrongCode();

        assertRefused(403, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
                      () -> getSessionToken(wrong));
    }

    @Test
    void aSerialNumberMissingACodeIsRefused() {
        assertRefused(403, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
                      () -> sts.getSessionToken(r -> r.serialNumber(device.serialNumber())));
    }

    @Test
    void anUnknownSerialNumberIsRefused() {
        String unknown = "arn:aws:iam::" + emulator.accountId() + ":mfa/nobody";

        assertRefused(403, "AccessDenied", "MultiFactorAuthentication failed, unable to validate MFA code.  "
                                           + "Please verify your MFA serial number is valid and associated with this user.",
                      () -> sts.getSessionToken(r -> r.serialNumber(unknown).tokenCode("123456")));
    }

    @Test
    void anotherUsersDeviceIsRefused() {
        VirtualMfaDevice bobs = emulator.addVirtualMfaDevice(emulator.addUser("bob"));

        assertRefused(403, "AccessDenied", "MultiFactorAuthentication failed, unable to validate MFA code.  "
                                           + "Please verify your MFA serial number is valid and associated with this user.",
                      () -> sts.getSessionToken(r -> r.serialNumber(bobs.serialNumber())
                                                      .tokenCode(emulator.currentCode(bobs.serialNumber()))));
    }

    @Test
    void aCodeThatIsNotSixDigitsIsAValidationErrorThatDoesNotEchoIt() {
        StsException e = assertThrows(StsException.class, () -> getSessionToken("12345"));

        assertEquals(400, e.statusCode());
        assertEquals("ValidationError", e.awsErrorDetails().errorCode());
        assertEquals("1 validation error detected: Value at 'tokenCode' failed to satisfy constraint: "
                     + "Member must have length greater than or equal to 6", e.awsErrorDetails().errorMessage());
        assertFalse(e.getMessage().contains("12345"));
    }

    @Test
    void aCodeWithLettersIsAValidationError() {
        assertRefused(400, "ValidationError", "1 validation error detected: Value at 'tokenCode' failed to satisfy constraint: "
                                              + "Member must satisfy regular expression pattern: [\\d]*",
                      () -> getSessionToken("12a456"));
    }

    @Test
    void aMalformedSerialNumberIsAValidationError() {
        assertRefused(400, "ValidationError", "1 validation error detected: Value 'short' at 'serialNumber' failed to satisfy "
                                              + "constraint: Member must have length greater than or equal to 9",
                      () -> sts.getSessionToken(r -> r.serialNumber("short").tokenCode("123456")));
        assertRefused(400, "ValidationError", "1 validation error detected: Value 'arn:aws:iam::1:mfa/a b' at 'serialNumber' "
                                              + "failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=/:,.@-]*",
                      () -> sts.getSessionToken(r -> r.serialNumber("arn:aws:iam::1:mfa/a b").tokenCode("123456")));
    }

    @Test
    void everyViolationIsReportedAtOnce() {
        StsException e = assertThrows(StsException.class,
                                      () -> sts.getSessionToken(r -> r.durationSeconds(899).serialNumber("short").tokenCode("1")));

        assertTrue(e.awsErrorDetails().errorMessage().startsWith("3 validation errors detected: "));
    }

    @Test
    void aDurationBelowFifteenMinutesIsAValidationError() {
        assertRefused(400, "ValidationError", "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy "
                                              + "constraint: Member must have value greater than or equal to 900",
                      () -> sts.getSessionToken(r -> r.durationSeconds(899)));
    }

    @Test
    void aDurationAboveThirtySixHoursIsAValidationError() {
        assertRefused(400, "ValidationError", "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy "
                                              + "constraint: Member must have value less than or equal to 129600",
                      () -> sts.getSessionToken(r -> r.durationSeconds(129_601)));
    }

    @Test
    void aValidationErrorDoesNotUseUpTheCode() {
        String code = emulator.currentCode(device.serialNumber());
        assertThrows(StsException.class,
                     () -> sts.getSessionToken(r -> r.serialNumber(device.serialNumber()).tokenCode(code).durationSeconds(899)));

        assertNotNull(getSessionToken(code));
    }

    @Test
    void theRequestedDurationSetsTheExpiration() {
        Credentials session = sts.getSessionToken(r -> r.serialNumber(device.serialNumber())
                                                        .tokenCode(emulator.currentCode(device.serialNumber()))
                                                        .durationSeconds(900)).credentials();

        assertEquals(clock.instant().plusSeconds(900).truncatedTo(ChronoUnit.MILLIS), session.expiration());
    }

    @Test
    void theRootUsersSessionIsCappedAtOneHour() {
        IamUser root = emulator.addRootUser();
        try (StsClient asRoot = Clients.sts(emulator, root.credentials())) {
            Credentials longAsked = asRoot.getSessionToken(r -> r.durationSeconds(129_600)).credentials();
            Credentials byDefault = asRoot.getSessionToken().credentials();

            assertEquals(clock.instant().plusSeconds(3_600).truncatedTo(ChronoUnit.MILLIS), longAsked.expiration());
            assertEquals(clock.instant().plusSeconds(3_600).truncatedTo(ChronoUnit.MILLIS), byDefault.expiration());
        }
    }

    @Test
    void theRootUserCanUseItsOwnDevice() {
        IamUser root = emulator.addRootUser();
        VirtualMfaDevice rootDevice = emulator.addVirtualMfaDevice(root);
        assertEquals("arn:aws:iam::" + emulator.accountId() + ":mfa/root-account-mfa-device", rootDevice.serialNumber());

        try (StsClient asRoot = Clients.sts(emulator, root.credentials())) {
            assertNotNull(asRoot.getSessionToken(r -> r.serialNumber(rootDevice.serialNumber())
                                                       .tokenCode(emulator.currentCode(rootDevice.serialNumber()))));
            assertEquals("arn:aws:iam::" + emulator.accountId() + ":root", asRoot.getCallerIdentity().arn());
        }
    }

    @Test
    void noSerialAndNoCodeGetsASessionWithoutMfa() {
        assertNotNull(sts.getSessionToken().credentials());
    }

    @Test
    void sessionCredentialsCannotCallGetSessionToken() {
        Credentials session = getSessionToken(emulator.currentCode(device.serialNumber()));
        AwsSessionCredentials credentials =
            AwsSessionCredentials.create(session.accessKeyId(), session.secretAccessKey(), session.sessionToken());

        try (StsClient withSession = Clients.sts(emulator, credentials)) {
            assertRefused(403, "AccessDenied", "Cannot call GetSessionToken with session credentials",
                          () -> withSession.getSessionToken(r -> r.serialNumber(device.serialNumber())
                                                                 .tokenCode(emulator.code(device.serialNumber(),
                                                                                          clock.instant().plus(Totp.STEP)))));
        }
    }

    @Test
    void anExpiredSessionIsRefusedAsExpiredToken() {
        // The SDK signs with the real time, so an emulator whose clock moves far needs a wider skew allowance.
        try (StsEmulator tolerant = StsEmulator.builder().clock(clock).maxClockSkew(Duration.ofHours(1)).build();
             StsClient asCarol = Clients.sts(tolerant, tolerant.addUser("carol").credentials())) {
            Credentials session = asCarol.getSessionToken(r -> r.durationSeconds(900)).credentials();
            AwsSessionCredentials credentials =
                AwsSessionCredentials.create(session.accessKeyId(), session.secretAccessKey(), session.sessionToken());
            clock.advance(Duration.ofSeconds(900));

            try (StsClient withSession = Clients.sts(tolerant, credentials)) {
                assertRefused(403, "ExpiredToken", "The security token included in the request is expired",
                              withSession::getCallerIdentity);
            }
        }
    }

    @Test
    void aSessionIsValidUntilItsExpiration() {
        Credentials session = sts.getSessionToken(r -> r.durationSeconds(900)).credentials();
        AwsSessionCredentials credentials =
            AwsSessionCredentials.create(session.accessKeyId(), session.secretAccessKey(), session.sessionToken());
        clock.advance(Duration.ofSeconds(899));

        try (StsClient withSession = Clients.sts(emulator, credentials)) {
            assertEquals(alice.arn(), withSession.getCallerIdentity().arn());
        }
    }

    @Test
    void everyGetSessionTokenRequestIsCounted() {
        getSessionToken(emulator.currentCode(device.serialNumber()));
        String wrong = wrongCode();
        assertThrows(StsException.class, () -> getSessionToken(wrong));
        sts.getCallerIdentity();

        assertEquals(2, emulator.getSessionTokenCalls());
    }
}
