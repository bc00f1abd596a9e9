package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.internal.cache.SessionCache;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The refresh policy through the contract, with a clock moved by hand: inside the advisory window (the renew
 * margin, 5 minutes by default) a renewal that fails for any reason leaves the current session in use, with one
 * warning and no new attempt (so no prompt) for 5 minutes; inside the mandatory window (the last minute) a renewal
 * must succeed or the call fails; a session is never handed out past its expiration.
 */
class RefreshWindowsTest {

    private static final String WARNING = "Could not renew the MFA session for profile dev";

    @TempDir
    Path folder;
    StsFixture fixture;
    ScriptedCodes cancelled;

    @BeforeEach
    void start() {
        fixture = new StsFixture(folder);
        // A person who closes the dialog every time.
        cancelled = ScriptedCodes.person(request -> {
            throw MfaSessionException.create("MFA code entry was cancelled for profile 'dev'.");
        });
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** A session from the device's code, then the same provider with a supplier that fails from now on. */
    private AwsSessionCredentials firstSession(MfaSessionProvider.Builder builder) {
        fixture.environment.put("AWS_MFA_CODE", fixture.code());
        return builder.build().resolveCredentials();
    }

    private static int count(String text, String part) {
        Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    private Instant expirationOf(AwsSessionCredentials session) {
        return session.expirationTime().orElseThrow();
    }

    @Test
    void aSpentEnvironmentCodeInTheAdvisoryWindowLeavesTheCurrentSessionInUseWithOneWarning() {
        MfaSessionProvider provider = fixture.builder().build();
        AwsSessionCredentials first = firstSession(fixture.builder());
        fixture.clock.set(expirationOf(first).minus(Duration.ofMinutes(4)));

        String log = StandardError.printedWhile(() -> {
            for (int i = 0; i < 50; i++) {
                assertEquals(first.accessKeyId(), provider.resolveCredentials().accessKeyId());
            }
        });

        assertEquals(1, count(log, WARNING), log);
        assertTrue(log.contains("The code in AWS_MFA_CODE was already used"), log);
        assertTrue(log.contains("ends at " + expirationOf(first)) && log.contains("(4 min 0 s left)"), log);
        assertEquals(1, fixture.sts.getSessionTokenCalls(), "the spent code was never sent again");
    }

    @Test
    void aCancelledPromptIsNotShownAgainUntilTheBackOffEnds() {
        AwsSessionCredentials first = firstSession(fixture.builder().refreshBefore(Duration.ofMinutes(30)));
        MfaSessionProvider provider = fixture.builder().refreshBefore(Duration.ofMinutes(30)).codeSupplier(cancelled).build();
        fixture.clock.set(expirationOf(first).minus(Duration.ofMinutes(30)));

        String log = StandardError.printedWhile(() -> {
            for (int minute = 0; minute < 5; minute++) {
                for (int call = 0; call < 20; call++) {
                    assertEquals(first.accessKeyId(), provider.resolveCredentials().accessKeyId());
                }
                fixture.clock.advance(Duration.ofMinutes(1));
            }
        });
        assertEquals(1, cancelled.requests.size(), "one prompt in the first five minutes of the window");
        assertEquals(1, count(log, WARNING), log);

        assertEquals(first.accessKeyId(), provider.resolveCredentials().accessKeyId());
        assertEquals(2, cancelled.requests.size(), "asked again once the back-off has ended");
        assertEquals(1, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void anStsThatIsDownInTheAdvisoryWindowLeavesTheCurrentSessionInUse() {
        AwsSessionCredentials first = firstSession(fixture.builder());
        ScriptedCodes device = ScriptedCodes.machine(request -> fixture.code());
        MfaSessionProvider provider = fixture.builder().codeSupplier(device).build();
        fixture.clock.set(expirationOf(first).minus(Duration.ofMinutes(3)));
        // STS uses the code and fails to answer; the SDK does not resend the code.
        fixture.sts.failAfterProcessingNext(1, 503, "ServiceUnavailable");

        String log = StandardError.printedWhile(() -> {
            assertEquals(first.accessKeyId(), provider.resolveCredentials().accessKeyId());
            assertEquals(first.accessKeyId(), provider.resolveCredentials().accessKeyId());
        });

        assertEquals(1, count(log, WARNING), log);
        assertTrue(log.contains("ServiceUnavailable"), log);
        assertEquals(1, device.requests.size());
        assertEquals(1 + 1, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void aSuccessfulRenewalInTheAdvisoryWindowGivesANewSession() {
        AwsSessionCredentials first = firstSession(fixture.builder());
        ScriptedCodes device = ScriptedCodes.machine(request -> fixture.code());
        fixture.clock.set(expirationOf(first).minus(Duration.ofMinutes(4)));

        AwsSessionCredentials second = fixture.builder().codeSupplier(device).build().resolveCredentials();

        assertNotEquals(first.accessKeyId(), second.accessKeyId());
        assertEquals(2, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void insideTheMandatoryWindowAFailedRenewalIsAClearError() {
        AwsSessionCredentials first = firstSession(fixture.builder());
        MfaSessionProvider provider = fixture.builder().codeSupplier(cancelled).build();
        fixture.clock.set(expirationOf(first).minus(Duration.ofSeconds(59)));

        MfaSessionException e = assertThrows(MfaSessionException.class, provider::resolveCredentials);

        assertEquals("MFA code entry was cancelled for profile 'dev'.", e.getMessage());
        assertEquals(1, cancelled.requests.size());
    }

    @Test
    void aBackedOffSessionIsNeverHandedOutPastItsExpiration() {
        AwsSessionCredentials first = firstSession(fixture.builder());
        MfaSessionProvider provider = fixture.builder().codeSupplier(cancelled).build();
        fixture.clock.set(expirationOf(first).minus(Duration.ofMinutes(2)));
        assertEquals(first.accessKeyId(), provider.resolveCredentials().accessKeyId());

        fixture.clock.set(expirationOf(first));

        assertThrows(MfaSessionException.class, provider::resolveCredentials);
        assertEquals(2, cancelled.requests.size(), "the back-off does not reach into the mandatory window");
    }

    @Test
    void anotherProcessBacksOffTooBecauseTheBackOffIsInTheCacheFile() {
        AwsSessionCredentials first = firstSession(fixture.builder());
        fixture.clock.set(expirationOf(first).minus(Duration.ofMinutes(4)));
        fixture.builder().codeSupplier(cancelled).build().resolveCredentials();
        // As another process sees it: nothing in memory, the session and its back-off on disk.
        SessionCache.forgetInMemory(null);
        ScriptedCodes anotherPrompt = ScriptedCodes.person(request -> fixture.code());
        fixture.clock.advance(Duration.ofMinutes(1));

        AwsSessionCredentials second = fixture.builder().codeSupplier(anotherPrompt).build().resolveCredentials();

        assertEquals(first.accessKeyId(), second.accessKeyId());
        assertEquals(0, anotherPrompt.requests.size());
        assertEquals(1, cancelled.requests.size());
    }

    @Test
    void sixteenThreadsAcrossBothWindowsWithEveryPromptCancelled() throws Exception {
        AwsSessionCredentials first = firstSession(fixture.builder());
        // A person who takes a moment to close the dialog, so every thread arrives while it is shown.
        cancelled = ScriptedCodes.person(request -> {
            sleep(Duration.ofMillis(300));
            throw MfaSessionException.create("MFA code entry was cancelled for profile 'dev'.");
        });
        MfaSessionProvider provider = fixture.builder().codeSupplier(cancelled).build();
        Instant expiration = expirationOf(first);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            fixture.clock.set(expiration.minus(Duration.ofMinutes(5)).minusSeconds(1));
            assertEquals(List.of(16, 0), outcomes(pool, provider, first), "before the advisory window: the session, no prompt");
            assertEquals(0, cancelled.requests.size());

            fixture.clock.set(expiration.minus(Duration.ofMinutes(5)));
            String log = StandardError.printedWhile(() -> assertEquals(List.of(16, 0), outcomes(pool, provider, first)));
            assertEquals(1, cancelled.requests.size(), "one prompt for sixteen threads");
            assertEquals(1, count(log, WARNING), log);

            fixture.clock.set(expiration.minus(Duration.ofMinutes(1)));
            assertEquals(List.of(0, 16), outcomes(pool, provider, first), "in the mandatory window: an error for everyone");
            assertEquals(2, cancelled.requests.size(), "one prompt for sixteen threads waiting on it");

            fixture.clock.set(expiration);
            assertEquals(List.of(0, 16), outcomes(pool, provider, first), "never past the expiration");
            assertEquals(3, cancelled.requests.size());
            assertEquals(1, fixture.sts.getSessionTokenCalls());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sixteen calls at once: how many got the session, and how many failed with an MfaSessionException. */
    private List<Integer> outcomes(ExecutorService pool, MfaSessionProvider provider, AwsSessionCredentials session) {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> calls = new ArrayList<>();
        Callable<Boolean> call = () -> {
            go.await();
            try {
                assertEquals(session.accessKeyId(), provider.resolveCredentials().accessKeyId());
                return true;
            } catch (MfaSessionException e) {
                return false;
            }
        };
        for (int i = 0; i < 16; i++) {
            calls.add(pool.submit(call));
        }
        go.countDown();
        int served = 0;
        int failed = 0;
        for (Future<Boolean> future : calls) {
            try {
                if (future.get(30, TimeUnit.SECONDS)) {
                    served++;
                } else {
                    failed++;
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return List.of(served, failed);
    }
}
