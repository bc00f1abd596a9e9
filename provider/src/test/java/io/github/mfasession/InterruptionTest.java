package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * A thread interrupted while it waits, for a code or for another thread's session, gets a clear
 * {@link MfaSessionException}, keeps its interrupt, and leaves no lock held and no temporary file behind: the next
 * call works. Waiting for another process's lock file is in {@code internal.cache.CrossProcessLockTest}; the
 * terminal and the dialog in {@code internal.code}.
 */
class InterruptionTest {

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

    /** A thread asking the provider for credentials, keeping what it got or why it failed and whether it was still interrupted. */
    private static final class Caller extends Thread {
        final AtomicReference<Object> outcome = new AtomicReference<>();
        private final MfaSessionProvider provider;
        private volatile boolean interruptKept;

        Caller(MfaSessionProvider provider) {
            this.provider = provider;
        }

        @Override
        public void run() {
            try {
                outcome.set(provider.resolveCredentials());
            } catch (RuntimeException e) {
                outcome.set(e);
                interruptKept = Thread.currentThread().isInterrupted();
            }
        }

        MfaSessionException failure() throws InterruptedException {
            join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(isAlive(), "the interrupted call ended");
            assertTrue(outcome.get() instanceof MfaSessionException, String.valueOf(outcome.get()));
            assertTrue(interruptKept, "the interrupt flag is kept for the caller");
            return (MfaSessionException) outcome.get();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(5);
        }
    }

    private Path cache() {
        return folder.resolve("cache");
    }

    private List<String> temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(cache())) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.endsWith(".tmp")).collect(Collectors.toList());
        }
    }

    /** The session's lock file can be locked at once: nobody in this process or another holds it. */
    private void assertLockFilesFree() throws IOException {
        try (Stream<Path> files = Files.list(cache())) {
            for (Path lockFile : files.filter(f -> f.toString().endsWith(".lock")).collect(Collectors.toList())) {
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
                    assertNotNull(lock, lockFile + " is free");
                }
            }
        }
    }

    @Test
    void aThreadWaitingForAnotherThreadsSessionIsInterruptedWithAClearErrorAndTheOtherOneGetsTheSession() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch typed = new CountDownLatch(1);
        ScriptedCodes slowPerson = ScriptedCodes.machine(request -> {
            asked.countDown();
            awaitQuietly(typed);
            return fixture.code();
        });
        Caller first = new Caller(fixture.builder().codeSupplier(slowPerson).build());
        Caller second = new Caller(fixture.builder().codeSupplier(slowPerson).build());
        first.start();
        assertTrue(asked.await(30, TimeUnit.SECONDS));
        second.start();
        await(() -> second.getState() == Thread.State.WAITING || second.getState() == Thread.State.TIMED_WAITING,
              "the second caller waits for the first");

        second.interrupt();

        assertEquals("Interrupted while waiting for the MFA session of profile 'dev'.", second.failure().getMessage());
        typed.countDown();
        first.join(TimeUnit.SECONDS.toMillis(30));
        assertTrue(first.outcome.get() instanceof AwsSessionCredentials, String.valueOf(first.outcome.get()));
        assertEquals(1, slowPerson.requests.size(), "the interrupted caller never asked for a code of its own");
        assertEquals(List.of(), temporaryFiles());
        assertLockFilesFree();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aThreadInterruptedWhileWaitingForACodeFileGetsAClearErrorAndLeavesNoLockOrTemporaryFile() throws Exception {
        Path codeFile = folder.resolve("code");
        MfaSessionProvider provider = fixture.builder().codeSupplier("file").setting("mfa_code_file", codeFile.toString()).build();
        Caller caller = new Caller(provider);
        caller.start();
        await(() -> caller.getState() == Thread.State.TIMED_WAITING && Files.exists(cache()), "the caller polls for the code file");

        caller.interrupt();

        assertEquals("Interrupted while waiting for an MFA code in " + codeFile + " for profile 'dev'.", caller.failure().getMessage());
        assertEquals(0, fixture.sts.getSessionTokenCalls());
        assertEquals(List.of(), temporaryFiles());
        assertLockFilesFree();
        Files.writeString(codeFile, fixture.code());
        assertTrue(provider.resolveCredentials().accessKeyId().startsWith("ASIA"), "the next call works");
    }

    @Test
    void aThreadInterruptedWhileTheCodeCommandRunsStopsTheCommandAndLeavesNoLock() throws Exception {
        Path pidFile = folder.resolve("pid");
        MfaSessionProvider provider = fixture.builder().codeSupplier("process")
                                             .setting("mfa_process", "echo $$ > " + pidFile + "; exec sleep 30").build();
        Caller caller = new Caller(provider);
        caller.start();
        await(() -> Files.exists(pidFile) && pidFile.toFile().length() > 0, "the command runs");
        long pid = Long.parseLong(Files.readString(pidFile).trim());

        caller.interrupt();

        assertEquals("Interrupted while waiting for the mfa_process command 'echo ...' for profile 'dev'; the command was stopped.",
                     caller.failure().getMessage());
        ProcessHandle.of(pid).ifPresent(command -> command.onExit().orTimeout(10, TimeUnit.SECONDS).join());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the command was stopped");
        assertEquals(0, fixture.sts.getSessionTokenCalls());
        assertEquals(List.of(), temporaryFiles());
        assertLockFilesFree();
    }
}
