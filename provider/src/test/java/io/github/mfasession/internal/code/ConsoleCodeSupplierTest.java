package io.github.mfasession.internal.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console supplier in a real pseudo-terminal, run as {@code credential_process} runs it: stdin from
 * /dev/null and stdout to a file, so only the controlling terminal reaches the person.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "asks on /dev/tty; Windows uses the console's own password prompt")
class ConsoleCodeSupplierTest {

    private static final String PROMPT = "MFA code for arn:aws:iam::123456789012:mfa/alice (profile dev): ";
    private static final Duration START = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @BeforeAll
    static void needsPseudoTerminals() {
        PtySession.assumeAvailable();
    }

    @Test
    void promptAppearsOnTheTerminalAndNeverOnStdout() throws Exception {
        try (PtySession tty = startConsoleChild()) {
            tty.awaitScreen(PROMPT, START);
            tty.type("123456\r");
            tty.awaitExit(START);
        }
        String stdout = Files.readString(dir.resolve("stdout"));
        assertFalse(stdout.contains("MFA code"), () -> "stdout got: " + stdout);
    }

    @Test
    void typedDigitsAreReturnedButNotEchoed() throws Exception {
        String screen;
        try (PtySession tty = startConsoleChild()) {
            tty.awaitScreen(PROMPT, START);
            tty.type("654");
            tty.type("321\r");
            tty.awaitExit(START);
            screen = tty.screen();
        }
        assertEquals("654321", result().getProperty("code"));
        assertTrue(screen.contains(PROMPT + "******"), screen);
        assertFalse(screen.contains("654") || screen.contains("321"), screen);
    }

    @Test
    void backspaceDeletesTheLastDigit() throws Exception {
        try (PtySession tty = startConsoleChild()) {
            tty.awaitScreen(PROMPT, START);
            tty.type("1234577\u007f\u007f6\r");
            tty.awaitExit(START);
        }
        assertEquals("123456", result().getProperty("code"));
    }

    @Test
    void aRejectedCodeIsExplainedOnALineOfItsOwnWithWhenTheNextCodeAppears() throws Exception {
        String screen;
        try (PtySession tty = startConsoleChild("the last code was rejected")) {
            screen = tty.awaitScreen(PROMPT, START);
            tty.type("111222\r");
            tty.awaitExit(START);
        }
        assertTrue(Pattern.compile("STS rejected the last code\\. Usually it was already used in this 30-second window, it expired while"
                                   + " being typed, or mfa_serial names another device\\. The next code appears in ([1-9]|[12][0-9]|30) s\\.\r+\n"
                                   + Pattern.quote(PROMPT)).matcher(screen).find(), screen);
        assertEquals("111222", result().getProperty("code"));
    }

    @Test
    void anEmptyLineOrTooFewDigitsIsAskedForAgainAtOnce() throws Exception {
        String screen;
        try (PtySession tty = startConsoleChild()) {
            tty.awaitScreen(PROMPT, START);
            tty.type("\r");
            tty.awaitLines(PROMPT + "\n" + Prompts.NOT_SIX_DIGITS + "\n" + PROMPT, START);
            tty.type("12345\r");
            tty.awaitLines(PROMPT + "*****\n" + Prompts.NOT_SIX_DIGITS + "\n" + PROMPT, START);
            tty.type("123456\r");
            tty.awaitExit(START);
            screen = tty.screen();
        }
        assertEquals("123456", result().getProperty("code"));
        assertFalse(screen.replace(SupplierChild.SERIAL, "").contains("12345"), "typed digits are not shown: " + screen);
    }

    @Test
    void fiveEntriesThatAreNotACodeEndTheAskingWithAClearError() throws Exception {
        try (PtySession tty = startConsoleChild()) {
            for (int entry = 1; entry <= ConsoleCodeSupplier.MAX_ENTRIES; entry++) {
                tty.awaitScreen(PROMPT, START);
                tty.type("1\r");
            }
            tty.awaitExit(START);
        }
        assertEquals("No 6-digit MFA code was typed in 5 tries for device " + SupplierChild.SERIAL + " (profile 'dev')."
                     + " Type the 6 digits the device shows, then Enter.", result().getProperty("error"));
    }

