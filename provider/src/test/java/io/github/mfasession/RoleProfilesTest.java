package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.internal.cache.SessionCache;
import io.github.mfasession.testkit.RecordedCall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Role profiles ({@code role_arn} + {@code source_profile}) on top of the MFA session, end to end through the
 * SDK's real StsClient to the local STS emulator: one code serves every role.
 */
class RoleProfilesTest {

    @TempDir
    Path folder;
    StsFixture fixture;
    ScriptedCodes codes;
    String prodRole;
    String stagingRole;

    @BeforeEach
    void start() {
        fixture = new StsFixture(folder);
        codes = ScriptedCodes.machine(request -> fixture.code());
        prodRole = fixture.sts.addRole("prod-admin", true);
        stagingRole = fixture.sts.addRole("staging-admin", true);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** A role profile section pointing at the emulator, with extra lines such as {@code duration_seconds = 900}. */
    private String roleProfile(String name, String roleArn, String sourceProfile, String... extraLines) {
        return "[profile " + name + "]\nrole_arn = " + roleArn + "\nsource_profile = " + sourceProfile
               + "\nregion = us-east-1\nendpoint_url = " + fixture.sts.endpoint() + "\n" + String.join("\n", extraLines) + "\n";
    }

    /** {@code [profile dev]} with the given extra lines, then the role profiles. */
    private void config(String devLines, String... roleProfiles) {
        fixture.writeConfig(devLines + String.join("", roleProfiles));
    }

    private MfaSessionProvider provider(String profile) {
        return fixture.builder().profileName(profile).codeSupplier(codes).build();
    }

    private String arnOf(AwsSessionCredentials credentials) {
        try (StsClient sts = fixture.stsClientFor(credentials)) {
            return sts.getCallerIdentity().arn();
        }
    }

    private List<RecordedCall> assumeRoleCalls() {
        return fixture.sts.calls().stream().filter(call -> "AssumeRole".equals(call.action())).collect(Collectors.toList());
    }

    private String assumedRole(String roleName) {
        return "arn:aws:sts::" + fixture.sts.accountId() + ":assumed-role/" + roleName + "/";
    }

    @Test
    void twoRolesShareOneCodeAndOneMfaSession() {
        config("", roleProfile("prod", prodRole, "dev"), roleProfile("staging", stagingRole, "dev"));

        AwsSessionCredentials prod = provider("prod").resolveCredentials();
        AwsSessionCredentials staging = provider("staging").resolveCredentials();

        assertTrue(arnOf(prod).startsWith(assumedRole("prod-admin")), arnOf(prod));
        assertTrue(arnOf(staging).startsWith(assumedRole("staging-admin")), arnOf(staging));
        assertEquals(1, codes.requests.size());
        assertEquals(1, fixture.sts.getSessionTokenCalls());
        assertEquals(2, fixture.sts.assumeRoleCalls());
    }

    @Test
    void theRoleIsAssumedWithTheSourceProfilesOwnMfaSessionAndNoCode() {
        config("", roleProfile("prod", prodRole, "dev"));
        provider("prod").resolveCredentials();
        AwsSessionCredentials devSession = provider("dev").resolveCredentials();

        RecordedCall assumeRole = assumeRoleCalls().get(0);
        assertEquals(devSession.accessKeyId(), assumeRole.accessKeyId());
        assertEquals(prodRole, assumeRole.roleArn());
        assertNull(assumeRole.serialNumber());
        assertEquals(1, fixture.sts.getSessionTokenCalls());
        assertEquals(1, codes.requests.size());
    }

    @Test
    void aRoleSessionIsServedFromMemoryUntilItsRenewTime() {
        config("", roleProfile("prod", prodRole, "dev"));
        MfaSessionProvider provider = provider("prod");
        AwsSessionCredentials first = provider.resolveCredentials();

        fixture.clock.advance(Duration.ofMinutes(54));
        assertSame(first, provider.resolveCredentials());
        assertEquals(1, fixture.sts.assumeRoleCalls());
    }

    @Test
    void roleCredentialsAreRenewedWithoutACodeWhileTheMfaSessionIsValid() {
        config("", roleProfile("prod", prodRole, "dev"));
        MfaSessionProvider provider = provider("prod");
        AwsSessionCredentials first = provider.resolveCredentials();

        fixture.clock.set(first.expirationTime().get().minus(Duration.ofMinutes(5)));
        AwsSessionCredentials second = provider.resolveCredentials();

        assertNotEquals(first.accessKeyId(), second.accessKeyId());
        assertTrue(arnOf(second).startsWith(assumedRole("prod-admin")));
        assertEquals(2, fixture.sts.assumeRoleCalls());
        assertEquals(1, fixture.sts.getSessionTokenCalls());
        assertEquals(1, codes.requests.size());
    }

    @Test
    void whenTheMfaSessionNeedsRenewalTooOneNewCodeRenewsBoth() {
        config("duration_seconds = 3600\n", roleProfile("prod", prodRole, "dev"));
        MfaSessionProvider provider = provider("prod");
        AwsSessionCredentials first = provider.resolveCredentials();

        fixture.clock.advance(Duration.ofMinutes(56));
        AwsSessionCredentials second = provider.resolveCredentials();

        assertNotEquals(first.accessKeyId(), second.accessKeyId());
        assertEquals(2, codes.requests.size());
        assertEquals(2, fixture.sts.getSessionTokenCalls());
        assertEquals(provider("dev").resolveCredentials().accessKeyId(), assumeRoleCalls().get(1).accessKeyId());
    }

    @Test
    void aValidRoleSessionIsUsedWithoutACodeWhenItsMfaSessionIsAboutToEnd() {
        config("duration_seconds = 900\n", roleProfile("prod", prodRole, "dev"));
        AwsSessionCredentials first = provider("prod").resolveCredentials();
        // As a new process sees it: nothing in memory, the role session on disk for 45 more minutes, the MFA
        // session inside its last minute. AWS does not end a role session with the session that assumed it.
        SessionCache.forgetInMemory(null);
        fixture.clock.advance(Duration.ofMinutes(14).plusSeconds(30));
        ScriptedCodes noCode = ScriptedCodes.machine(request -> {
            throw MfaSessionException.create("no code here");
        });

        AwsSessionCredentials second = fixture.builder().profileName("prod").codeSupplier(noCode).build().resolveCredentials();

        assertEquals(first.accessKeyId(), second.accessKeyId());
        assertEquals(0, noCode.requests.size());
        assertEquals(1, fixture.sts.getSessionTokenCalls());
        assertEquals(1, fixture.sts.assumeRoleCalls());
    }

    @Test
    void aRoleRenewedAfterItsMfaSessionWasRenewedIsAssumedWithTheNewOne() {
        config("duration_seconds = 3600\n", roleProfile("prod", prodRole, "dev", "duration_seconds = 900"));
        provider("prod").resolveCredentials();
        fixture.clock.advance(Duration.ofMinutes(56));
        AwsSessionCredentials renewedMfaSession = provider("dev").resolveCredentials();

        provider("prod").resolveCredentials();

        assertEquals(2, fixture.sts.getSessionTokenCalls());
        assertEquals(renewedMfaSession.accessKeyId(), assumeRoleCalls().get(assumeRoleCalls().size() - 1).accessKeyId());
    }

    @Test
    void mfaSerialInTheRoleProfileNamesTheDeviceOfTheSourceSession() throws IOException {
        Files.writeString(fixture.config, "[profile dev]\nregion = us-east-1\nendpoint_url = " + fixture.sts.endpoint() + "\n"
                                          + roleProfile("prod", prodRole, "dev", "mfa_serial = " + fixture.serial()));

        AwsSessionCredentials prod = provider("prod").resolveCredentials();

        assertTrue(arnOf(prod).startsWith(assumedRole("prod-admin")));
        assertEquals(fixture.serial(), fixture.sts.calls().get(0).serialNumber());
        assertEquals("dev", codes.requests.get(0).profile());
        assertEquals(fixture.serial(), codes.requests.get(0).mfaSerial());
    }

    @Test
    void aRoleWhoseSourceIsAnotherRoleAssumesBothInOrder() {
        String jumpRole = fixture.sts.addRole("jump", true);
        config("", roleProfile("jump", jumpRole, "dev"), roleProfile("prod", prodRole, "jump"));

        AwsSessionCredentials prod = provider("prod").resolveCredentials();

        List<RecordedCall> calls = assumeRoleCalls();
        assertEquals(List.of(jumpRole, prodRole), List.of(calls.get(0).roleArn(), calls.get(1).roleArn()));
        assertEquals(provider("dev").resolveCredentials().accessKeyId(), calls.get(0).accessKeyId());
        assertEquals(provider("jump").resolveCredentials().accessKeyId(), calls.get(1).accessKeyId());
        assertTrue(arnOf(prod).startsWith(assumedRole("prod-admin")));
        assertEquals(1, codes.requests.size());
        assertEquals(2, fixture.sts.assumeRoleCalls());
    }

    @Test
    void theRoleLastsAnHourUnderADefaultSessionNameAndTheMfaSessionTwelveHours() {
        config("", roleProfile("prod", prodRole, "dev"));
        AwsSessionCredentials prod = provider("prod").resolveCredentials();

        RecordedCall assumeRole = assumeRoleCalls().get(0);
        assertEquals(3600, assumeRole.durationSeconds());
        assertTrue(assumeRole.roleSessionName().matches("mfa-session-\\d{10}"), assumeRole.roleSessionName());
        assertNull(assumeRole.externalId());
        assertEquals(43200, fixture.sts.calls().get(0).durationSeconds());
        assertEquals(3600, Duration.between(fixture.clock.instant(), prod.expirationTime().get()).getSeconds(), 2);
    }

    @Test
    void theRoleProfilesSessionNameExternalIdAndDurationAreSent() {
        config("duration_seconds = 7200\n",
               roleProfile("prod", prodRole, "dev", "role_session_name = alice-laptop", "external_id = partner-42", "duration_seconds = 1800"));
        provider("prod").resolveCredentials();

        RecordedCall assumeRole = assumeRoleCalls().get(0);
        assertEquals("alice-laptop", assumeRole.roleSessionName());
        assertEquals("partner-42", assumeRole.externalId());
        assertEquals(1800, assumeRole.durationSeconds());
        assertEquals(7200, fixture.sts.calls().get(0).durationSeconds());
    }

    /** The README's staging-admin example: AWS gives a role assumed with an MFA session at most an hour (role chaining). */
    @Test
    void aRoleDurationAboveAnHourIsCappedAtAnHourWithOneWarningAndNoCodeIsWasted() {
        config("", roleProfile("staging", stagingRole, "dev", "duration_seconds = 7200"));

        String log = StandardError.printedWhile(() -> {
            provider("staging").resolveCredentials();
            provider("staging").resolveCredentials();
        });

        assertEquals(3600, assumeRoleCalls().get(0).durationSeconds());
        assertEquals("OK", assumeRoleCalls().get(0).outcome());
        assertEquals(1, codes.requests.size());
        assertEquals(1, fixture.sts.getSessionTokenCalls());
        List<String> warnings = log.lines().filter(line -> line.contains("WARN")).collect(Collectors.toList());
        assertEquals(1, warnings.size(), log);
        assertTrue(warnings.get(0).contains("duration_seconds 7200 of role profile 'staging' is more than the one hour AWS allows"
                                            + " a role assumed with an MFA session (role chaining); using 3600 seconds."), warnings.get(0));
        assertTrue(warnings.get(0).contains("renewed from the MFA session without a new code"), warnings.get(0));
    }

    @Test
    void aRoleDurationOfAnHourOrLessIsSentAsGivenWithoutAWarning() {
        config("", roleProfile("staging", stagingRole, "dev", "duration_seconds = 3600"));

        String log = StandardError.printedWhile(() -> provider("staging").resolveCredentials());

        assertEquals(3600, assumeRoleCalls().get(0).durationSeconds());
        assertFalse(log.contains("WARN"), log);
    }

    @Test
    void aRoleWhoseTrustPolicyAsksForAnExternalIdIsAssumedWithTheProfilesExternalId() {
        String partnerRole = fixture.sts.addRole("partner", true, Duration.ofHours(1), "partner-42");
        config("", roleProfile("partner", partnerRole, "dev", "external_id = partner-42"));

        assertTrue(arnOf(provider("partner").resolveCredentials()).startsWith(assumedRole("partner")));
    }

    @Test
    void aMissingOrWrongExternalIdIsExplainedAsARefusalByTheRolesTrustPolicy() {
        String partnerRole = fixture.sts.addRole("partner", true, Duration.ofHours(1), "partner-42");
        for (String line : List.of("", "external_id = partner-43")) {
            config("", roleProfile("partner", partnerRole, "dev", line));

            MfaSessionException e = assertThrows(MfaSessionException.class, provider("partner")::resolveCredentials, line);

            assertTrue(e.getMessage().startsWith("STS denied AssumeRole of " + partnerRole + " for profile 'partner'"), e.getMessage());
            assertTrue(e.getMessage().contains("external_id"), e.getMessage());
        }
        assertEquals(1, codes.requests.size(), "the MFA session serves both attempts");
    }

    @Test
    void providerArgumentsDescribeTheNamedRoleProfile() {
        config("", roleProfile("prod", prodRole, "dev", "role_session_name = from-profile"));
        fixture.builder().profileName("prod").codeSupplier(codes)
               .setting("role_session_name", "from-argument").sessionDuration(Duration.ofSeconds(1800))
               .build().resolveCredentials();

        RecordedCall assumeRole = assumeRoleCalls().get(0);
        assertEquals("from-argument", assumeRole.roleSessionName());
        assertEquals(1800, assumeRole.durationSeconds());
        assertEquals(43200, fixture.sts.calls().get(0).durationSeconds(), "the MFA session keeps its own length");
    }

    @Test
    void roleArnAndSourceProfileAsArgumentsMakeAProfileARoleProfile() throws IOException {
        Files.writeString(fixture.config, Files.readString(fixture.config) + "[profile prod]\nregion = us-east-1\nendpoint_url = "
                                          + fixture.sts.endpoint() + "\n");
        AwsSessionCredentials prod = fixture.builder().profileName("prod").codeSupplier(codes)
                                            .setting("role_arn", prodRole).setting("source_profile", "dev")
                                            .build().resolveCredentials();

        assertTrue(arnOf(prod).startsWith(assumedRole("prod-admin")));
        assertEquals(1, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void aCycleOfSourceProfilesIsNamedBeforeAnyCodeOrCall() {
        config("", roleProfile("a", prodRole, "b"), roleProfile("b", stagingRole, "a"));

        MfaSessionException e = assertThrows(MfaSessionException.class, provider("a")::resolveCredentials);

        assertTrue(e.getMessage().startsWith("The profiles a -> b -> a form a cycle through source_profile"), e.getMessage());
        assertEquals(0, codes.requests.size());
        assertTrue(fixture.sts.calls().isEmpty());
    }

    @Test
    void aMissingSourceProfileIsNamed() {
        config("", roleProfile("prod", prodRole, "nowhere"));

        MfaSessionException e = assertThrows(MfaSessionException.class, provider("prod")::resolveCredentials);

        assertTrue(e.getMessage().startsWith("Role profile 'prod' names source_profile 'nowhere', but there is no profile 'nowhere'"),
                   e.getMessage());
        assertTrue(fixture.sts.calls().isEmpty());
    }

    @Test
    void aRoleProfileWithoutSourceProfileIsExplained() {
        config("", "[profile prod]\nrole_arn = " + prodRole + "\ncredential_source = Ec2InstanceMetadata\n");

        MfaSessionException e = assertThrows(MfaSessionException.class, provider("prod")::resolveCredentials);

        assertTrue(e.getMessage().startsWith("Role profile 'prod' has role_arn but no source_profile (credential_source is not supported)."),
                   e.getMessage());
    }

    @Test
    void aChainThatNeverReachesLongTermKeysIsExplained() {
        config("", roleProfile("prod", prodRole, "jump"), "[profile jump]\nregion = us-east-1\n");

        MfaSessionException e = assertThrows(MfaSessionException.class, provider("prod")::resolveCredentials);

        assertTrue(e.getMessage().startsWith("Role profile 'prod' leads through source_profile to profile 'jump', which has no role_arn"
                                             + " and no long-term keys"), e.getMessage());
        assertEquals(0, codes.requests.size());
    }

    @Test
    void noMfaSerialAnywhereInTheChainNamesBothProfiles() throws IOException {
        Files.writeString(fixture.config, "[profile dev]\nregion = us-east-1\n" + roleProfile("prod", prodRole, "dev"));

        MfaSessionException e = assertThrows(MfaSessionException.class, provider("prod")::resolveCredentials);

        assertTrue(e.getMessage().startsWith("Neither role profile 'prod' nor its source profile 'dev' has mfa_serial."), e.getMessage());
    }

    @Test
    void anInvalidRoleSettingIsRefusedBeforeAnyCode() {
        for (String line : List.of("role_session_name = has space", "duration_seconds = 50000", "external_id = x")) {
            config("", roleProfile("prod", prodRole, "dev", line));
            assertThrows(MfaSessionException.class, provider("prod")::resolveCredentials, line);
        }
        assertEquals(0, codes.requests.size());
        assertTrue(fixture.sts.calls().isEmpty());
    }

    @Test
    void aRoleStsRefusesIsExplainedWithTheProfileAndRole() {
        String unknown = "arn:aws:iam::" + fixture.sts.accountId() + ":role/nobody";
        config("", roleProfile("prod", unknown, "dev"));

        MfaSessionException e = assertThrows(MfaSessionException.class, provider("prod")::resolveCredentials);

        assertTrue(e.getMessage().startsWith("STS denied AssumeRole of " + unknown + " for profile 'prod'"), e.getMessage());
        assertTrue(e.getMessage().contains("source profile 'dev'"), e.getMessage());
    }

    /** An answer to the next AssumeRole only: the MFA session is in the cache already, so the next call STS gets is AssumeRole. */
    private void nextAssumeRoleAnswers(String body) {
        config("", roleProfile("prod", prodRole, "dev"), roleProfile("staging", stagingRole, "dev"));
        provider("staging").resolveCredentials();
        fixture.sts.respondNextWithRaw(1, 200, body);
    }

    private static String assumeRoleAnswer(String credentials) {
        return "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>" + credentials
               + "</AssumeRoleResult></AssumeRoleResponse>";
    }

    private static String credentials(String expiration) {
        return "<Credentials><AccessKeyId>ASIAROLEEXAMPLE</AccessKeyId><SecretAccessKey>role-secret</SecretAccessKey>"
               + "<SessionToken>role-token</SessionToken><Expiration>" + expiration + "</Expiration></Credentials>";
    }

    @Test
    void anAssumeRoleAnswerWithoutCredentialsIsAClearErrorNotANullPointer() {
        nextAssumeRoleAnswers(assumeRoleAnswer(""));

        MfaSessionException e = assertThrows(MfaSessionException.class, provider("prod")::resolveCredentials);

        assertEquals("STS answered AssumeRole for profile 'prod' without a complete session. Check that the STS endpoint"
                     + " (sts_endpoint, endpoint_url or AWS_ENDPOINT_URL_STS) is STS, then try again.", e.getMessage());
    }

    @Test
    void anUnreadableAssumeRoleAnswerIsNotCalledANetworkProblem() {
        nextAssumeRoleAnswers("<AssumeRoleResponse><AssumeRoleResult><Credentials>");

        MfaSessionException e = assertThrows(MfaSessionException.class, provider("prod")::resolveCredentials);

        assertTrue(e.getMessage().startsWith("The answer to AssumeRole for profile 'prod' could not be read: "), e.getMessage());
    }

    @Test
    void aRoleSessionThatHasEndedByThisComputersClockIsNeverHandedOut() {
        nextAssumeRoleAnswers(assumeRoleAnswer(credentials("2001-01-01T00:00:00Z")));

        MfaSessionException e = assertThrows(MfaSessionException.class, provider("prod")::resolveCredentials);

        assertTrue(e.getMessage().startsWith("STS gave profile 'prod' a session that ends at 2001-01-01T00:00:00Z, which has passed"),
                   e.getMessage());
    }

    @Test
    void aRoleSessionEndsNoLaterThanTheDurationAskedForByThisComputersClock() {
        nextAssumeRoleAnswers(assumeRoleAnswer(credentials("2099-01-01T00:00:00Z")));

        AwsSessionCredentials role = provider("prod").resolveCredentials();

        Duration left = Duration.between(fixture.clock.instant(), role.expirationTime().orElseThrow());
        assertTrue(left.compareTo(Duration.ofHours(1)) <= 0 && left.compareTo(Duration.ofMinutes(59)) > 0, left::toString);
    }

    @Test
    void aRefusedRoleDoesNotCostTheMfaSession() {
        String unknown = "arn:aws:iam::" + fixture.sts.accountId() + ":role/nobody";
        config("", roleProfile("prod", unknown, "dev"), roleProfile("staging", stagingRole, "dev"));
        assertThrows(MfaSessionException.class, provider("prod")::resolveCredentials);

        assertTrue(arnOf(provider("staging").resolveCredentials()).startsWith(assumedRole("staging-admin")));
        assertEquals(1, codes.requests.size());
    }

    @Test
    void roleSessionsAreCachedInPrivateFilesBesideTheMfaSession() throws IOException {
        config("", roleProfile("prod", prodRole, "dev"));
        AwsSessionCredentials prod = provider("prod").resolveCredentials();

        List<Path> files;
        try (Stream<Path> listing = Files.list(folder.resolve("cache"))) {
            files = listing.filter(p -> p.toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
        assertEquals(2, files.size(), files.toString());
        assertTrue(files.get(0).getFileName().toString().startsWith("dev-"));
        Path roleFile = files.get(1);
        assertTrue(roleFile.getFileName().toString().startsWith("prod-"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(roleFile)));
        String json = Files.readString(roleFile);
        assertTrue(json.contains("\"RoleArn\":\"" + prodRole + "\""), json);
        assertTrue(json.contains(prod.accessKeyId()));
        assertFalse(json.contains(fixture.user.secretAccessKey()));
    }

    @Test
    void aSecondProcessGetsTheSameRoleSessionFromTheDiskCache() throws Exception {
        config("", roleProfile("prod", prodRole, "dev"));
        AwsSessionCredentials prod = provider("prod").resolveCredentials();

        // No code is available to the child: it must be served from the cache folder or fail.
        ChildJvm.Result result = ChildJvm.run(ChildJvm.builder(ResolveTwiceMain.class, Map.of(
            "HOME", folder.toString(),
            "AWS_CONFIG_FILE", fixture.config.toString(),
            "AWS_SHARED_CREDENTIALS_FILE", fixture.credentials.toString(),
            "AWS_MFA_CACHE_DIR", folder.resolve("cache").toString(),
            "AWS_MFA_CODE_SUPPLIER", "env"), "prod").directory(folder.toFile()), folder);

        assertEquals(0, result.exitCode(), result.stderr());
        String[] printed = result.stdout().trim().split(" ");
        assertEquals(prod.accessKeyId(), printed[0]);
        assertEquals("true", printed[3], "the second call returned the same session");
        assertEquals(1, fixture.sts.getSessionTokenCalls());
        assertEquals(1, fixture.sts.assumeRoleCalls());
        assertEquals(1, codes.requests.size());
    }
}
