package io.github.mfasession.internal.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaSessionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The process supplier running real commands through /bin/sh. */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "the commands are POSIX shell")
class ProcessCodeSupplierTest {

    private final ProcessCodeSupplier supplier = new ProcessCodeSupplier();

    @TempDir
    Path dir;

    @Test
    void returnsTheCodeTheCommandPrints() {
        assertEquals("123456", supplier.code(request("echo 123456")));
    }

    @Test
    void takesTheLastStandaloneSixDigitsFromNoisyOutput() {
        String command = "echo 'Touch your YubiKey...'; echo 'serial 12345678, old code 111111'; printf 'AWS:alice  654321\\n\\n'";

        assertEquals("654321", supplier.code(request(command)));
    }

    @Test
    void failedCommandIsNamedWithTheEndOfItsErrorOutputButNeverItsStdout() {
        // The code on stdout is computed, so it appears nowhere in the command the message names.
        String command = "echo $((111111 * 2)); for i in 1 2 3 4 5 6 7; do echo \"line $i\" >&2; done; echo 'device not found' >&2; exit 3";

        MfaSessionException e = assertThrows(MfaSessionException.class, () -> supplier.code(request(command)));

        assertTrue(e.getMessage().startsWith("The mfa_process command 'echo ...' for profile 'dev' failed with exit status 3."),
                   e.getMessage());
        assertTrue(e.getMessage().endsWith("line 4\n  line 5\n  line 6\n  line 7\n  device not found"), e.getMessage());
        assertFalse(e.getMessage().contains("line 3") || e.getMessage().contains("222222"), e.getMessage());
    }

    @Test
    void messagesNameTheProgramButNotItsArgumentsWhichMayHoldASecret() {
        String command = "sh -c 'exit 4' totp-secret-JBSWY3DPEHPK3PXP";

        MfaSessionException e = assertThrows(MfaSessionException.class, () -> supplier.code(request(command)));

        assertTrue(e.getMessage().startsWith("The mfa_process command 'sh ...' for profile 'dev' failed with exit status 4."), e.getMessage());
        assertFalse(e.getMessage().contains("JBSWY3DPEHPK3PXP"), e.getMessage());
    }

    @Test
    void commandThatPrintsNoCodeIsAnError() {
        MfaSessionException e = assertThrows(MfaSessionException.class,
                                             () -> supplier.code(request("echo 'no code, 12345 is too short'; echo 'locked' >&2")));

        assertTrue(e.getMessage().contains("printed no 6-digit code"), e.getMessage());
        assertTrue(e.getMessage().endsWith("locked"), e.getMessage());
    }

    @Test
    void slowCommandIsStoppedWithEverythingItStartedAtTheTimeLimit() throws Exception {
        Path shellPid = dir.resolve("shell.pid");
        Path sleepPid = dir.resolve("sleep.pid");
        String command = "echo $$ > '" + shellPid + "'; sleep 30 & echo $! > '" + sleepPid + "'; wait";
        long start = System.nanoTime();

        MfaSessionException e = assertThrows(MfaSessionException.class,
                                             () -> supplier.code(request(command, "mfa_process_timeout_seconds", "1")));

        assertTrue(System.nanoTime() - start < 10_000_000_000L, "returned within bounds");
        assertTrue(e.getMessage().contains("did not finish within 1 seconds and was stopped"), e.getMessage());
        assertEnds(Long.parseLong(Files.readString(shellPid).trim()));
        assertEnds(Long.parseLong(Files.readString(sleepPid).trim()));
    }

    @Test
    void commandGetsNoInputFromTheHost() {
        // cat would wait on an inherited stdin (surefire's own pipe) until the time limit.
        assertEquals("123456", supplier.code(request("cat; echo 123456", "mfa_process_timeout_seconds", "5")));
    }

    @Test
    void chattyCommandDoesNotBlockOnAFullPipe() {
        String command = "head -c 2000000 /dev/zero | tr '\\0' x >&2; head -c 2000000 /dev/zero | tr '\\0' y; echo; echo 777888";

        assertEquals("777888", supplier.code(request(command, "mfa_process_timeout_seconds", "20")));
    }

    @Test
    void malformedTimeLimitIsNamed() {
        MfaSessionException e = assertThrows(MfaSessionException.class,
                                             () -> supplier.code(request("echo 123456", "mfa_process_timeout_seconds", "soon")));

        assertEquals("mfa_process_timeout_seconds 'soon' for profile 'dev' is not a number of seconds from 1 to 3600; use a whole number"
                     + " in that range (the default is 60).", e.getMessage());
    }

    @Test
    void appliesWhenACommandIsSet() {
        assertTrue(supplier.appliesTo(key -> key.equals("mfa_process") ? Optional.of("echo 123456") : Optional.empty()));
        assertFalse(supplier.appliesTo(key -> Optional.empty()));
    }

    private static void assertEnds(long pid) throws InterruptedException {
        for (int i = 0; i < 50 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); i++) {
            Thread.sleep(100);
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " still runs");
    }

    private static MfaCodeRequest request(String command, String... more) {
        Map<String, String> settings = more.length == 0 ? Map.of("mfa_process", command) : Map.of("mfa_process", command, more[0], more[1]);
        return MfaCodeRequest.builder()
                             .profile("dev")
                             .mfaSerial("arn:aws:iam::123456789012:mfa/alice")
                             .settings(key -> Optional.ofNullable(settings.get(key)))
                             .build();
    }
}