    @Test
    void interruptEndsTheWaitPromptlyAndRestoresTheTerminal() throws Exception {
        try (PtySession tty = PtySession.start(redirected("interrupt", dir.resolve("result").toString(), "1500"))) {
            tty.awaitScreen(PROMPT, START);
            tty.awaitExit(START);
        }
        Properties result = result();
        assertEquals("Interrupted while asking for the MFA code for profile 'dev' at the terminal.", result.getProperty("error"));
        assertEquals("true", result.getProperty("interrupted"), "the interrupt flag is kept");
        assertTrue(Long.parseLong(result.getProperty("endedAfterInterruptMillis")) < 2_000, result::toString);
        // stty -a lists a setting that is off with a leading '-': echo and line editing are back on.
        String stty = result.getProperty("stty");
        assertTrue(Pattern.compile("(^|\\s)echo(\\s|$)").matcher(stty).find(), stty);
        assertTrue(Pattern.compile("(^|\\s)icanon(\\s|$)").matcher(stty).find(), stty);
    }

    @Test
    void ctrlCEndsTheProgramAndLeavesTheTerminalAsItWas() throws Exception {
        Path stty = dir.resolve("stty");
        // Ctrl-C signals the whole foreground group; like the interactive shell a user has, the shell here
        // survives it (a trap, unlike an ignored signal, is not inherited) and reads the settings afterwards.
        try (PtySession tty = PtySession.start("trap true INT; " + redirected("console", dir.resolve("result").toString())
                                               + "; stty -a </dev/tty >" + ChildJvm.quote(stty.toString()))) {
            tty.awaitScreen(PROMPT, START);
            tty.type("\u0003");
            tty.awaitExit(START);
        }
        String settings = Files.readString(stty);
        assertTrue(Pattern.compile("(^|\\s)echo(\\s|$)").matcher(settings).find(), settings);
        assertTrue(Pattern.compile("(^|\\s)icanon(\\s|$)").matcher(settings).find(), settings);
        assertFalse(Files.exists(dir.resolve("result")), "the program ended at once, as on Ctrl-C anywhere");
    }

    @Test
    void withoutAnyTerminalFailsAtOnceWithAClearError() throws Exception {
        // setsid: a new session without a controlling terminal, like a daemon, CI job or IDE started from a desktop.
        Process child = new ProcessBuilder("setsid", "-w", "sh", "-c", redirected("console", dir.resolve("result").toString()))
            .redirectErrorStream(true)
            .start();
        assertTrue(child.waitFor(START.toSeconds(), TimeUnit.SECONDS), "the child ended");

        Properties result = result();
        assertEquals("Cannot ask for the MFA code of device arn:aws:iam::123456789012:mfa/alice (profile 'dev') at a terminal:"
                     + " this process has no terminal. Set mfa_code_supplier to desktop (the desktop's own dialog program), dialog, process or"
                     + " file, or give the code in AWS_MFA_CODE.",
                     result.getProperty("error"));
        assertTrue(Long.parseLong(result.getProperty("elapsedMillis")) < 3_000, result::toString);
    }

    @Test
    void appliesOnlyWhereATerminalIsAttached() throws Exception {
        try (PtySession tty = PtySession.start(redirected("applies", dir.resolve("result").toString()))) {
            tty.awaitExit(START);
        }
        assertEquals("true", result().getProperty("applies"));

        Process child = new ProcessBuilder("setsid", "-w", "sh", "-c", redirected("applies", dir.resolve("result").toString())).start();
        assertTrue(child.waitFor(START.toSeconds(), TimeUnit.SECONDS), "the child ended");
        assertEquals("false", result().getProperty("applies"));
    }

    private PtySession startConsoleChild(String... lastFailure) throws Exception {
        String[] args = lastFailure.length == 0
                        ? new String[] {"console", dir.resolve("result").toString()}
                        : new String[] {"console", dir.resolve("result").toString(), lastFailure[0]};
        return PtySession.start(redirected(args));
    }

    /** The child with stdin, stdout and stderr away from the terminal, as botocore runs a credential_process. */
    private String redirected(String... args) {
        return ChildJvm.shellCommand(args) + " </dev/null >" + ChildJvm.quote(dir.resolve("stdout").toString()) + " 2>&1";
    }

    private Properties result() throws Exception {
        return ChildJvm.result(dir.resolve("result"));
    }
}
