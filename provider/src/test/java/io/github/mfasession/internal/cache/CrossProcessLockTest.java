package io.github.mfasession.internal.cache;

import static io.github.mfasession.internal.cache.TestSessions.temporaryFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.MfaSessionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Processes sharing a cache folder take turns: one asks for a code and calls STS, the others read its session. */
@Timeout(90)
class CrossProcessLockTest {

    private static final int PROCESSES = 8;

    @TempDir
    Path work;

    private Path folder() {
        return work.resolve("cache");
    }

    private CacheFolder store(Duration lockTimeout) {
        return TestSessions.folder(folder(), lockTimeout);
    }

    @Test
    void processesStartingTogetherFetchOnceAndShareTheSession() throws Exception {
        Path fetchLog = work.resolve("fetches.log");
        Path go = work.resolve("go");
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < PROCESSES; i++) {
                children.add(ChildJvm.start(work, "session", folder().toString(), fetchLog.toString(), go.toString()));
            }
            for (ChildJvm child : children) {
                child.expectLine("READY");
            }
            Files.createFile(go);

            Set<String> sessions = new HashSet<>();
            for (ChildJvm child : children) {
                String line = child.nextLine();
                assertTrue(line.startsWith("SESSION ASIA"), line);
                sessions.add(line);
            }

            assertEquals(1, Files.readAllLines(fetchLog).size(), "fetches: " + Files.readAllLines(fetchLog));
            assertEquals(1, sessions.size(), "sessions: " + sessions);
        } finally {
            for (ChildJvm child : children) {
                child.close();
            }
        }
    }

    @Test
    void aLockHeldByAKilledProcessIsFreeForTheNextOne() throws Exception {
        try (ChildJvm holder = ChildJvm.start(work, "hold", folder().toString())) {
            holder.expectLine("LOCKED");

            holder.kill();

            assertEquals("ran", TestSessions.locked(store(Duration.ofSeconds(30)), LockingChild.KEY, () -> "ran"));
        }
    }

    @Test
    void waitingTooLongFailsNamingTheLockFile() throws Exception {
        CacheFolder store = store(Duration.ofMillis(300));
        AtomicBoolean ran = new AtomicBoolean();
        try (ChildJvm holder = ChildJvm.start(work, "hold", folder().toString())) {
            holder.expectLine("LOCKED");

            MfaSessionException e = assertThrows(MfaSessionException.class, () -> TestSessions.locked(store, LockingChild.KEY, () -> ran.getAndSet(true)));

            assertTrue(e.getMessage().contains(store.lockFile(LockingChild.KEY).toString()), e.getMessage());
            assertTrue(e.getMessage().contains("'shared'"), e.getMessage());
            assertFalse(ran.get());
        }
    }

    @Test
    void anInterruptedWaiterFailsKeepsItsInterruptAndLeavesNothingBehind() throws Exception {
        CacheFolder store = store(Duration.ofSeconds(60));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        AtomicBoolean ran = new AtomicBoolean();
        try (ChildJvm holder = ChildJvm.start(work, "hold", folder().toString())) {
            holder.expectLine("LOCKED");
            Thread waiter = new Thread(() -> {
                try {
                    TestSessions.locked(store, LockingChild.KEY, () -> ran.getAndSet(true));
                } catch (RuntimeException e) {
                    failure.set(e);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            waiter.start();
            awaitWaiting(waiter);

            waiter.interrupt();
            waiter.join(TimeUnit.SECONDS.toMillis(30));

            assertNotNull(failure.get(), "the waiter should fail");
            assertTrue(failure.get() instanceof MfaSessionException, failure.get().toString());
            assertTrue(failure.get().getMessage().contains(store.lockFile(LockingChild.KEY).toString()), failure.get().getMessage());
            assertTrue(stillInterrupted.get(), "the interrupt flag is kept");
            assertFalse(ran.get());
            assertEquals(List.of(), temporaryFiles(folder()));

            holder.kill();
            assertEquals("ran", TestSessions.locked(store(Duration.ofSeconds(30)), LockingChild.KEY, () -> "ran"), "the waiter left no lock held");
        }
    }

    @Test
    void threadsOfOneProcessTakeTurns() throws Exception {
        CacheFolder store = store(Duration.ofSeconds(30));
        CountDownLatch firstHolds = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        Thread first = new Thread(() -> TestSessions.locked(store, LockingChild.KEY, () -> {
            order.add("first in");
            firstHolds.countDown();
            await(releaseFirst);
            order.add("first out");
            return "done";
        }));
        first.start();
        firstHolds.await();
        Thread second = new Thread(() -> TestSessions.locked(store, LockingChild.KEY, () -> order.add("second in")));
        second.start();
        awaitWaiting(second);

        releaseFirst.countDown();
        first.join();
        second.join();

        assertEquals(List.of("first in", "first out", "second in"), order);
    }

    @Test
    void aWaiterInThisProcessTimesOutNamingTheLockFile() throws Exception {
        CacheFolder store = store(Duration.ofMillis(200));
        CountDownLatch firstHolds = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        Thread first = new Thread(() -> TestSessions.locked(store, LockingChild.KEY, () -> {
            firstHolds.countDown();
            await(releaseFirst);
            return "done";
        }));
        first.start();
        try {
            firstHolds.await();

            MfaSessionException e = assertThrows(MfaSessionException.class, () -> TestSessions.locked(store, LockingChild.KEY, () -> "ran"));

            assertTrue(e.getMessage().contains("waiting for another thread of this process") && e.getMessage().contains("'shared'"),
                       e.getMessage());
        } finally {
            releaseFirst.countDown();
            first.join();
        }
    }

    /** Until the thread is parked waiting, which is the only state it can be in before it gets the lock. */
    private static void awaitWaiting(Thread thread) throws InterruptedException {
        while (thread.getState() != Thread.State.TIMED_WAITING && thread.getState() != Thread.State.WAITING) {
            assertTrue(thread.isAlive(), "the thread ended instead of waiting");
            Thread.sleep(5);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
