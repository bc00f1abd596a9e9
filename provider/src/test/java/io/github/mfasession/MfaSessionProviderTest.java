package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.internal.cache.CacheFolder;
import io.github.mfasession.internal.session.Session;
import io.github.mfasession.internal.session.SessionKey;
import io.github.mfasession.testkit.RecordedCall;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** The provider end to end, through the SDK's real StsClient to the local STS emulator. */
class MfaSessionProviderTest {

    @TempDir
    Path folder;
    StsFixture fixture;

    @BeforeEach
    void start() {
        fixture = new StsFixture(folder);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private MfaSessionProvider withCodeInEnvironment() {
        fixture.environment.put("AWS_MFA_CODE", fixture.code());
        return fixture.builder().build();
    }

    @Test
    void returnsASessionThatStsAccepts() {
        AwsSessionCredentials session = withCodeInEnvironment().resolveCredentials();

        assertTrue(session.accessKeyId().startsWith("ASIA"), session.accessKeyId());
        assertEquals(Optional.of("MfaSessionProvider"), session.providerName());
        assertTrue(session.expirationTime().isPresent());
        try (StsClient sts = fixture.stsClientFor(session)) {
            GetCallerIdentityResponse identity = sts.getCallerIdentity();
            assertEquals(fixture.user.arn(), identity.arn());
        }
    }

    @Test
    void aSessionAnotherProcessRenewedIsTakenFromDiskOnceTheOneInMemoryIsDueByTheProvidersClock() {
        ScriptedCodes codes = ScriptedCodes.machine(request -> fixture.code());
        MfaSessionProvider provider = fixture.builder().codeSupplier(codes).build();
        provider.resolveCredentials();
        // Past the renew time by the provider's clock, though not by the wall clock.
        fixture.clock.advance(Duration.ofHours(12).minusMinutes(2));
        AwsSessionCredentials renewedElsewhere = AwsSessionCredentials.builder()
                                                                      .accessKeyId("ASIARENEWEDELSEWHERE")
                                                                      .secretAccessKey("secret-renewed-elsewhere")
                                                                      .sessionToken("token-renewed-elsewhere")
                                                                      .expirationTime(fixture.clock.instant().plus(Duration.ofHours(12)))
                                                                      .providerName("MfaSessionProvider")
                                                                      .build();
        new CacheFolder(folder.resolve("cache"))
            .save(new SessionKey("dev", fixture.user.accessKeyId(), fixture.serial()), new Session(renewedElsewhere, fixture.clock.instant()));

        assertEquals("ASIARENEWEDELSEWHERE", provider.resolveCredentials().accessKeyId());
        assertEquals(1, codes.requests.size());
        assertEquals(1, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void secondCallIsServedFromMemoryWithoutCallingSts() {
        MfaSessionProvider provider = withCodeInEnvironment();
        AwsSessionCredentials first = provider.resolveCredentials();
        AwsSessionCredentials second = provider.resolveCredentials();

        assertSame(first, second);
        assertEquals(1, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void sendsTheDeviceAndTheProfilesDuration() {
        fixture.writeConfig("duration_seconds = 3600\n");
        AwsSessionCredentials session = withCodeInEnvironment().resolveCredentials();

        RecordedCall call = fixture.sts.calls().get(0);
        assertEquals(3600, call.durationSeconds());
        assertEquals(fixture.serial(), call.serialNumber());
        assertEquals(fixture.user.accessKeyId(), call.accessKeyId());
        assertEquals(fixture.clock.instant().plusSeconds(3600).getEpochSecond(), session.expirationTime().get().getEpochSecond(), 2);
    }

    @Test
    void theDefaultSessionLastsTwelveHours() {
        withCodeInEnvironment().resolveCredentials();
        assertEquals(43200, fixture.sts.calls().get(0).durationSeconds());
    }

    @Test
    void reusesTheSessionUntilTheRenewMarginThenAsksForANewCode() {
        ScriptedCodes codes = ScriptedCodes.machine(request -> fixture.code());
        MfaSessionProvider provider = fixture.builder().codeSupplier(codes).refreshBefore(Duration.ofMinutes(10)).build();
        AwsSessionCredentials first = provider.resolveCredentials();
        Instant expiration = first.expirationTime().get();

        fixture.clock.set(expiration.minus(Duration.ofMinutes(10)).minusSeconds(1));
        assertSame(first, provider.resolveCredentials());
        assertEquals(1, fixture.sts.getSessionTokenCalls());

        fixture.clock.set(expiration.minus(Duration.ofMinutes(10)));
        AwsSessionCredentials second = provider.resolveCredentials();
        assertNotEquals(first.accessKeyId(), second.accessKeyId());
        assertEquals(2, fixture.sts.getSessionTokenCalls());
        assertEquals(2, codes.requests.size());
    }

    @Test
    void aSessionShorterThanTheMarginIsRenewedHalfWay() {
        // Root sessions last an hour whatever is asked; a margin longer than that would renew at every call.
        try (StsFixture account = rootFixture()) {
            ScriptedCodes codes = ScriptedCodes.machine(r -> account.code());
            MfaSessionProvider provider = account.builder().codeSupplier(codes).refreshBefore(Duration.ofSeconds(4000)).build();
            AwsSessionCredentials session = provider.resolveCredentials();

            account.clock.advance(Duration.ofMinutes(29));
            assertSame(session, provider.resolveCredentials());
            account.clock.advance(Duration.ofMinutes(2));
            assertNotEquals(session.accessKeyId(), provider.resolveCredentials().accessKeyId());
            assertEquals(2, codes.requests.size());
        }
    }

    private StsFixture rootFixture() {
        Path rootFolder = folder.resolve("root");
        rootFolder.toFile().mkdirs();
        return new StsFixture(rootFolder, true);
    }

    @Test
    void rootSessionsGetWhatStsGivesThem() {
        try (StsFixture account = rootFixture()) {
            account.environment.put("AWS_MFA_CODE", account.code());
            AwsSessionCredentials session = account.builder().build().resolveCredentials();
            assertEquals(3600, Duration.between(account.clock.instant(), session.expirationTime().get()).getSeconds(), 2);
        }
    }

    @Test
    void manyThreadsAtFirstUseShareOneCodeAndOneStsCall() throws Exception {
        ScriptedCodes codes = ScriptedCodes.machine(request -> fixture.code());
        MfaSessionProvider provider = fixture.builder().codeSupplier(codes).build();
        int threads = 32;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            Callable<String> call = () -> {
                start.await();
                return provider.resolveCredentials().accessKeyId();
            };
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(call));
            }
            start.countDown();
            Set<String> keys = ConcurrentHashMap.newKeySet();
            for (Future<String> future : futures) {
                keys.add(future.get(30, TimeUnit.SECONDS));
            }
            assertEquals(1, keys.size());
            assertEquals(1, codes.requests.size());
            assertEquals(1, fixture.sts.getSessionTokenCalls());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void providersBuiltSeparatelyInOneProcessShareTheSession() {
        fixture.environment.put("AWS_MFA_CODE", fixture.code());
        AwsSessionCredentials first = fixture.builder().cache("memory").build().resolveCredentials();
        AwsSessionCredentials second = fixture.builder().cache("memory").build().resolveCredentials();

        assertEquals(first.accessKeyId(), second.accessKeyId());
        assertEquals(1, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void aRejectedCodeIsAskedForAgainByAnInteractiveSupplier() {
        ScriptedCodes person = ScriptedCodes.person(r -> r.attempt() == 1 ? wrong(fixture.code()) : fixture.code());
        AwsSessionCredentials session = fixture.builder().codeSupplier(person).build().resolveCredentials();

        assertTrue(session.accessKeyId().startsWith("ASIA"));
        assertEquals(2, person.requests.size());
        assertEquals(Optional.empty(), person.requests.get(0).lastFailure());
        assertEquals(Optional.of("the last code was rejected"), person.requests.get(1).lastFailure());
        assertEquals(2, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void anInteractiveSupplierGetsThreeAttempts() {
        ScriptedCodes person = ScriptedCodes.person(r -> wrong(fixture.code(r.attempt())));
        MfaSessionException e = assertThrows(MfaSessionException.class, fixture.builder().codeSupplier(person).build()::resolveCredentials);

        assertEquals(3, person.requests.size());
        assertEquals(3, fixture.sts.getSessionTokenCalls());
        assertTrue(e.getMessage().contains("No MFA session after 3 codes for device " + fixture.serial() + " (profile 'dev')"), e.getMessage());
    }

    @Test
    void aRejectedCodeFromANonInteractiveSupplierFailsAtOnce() {
        String wrongCode = wrong(fixture.code());
        fixture.environment.put("AWS_MFA_CODE", wrongCode);
        MfaSessionException e = assertThrows(MfaSessionException.class, fixture.builder().build()::resolveCredentials);

        assertEquals(1, fixture.sts.getSessionTokenCalls());
        assertTrue(e.getMessage().startsWith("STS rejected the MFA code from the 'env' supplier for device " + fixture.serial()), e.getMessage());
        assertFalse(e.getMessage().contains(wrongCode));
    }

    @Test
    void aCodeThatIsNotSixDigitsNeverReachesSts() {
        for (String malformed : List.of("12345", "1234567", "12a456", " ")) {
            ScriptedCodes codes = ScriptedCodes.machine(r -> malformed);
            MfaSessionException e = assertThrows(MfaSessionException.class, fixture.builder().codeSupplier(codes).build()::resolveCredentials);
            assertTrue(e.getMessage().contains("not 6 digits"), e.getMessage());
        }
        assertEquals(0, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void aCodeAlreadySentIsNeverResent() {
        String code = fixture.code();
        ScriptedCodes codes = ScriptedCodes.machine(r -> code);
        fixture.builder().codeSupplier(codes).cache("memory").build().resolveCredentials();
        // A provider caching elsewhere has no session to share, and the same code is still current.
        MfaSessionProvider provider = fixture.builder().codeSupplier(codes).build();

        MfaSessionException e = assertThrows(MfaSessionException.class, provider::resolveCredentials);
        assertTrue(e.getMessage().contains("already used"), e.getMessage());
        assertEquals(1, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void theEnvironmentCodeServesOneSessionAndSaysHowToRenew() {
        MfaSessionProvider provider = withCodeInEnvironment();
        AwsSessionCredentials first = provider.resolveCredentials();
        fixture.clock.set(first.expirationTime().get());

        MfaSessionException e = assertThrows(MfaSessionException.class, provider::resolveCredentials);
        assertTrue(e.getMessage().contains("AWS_MFA_CODE was already used"), e.getMessage());
        assertTrue(e.getMessage().contains("mfa_process"), e.getMessage());
        assertEquals(1, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void aFailureDoesNotPoisonTheProvider() {
        // STS used the code and then failed: the SDK does not resend it.
        fixture.sts.failAfterProcessingNext(1, 500, "InternalFailure");
        // The first code counts as used even though STS failed, so the next session attempt gets the next code.
        ScriptedCodes codes = ScriptedCodes.machine(r -> fixture.code(codesAskedSoFar()));
        MfaSessionProvider provider = fixture.builder().codeSupplier(codes).build();

        MfaSessionException e = assertThrows(MfaSessionException.class, provider::resolveCredentials);
        assertTrue(e.getMessage().contains("InternalFailure"), e.getMessage());
        assertEquals(1, fixture.sts.getSessionTokenCalls());
        assertTrue(provider.resolveCredentials().accessKeyId().startsWith("ASIA"));
        assertEquals(2, codes.requests.size());
    }

    private int codesAsked;

    private int codesAskedSoFar() {
        return codesAsked++;
    }

    @Test
    void anUnreachableStsIsReportedWithTheEndpointFromTheProfile() {
        fixture.sts.stopAccepting();
        fixture.environment.put("AWS_MFA_CODE", fixture.code());
        MfaSessionException e = assertThrows(MfaSessionException.class, fixture.builder().build()::resolveCredentials);

        // The fixture's profile has endpoint_url = the emulator.
        assertTrue(e.getMessage().startsWith("Could not reach STS at " + fixture.sts.endpoint() + " for profile 'dev'"), e.getMessage());
    }

    @Test
    void sessionCredentialsAsTheBaseAreRefusedBeforeAnyPrompt() {
        fixture.writeCredentials("[dev]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = secret\naws_session_token = token\n");
        ScriptedCodes codes = ScriptedCodes.machine(r -> fixture.code());
        MfaSessionException e = assertThrows(MfaSessionException.class, fixture.builder().codeSupplier(codes).build()::resolveCredentials);

        assertTrue(e.getMessage().contains("long-term access keys"), e.getMessage());
        assertEquals(0, codes.requests.size());
        assertEquals(0, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void settingProblemsAreFoundBeforeAnyPromptOrStsCall() {
        ScriptedCodes codes = ScriptedCodes.machine(r -> fixture.code());
        for (String config : List.of("duration_seconds = 100\n", "mfa_cache = nowhere\n")) {
            fixture.writeConfig(config);
            assertThrows(MfaSessionException.class, fixture.builder().codeSupplier(codes).build()::resolveCredentials);
        }
        assertThrows(MfaSessionException.class, fixture.builder().codeSupplier(codes).profileName("missing").build()::resolveCredentials);
        assertEquals(0, codes.requests.size());
        assertEquals(0, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void aFixedConfigFileIsPickedUpByTheNextCall() {
        fixture.writeConfig("duration_seconds = 100\n");
        fixture.environment.put("AWS_MFA_CODE", fixture.code());
        MfaSessionProvider provider = fixture.builder().build();
        assertThrows(MfaSessionException.class, provider::resolveCredentials);

        fixture.writeConfig("duration_seconds = 900\n");
        assertEquals(900, Duration.between(fixture.clock.instant(), provider.resolveCredentials().expirationTime().get()).getSeconds(), 2);
    }

    @Test
    void anUnknownAccessKeyIsExplained() {
        fixture.writeCredentials("[dev]\naws_access_key_id = AKIAUNKNOWN000000000\naws_secret_access_key = whatever\n");
        fixture.environment.put("AWS_MFA_CODE", fixture.code());
        MfaSessionException e = assertThrows(MfaSessionException.class, fixture.builder().build()::resolveCredentials);
        assertTrue(e.getMessage().contains("InvalidClientTokenId") && e.getMessage().contains("aws_access_key_id"), e.getMessage());
    }

    @Test
    void aWrongSecretKeyIsExplained() {
        fixture.writeCredentials("[dev]\naws_access_key_id = " + fixture.user.accessKeyId() + "\naws_secret_access_key = wrong\n");
        fixture.environment.put("AWS_MFA_CODE", fixture.code());
        MfaSessionException e = assertThrows(MfaSessionException.class, fixture.builder().build()::resolveCredentials);
        assertTrue(e.getMessage().contains("SignatureDoesNotMatch") && e.getMessage().contains("aws_secret_access_key"), e.getMessage());
    }

    @Test
    void anExplicitEndpointOverridesTheProfile() {
        fixture.writeConfig("");
        fixture.environment.put("AWS_MFA_CODE", fixture.code());
        AwsSessionCredentials session = fixture.builder()
                                               .setting("sts_endpoint", fixture.sts.endpoint().toString())
                                               .build().resolveCredentials();
        assertTrue(session.accessKeyId().startsWith("ASIA"));
        assertEquals(Set.of("GetSessionToken"), fixture.sts.calls().stream().map(RecordedCall::action).collect(Collectors.toSet()));
    }

    /** A code the device does not show now: the right one with its last digit changed. */
    private static String wrong(String code) {
        char last = code.charAt(5);
        return code.substring(0, 5) + (char) (last == '9' ? '0' : last + 1);
    }
}
