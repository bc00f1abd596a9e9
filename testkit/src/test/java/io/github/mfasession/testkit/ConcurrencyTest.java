package io.github.mfasession.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

class ConcurrencyTest {

    private static final int THREADS = 32;

    private final StsEmulator emulator = StsEmulator.start();
    private final IamUser alice = emulator.addUser("alice");
    private final VirtualMfaDevice device = emulator.addVirtualMfaDevice(alice);
    private final StsClient sts = Clients.sts(emulator, alice.credentials());
    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void close() {
        threads.shutdownNow();
        sts.close();
        emulator.close();
    }

    /** Runs the task on every thread at once and returns how many succeeded. */
    private int allAtOnce(Callable<?> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            results.add(threads.submit(() -> {
                start.await();
                try {
                    task.call();
                    return true;
                } catch (StsException e) {
                    return false;
                }
            }));
        }
        start.countDown();
        int succeeded = 0;
        for (Future<Boolean> result : results) {
            succeeded += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        return succeeded;
    }

    @Test
    void manyThreadsAreServedAtOnce() throws Exception {
        assertEquals(THREADS, allAtOnce(sts::getCallerIdentity));
        assertEquals(THREADS, emulator.calls().size());
    }

    @Test
    void aCodeSentByManyThreadsAtOnceIsAcceptedOnce() throws Exception {
        String code = emulator.currentCode(device.serialNumber());

        int sessions = allAtOnce(() -> sts.getSessionToken(r -> r.serialNumber(device.serialNumber()).tokenCode(code)));

        assertEquals(1, sessions);
        assertEquals(THREADS, emulator.getSessionTokenCalls());
    }
}
