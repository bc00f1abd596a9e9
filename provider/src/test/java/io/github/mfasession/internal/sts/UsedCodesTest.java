package io.github.mfasession.internal.sts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class UsedCodesTest {

    private static final String DEVICE = "arn:aws:iam::123456789012:mfa/alice";

    private final UsedCodes codes = new UsedCodes();
    private final MutableClock clock = MutableClock.atSystemTime();

    @Test
    void aCodeIsClaimedOnceWhileStsCouldStillAcceptIt() {
        assertTrue(codes.claim(DEVICE, "123456", clock));
        assertFalse(codes.claim(DEVICE, "123456", clock));
        assertTrue(codes.claim("arn:aws:iam::123456789012:mfa/bob", "123456", clock), "another device's code is its own");

        clock.advance(Duration.ofMinutes(5));

        assertTrue(codes.claim(DEVICE, "123456", clock), "long after its time step, the same digits are a new code");
    }

    @Test
    void aCodeThatNeverLeftTheMachineCanBeClaimedAgain() {
        assertTrue(codes.claim(DEVICE, "123456", clock));
        codes.forget(DEVICE, "123456");
        assertTrue(codes.claim(DEVICE, "123456", clock));
    }

    @Test
    void ofManyThreadsClaimingOneCodeAtOnceExactlyOneGetsIt() throws Exception {
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> claims = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                claims.add(pool.submit(() -> {
                    start.await();
                    return codes.claim(DEVICE, "654321", clock);
                }));
            }
            start.countDown();
            int won = 0;
            for (Future<Boolean> claim : claims) {
                won += claim.get() ? 1 : 0;
            }
            assertEquals(1, won);
        } finally {
            pool.shutdownNow();
        }
    }
}
