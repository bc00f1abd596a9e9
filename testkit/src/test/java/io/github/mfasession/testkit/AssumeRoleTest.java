package io.github.mfasession.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

class AssumeRoleTest {

    private final MutableClock clock = MutableClock.atSystemTime();
    // The SDK signs with the real time; the emulator's clock is moved to expire sessions.
    private final StsEmulator emulator = StsEmulator.builder().clock(clock).maxClockSkew(Duration.ofDays(1)).build();
    private final IamUser alice = emulator.addUser("alice");
    private final VirtualMfaDevice device = emulator.addVirtualMfaDevice(alice);
    private final String adminRole = emulator.addRole("admin", true);
    private final String readerRole = emulator.addRole("reader", false);

    @AfterEach
    void close() {
        emulator.close();
    }

    private AwsSessionCredentials mfaSession() {
        try (StsClient sts = Clients.sts(emulator, alice.credentials())) {
            return session(sts.getSessionToken(r -> r.serialNumber(device.serialNumber())
                                                     .tokenCode(emulator.currentCode(device.serialNumber())))
                              .credentials());
        }
    }

    private AwsSessionCredentials sessionWithoutMfa() {
        try (StsClient sts = Clients.sts(emulator, alice.credentials())) {
            return session(sts.getSessionToken().credentials());
        }
    }

    private AssumeRoleResponse assumeRole(AwsCredentials caller, Consumer<AssumeRoleRequest.Builder> request) {
        try (StsClient sts = Clients.sts(emulator, caller)) {
            return sts.assumeRole(r -> request.accept(r.roleSessionName("alice-session")));
        }
    }

