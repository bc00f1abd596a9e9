package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Many threads across the renew boundary, with the clock moved by hand: exactly one new session (one code, one
 * STS call) per boundary, and no thread ever handed credentials that have expired. Threads arriving while one
 * renews in the advisory window get the current session instead of waiting. Sessions of 15 minutes
 * renewed 5 minutes before they end, so a boundary every 10 minutes of the test's clock.
 */
class RenewBoundaryConcurrencyTest {

    private static final int THREADS = 16;
    private static final Duration SESSION = Duration.ofMinutes(15);
    private static final Duration MARGIN = Duration.ofMinutes(5);

    @TempDir
    Path folder;
    StsFixture fixture;
    ScriptedCodes codes;
    MfaSessionProvider provider;
    ExecutorService pool;
    /** Every credential handed out, with the provider's clock when the call returned, for the expiry check. */
    final List<String> expiredHandouts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        fixture = new StsFixture(folder);
        codes = ScriptedCodes.machine(request -> fixture.code());
        provider = fixture.builder().codeSupplier(codes).sessionDuration(SESSION).refreshBefore(MARGIN).build();
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        provider.close();
        fixture.close();
    }

    /** The credentials, checked to be unexpired at the moment they were handed out. */
    private AwsSessionCredentials resolveChecked() {
        AwsSessionCredentials credentials = provider.resolveCredentials();
        Instant returnedAt = fixture.clock.instant();
        if (!credentials.expirationTime().get().isAfter(returnedAt)) {
            expiredHandouts.add(credentials.accessKeyId() + " expired at " + credentials.expirationTime().get() + ", handed out at " + returnedAt);
        }
        return credentials;
    }

    /** Every thread calls at once; the access key ids they got. */
    private Set<String> allThreadsAtOnce() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> calls = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            calls.add(pool.submit(() -> {
                go.await();
                return resolveChecked().accessKeyId();
            }));
        }
        go.countDown();
        Set<String> keys = ConcurrentHashMap.newKeySet();
        for (Future<String> call : calls) {
            keys.add(call.get(30, TimeUnit.SECONDS));
        }
        return keys;
    }

    @Test
    void exactlyOneNewSessionPerBoundaryAndEveryThreadGetsIt() throws Exception {
        Set<String> first = allThreadsAtOnce();
        assertEquals(1, first.size());
        String current = first.iterator().next();

        for (int boundary = 1; boundary <= 4; boundary++) {
            Instant renewAt = provider.resolveCredentials().expirationTime().get().minus(MARGIN);

            fixture.clock.set(renewAt.minusSeconds(1));
            assertEquals(Set.of(current), allThreadsAtOnce(), "a second before the boundary everyone keeps the session");
            assertEquals(boundary, fixture.sts.getSessionTokenCalls());

            fixture.clock.set(renewAt);
            Set<String> renewed = allThreadsAtOnce();
            // In the advisory window nobody waits for the thread that renews: the others keep the current session.
            renewed.remove(current);
            assertEquals(1, renewed.size(), "one new session at the boundary: " + renewed);
            assertEquals(boundary + 1, fixture.sts.getSessionTokenCalls());
            assertEquals(boundary + 1, codes.requests.size());
            current = renewed.iterator().next();
            assertEquals(Set.of(current), allThreadsAtOnce(), "once renewed, everyone gets the new session");
        }
        assertEquals(List.of(), expiredHandouts);
    }

    @Test
    void threadsCallingAtEveryStepOfAnHourNeverGetExpiredCredentialsAndRenewOncePerBoundary() throws Exception {
        int steps = 360;
        // When every thread has made its call, the last one moves the clock on by 10 seconds: an hour in all.
        CyclicBarrier nextStep = new CyclicBarrier(THREADS, () -> fixture.clock.advance(Duration.ofSeconds(10)));
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<Future<?>> callers = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            callers.add(pool.submit(() -> {
                for (int step = 0; step <= steps; step++) {
                    seen.add(resolveChecked().accessKeyId());
                    nextStep.await(30, TimeUnit.SECONDS);
                }
                return null;
            }));
        }
        for (Future<?> caller : callers) {
            caller.get(60, TimeUnit.SECONDS);
        }

        assertEquals(List.of(), expiredHandouts);
        int calls = fixture.sts.getSessionTokenCalls();
        assertEquals(calls, seen.size(), "every session STS gave was handed out, and only those");
        assertEquals(calls, codes.requests.size(), "one code per session");
        // A session is renewed 10 minutes of the clock after it began: the first, then one per boundary.
        assertEquals(7, calls);
    }
}