    private static AwsSessionCredentials session(Credentials credentials) {
        return AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken());
    }

    private GetCallerIdentityResponse identity(Credentials credentials) {
        try (StsClient sts = Clients.sts(emulator, session(credentials))) {
            return sts.getCallerIdentity();
        }
    }

    private static StsException refused(int status, String errorCode, Runnable call) {
        StsException e = assertThrows(StsException.class, call::run);
        assertEquals(status, e.statusCode());
        assertEquals(errorCode, e.awsErrorDetails().errorCode());
        return e;
    }

    @Test
    void rolesAreNamedInTheEmulatorsAccount() {
        assertEquals("arn:aws:iam::" + emulator.accountId() + ":role/admin", adminRole);
        assertThrows(IllegalArgumentException.class, () -> emulator.addRole("admin", false));
        assertThrows(IllegalArgumentException.class, () -> emulator.addRole("no spaces", false));
    }

    @Test
    void anMfaSessionAssumesARoleThatRequiresMfaForAnHourByDefault() {
        AssumeRoleResponse response = assumeRole(mfaSession(), r -> r.roleArn(adminRole));

        Credentials credentials = response.credentials();
        assertTrue(credentials.accessKeyId().matches("ASIA[A-Z0-9]{16}"), credentials.accessKeyId());
        assertEquals(clock.instant().plusSeconds(3600).truncatedTo(ChronoUnit.MILLIS), credentials.expiration());
        assertEquals("arn:aws:sts::" + emulator.accountId() + ":assumed-role/admin/alice-session", response.assumedRoleUser().arn());
        assertTrue(response.assumedRoleUser().assumedRoleId().matches("AROA[A-Z0-9]{17}:alice-session"),
                   response.assumedRoleUser().assumedRoleId());
    }

    @Test
    void theRoleSessionIsTheAssumedRoleForGetCallerIdentity() {
        AssumeRoleResponse response = assumeRole(mfaSession(), r -> r.roleArn(adminRole));

        GetCallerIdentityResponse identity = identity(response.credentials());
        assertEquals(response.assumedRoleUser().arn(), identity.arn());
        assertEquals(response.assumedRoleUser().assumedRoleId(), identity.userId());
        assertEquals(emulator.accountId(), identity.account());
    }

    @Test
    void aRoleThatRequiresMfaRefusesLongTermKeys() {
        StsException e = refused(403, "AccessDenied", () -> assumeRole(alice.credentials(), r -> r.roleArn(adminRole)));

        assertEquals("User: " + alice.arn() + " is not authorized to perform: sts:AssumeRole on resource: " + adminRole,
                     e.awsErrorDetails().errorMessage());
    }

    @Test
    void aRoleThatRequiresMfaRefusesASessionObtainedWithoutMfa() {
        refused(403, "AccessDenied", () -> assumeRole(sessionWithoutMfa(), r -> r.roleArn(adminRole)));
    }

    @Test
    void aCodeInTheRequestSatisfiesARoleThatRequiresMfa() {
        AssumeRoleResponse response = assumeRole(alice.credentials(), r -> r.roleArn(adminRole)
                                                                             .serialNumber(device.serialNumber())
                                                                             .tokenCode(emulator.currentCode(device.serialNumber())));
        assertTrue(response.credentials().accessKeyId().startsWith("ASIA"));
    }

    @Test
    void aRoleWithoutAnMfaConditionAcceptsLongTermKeys() {
        assertTrue(assumeRole(alice.credentials(), r -> r.roleArn(readerRole)).credentials().accessKeyId().startsWith("ASIA"));
    }

    @Test
    void anUnknownRoleIsRefusedLikeARoleThatDoesNotTrustTheCaller() {
        String unknown = "arn:aws:iam::" + emulator.accountId() + ":role/nobody";
        StsException e = refused(403, "AccessDenied", () -> assumeRole(mfaSession(), r -> r.roleArn(unknown)));

        assertTrue(e.awsErrorDetails().errorMessage().endsWith("sts:AssumeRole on resource: " + unknown), e.getMessage());
    }

    @Test
    void theDurationMustBeFifteenMinutesToTwelveHours() {
        String twelveHours = emulator.addRole("twelve-hours", false, Duration.ofHours(12), null);
        StsException tooShort = refused(400, "ValidationError", () -> assumeRole(alice.credentials(), r -> r.roleArn(twelveHours).durationSeconds(899)));
        StsException tooLong = refused(400, "ValidationError", () -> assumeRole(alice.credentials(), r -> r.roleArn(twelveHours).durationSeconds(43_201)));

        assertEquals("1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: "
                     + "Member must have value greater than or equal to 900", tooShort.awsErrorDetails().errorMessage());
        assertTrue(tooLong.awsErrorDetails().errorMessage().endsWith("Member must have value less than or equal to 43200"));
        Credentials longest = assumeRole(alice.credentials(), r -> r.roleArn(twelveHours).durationSeconds(43_200)).credentials();
        assertEquals(clock.instant().plusSeconds(43_200).truncatedTo(ChronoUnit.MILLIS), longest.expiration());
    }

    @Test
    void aRoleGivesLongTermKeysUpToItsMaximumSessionDuration() {
        String twoHours = emulator.addRole("two-hours", false, Duration.ofHours(2), null);

        Credentials longest = assumeRole(alice.credentials(), r -> r.roleArn(twoHours).durationSeconds(7200)).credentials();
        StsException e = refused(400, "ValidationError", () -> assumeRole(alice.credentials(), r -> r.roleArn(twoHours).durationSeconds(7201)));

        assertEquals(clock.instant().plusSeconds(7200).truncatedTo(ChronoUnit.MILLIS), longest.expiration());
        assertEquals("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", e.awsErrorDetails().errorMessage());
    }

    @Test
    void roleChainingLimitsAnMfaSessionToAnHourEvenForARoleAllowingTwelve() {
        String twelveHours = emulator.addRole("twelve-hours", true, Duration.ofHours(12), null);

        StsException e = refused(400, "ValidationError", () -> assumeRole(mfaSession(), r -> r.roleArn(twelveHours).durationSeconds(7200)));

        assertTrue(e.awsErrorDetails().errorMessage().contains("1 hour session limit for roles assumed by role chaining"), e.getMessage());
    }

    @Test
    void aRoleWithAnExternalIdRefusesARequestWithoutItOrWithAnother() {
        String partnerRole = emulator.addRole("partner", true, Duration.ofHours(1), "partner-42");
        AwsSessionCredentials session = mfaSession();

        StsException without = refused(403, "AccessDenied", () -> assumeRole(session, r -> r.roleArn(partnerRole)));
        refused(403, "AccessDenied", () -> assumeRole(session, r -> r.roleArn(partnerRole).externalId("partner-43")));
        AssumeRoleResponse with = assumeRole(session, r -> r.roleArn(partnerRole).externalId("partner-42"));

        assertEquals("User: " + alice.arn() + " is not authorized to perform: sts:AssumeRole on resource: " + partnerRole,
                     without.awsErrorDetails().errorMessage());
        assertTrue(with.credentials().accessKeyId().startsWith("ASIA"));
    }

    @Test
    void aRoleWithoutAnExternalIdIgnoresOneInTheRequest() {
        assertTrue(assumeRole(mfaSession(), r -> r.roleArn(adminRole).externalId("anything-at-all")).credentials().accessKeyId().startsWith("ASIA"));
    }

    @Test
    void aRolesMaximumSessionDurationIsOneToTwelveHours() {
        assertThrows(IllegalArgumentException.class, () -> emulator.addRole("short", false, Duration.ofMinutes(59), null));
        assertThrows(IllegalArgumentException.class, () -> emulator.addRole("long", false, Duration.ofHours(12).plusSeconds(1), null));
    }

    @Test
    void theRoleSessionNameMustBeTwoToSixtyFourOfItsCharacters() {
        AwsSessionCredentials session = mfaSession();
        for (String invalid : new String[] {"a", "x".repeat(65), "with space", "slash/ed"}) {
            refused(400, "ValidationError", () -> assumeRole(session, r -> r.roleArn(adminRole).roleSessionName(invalid)));
        }
        String valid = "a+b=c,d.e@f_g-h";
        AssumeRoleResponse response = assumeRole(session, r -> r.roleArn(adminRole).roleSessionName(valid));
        assertTrue(response.assumedRoleUser().arn().endsWith("/admin/" + valid));
    }

    @Test
    void aMissingRoleSessionNameIsAValidationError() {
        try (StsClient sts = Clients.sts(emulator, mfaSession())) {
            StsException e = refused(400, "ValidationError", () -> sts.assumeRole(r -> r.roleArn(adminRole)));
            assertTrue(e.awsErrorDetails().errorMessage().contains("Value null at 'roleSessionName'"), e.getMessage());
        }
    }

    @Test
    void aRoleSessionAssumesAnotherRoleForAtMostAnHourKeepingItsMfaContext() {
        Credentials reader = assumeRole(mfaSession(), r -> r.roleArn(readerRole)).credentials();

        refused(400, "ValidationError", () -> assumeRole(session(reader), r -> r.roleArn(adminRole).durationSeconds(3601)));
        AssumeRoleResponse chained = assumeRole(session(reader), r -> r.roleArn(adminRole));
        assertTrue(chained.assumedRoleUser().arn().endsWith(":assumed-role/admin/alice-session"));
    }

    @Test
    void anMfaSessionFromGetSessionTokenAssumesARoleForAtMostAnHourAsRoleChaining() {
        AwsSessionCredentials session = mfaSession();

        StsException e = refused(400, "ValidationError", () -> assumeRole(session, r -> r.roleArn(adminRole).durationSeconds(3601)));

        assertEquals("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
                     e.awsErrorDetails().errorMessage());
        Credentials hour = assumeRole(session, r -> r.roleArn(adminRole).durationSeconds(3600)).credentials();
        assertEquals(clock.instant().plusSeconds(3600).truncatedTo(ChronoUnit.MILLIS), hour.expiration());
    }

    @Test
    void aRoleRefusesMoreThanItsMaximumSessionDurationOfOneHourByDefault() {
        StsException e = refused(400, "ValidationError", () -> assumeRole(alice.credentials(), r -> r.roleArn(readerRole).durationSeconds(3601)));

        assertEquals("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", e.awsErrorDetails().errorMessage());
    }

    @Test
    void aRoleSessionCannotGetASessionToken() {
        Credentials role = assumeRole(mfaSession(), r -> r.roleArn(adminRole)).credentials();
        try (StsClient sts = Clients.sts(emulator, session(role))) {
            refused(403, "AccessDenied", sts::getSessionToken);
        }
    }

    @Test
    void anExpiredRoleSessionIsRefused() {
        Credentials role = assumeRole(mfaSession(), r -> r.roleArn(adminRole).durationSeconds(900)).credentials();
        clock.set(role.expiration());

        refused(403, "ExpiredToken", () -> identity(role));
    }

    @Test
    void theRootUserCannotAssumeARole() {
        IamUser root = emulator.addRootUser();
        StsException e = refused(403, "AccessDenied", () -> assumeRole(root.credentials(), r -> r.roleArn(readerRole)));
        assertEquals("Roles may not be assumed by root accounts.", e.awsErrorDetails().errorMessage());
    }

    @Test
    void assumeRoleCallsAreCountedAndRecordedWithTheirRoleParameters() {
        AwsSessionCredentials session = mfaSession();
        assumeRole(session, r -> r.roleArn(adminRole).externalId("partner-42").durationSeconds(1800));
        refused(403, "AccessDenied", () -> assumeRole(alice.credentials(), r -> r.roleArn(adminRole)));

        assertEquals(2, emulator.assumeRoleCalls());
        assertEquals(1, emulator.getSessionTokenCalls());
        RecordedCall call = emulator.calls().get(1);
        assertEquals("AssumeRole", call.action());
        assertEquals(session.accessKeyId(), call.accessKeyId());
        assertEquals(adminRole, call.roleArn());
        assertEquals("alice-session", call.roleSessionName());
        assertEquals("partner-42", call.externalId());
        assertEquals(1800, call.durationSeconds());
        assertNull(call.serialNumber());
        assertTrue(call.isOk());
        assertEquals("AccessDenied", emulator.calls().get(2).outcome());
    }
}
