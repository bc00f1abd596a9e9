package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.internal.code.DialogDriver;
import io.github.mfasession.internal.code.PtySession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.swing.JDialog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** Each built-in code supplier as a user would use it, by name and by automatic choice, through STS (the emulator). */
class CodeSuppliersEndToEndTest {

    /** What the console, desktop and dialog suppliers all say of an entry that is not a code. */
    private static final String NOT_SIX_DIGITS = "The last entry was not a 6-digit code; enter the 6 digits the device shows.";

    @TempDir
    Path folder;
    StsFixture fixture;

    @BeforeEach
    void start() {
        fixture = new StsFixture(folder);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void processByNameRunsTheCommandAndTakesTheCodeFromItsOutput() {
        fixture.writeConfig("mfa_code_supplier = process\nmfa_process = printf 'Touch your YubiKey...\\nAWS:alice  %s\\n' " + fixture.code() + "\n");
        AwsSessionCredentials session = fixture.builder().build().resolveCredentials();

        assertTrue(session.accessKeyId().startsWith("ASIA"));
        assertEquals(1, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void processIsChosenAutomaticallyWhenMfaProcessIsSet() {
        fixture.writeConfig("mfa_process = echo " + fixture.code() + "\n");
        assertTrue(fixture.builder().build().resolveCredentials().accessKeyId().startsWith("ASIA"));
    }

    @Test
    void fileIsChosenAutomaticallyAndItsCodeIsTakenOnceItAppears() throws Exception {
        Path codeFile = folder.resolve("mfa-code.txt");
        fixture.writeConfig("mfa_code_file = " + codeFile + "\n");
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(300);
                Files.writeString(codeFile, fixture.code() + "\n");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertTrue(fixture.builder().build().resolveCredentials().accessKeyId().startsWith("ASIA"));
        writer.get(5, TimeUnit.SECONDS);
        assertFalse(Files.exists(codeFile), "the code file is consumed");
    }

    @Test
    void anEnvironmentCodeWinsTheAutomaticChoiceOverACommand() {
        fixture.writeConfig("mfa_process = exit 1\n");
        fixture.environment.put("AWS_MFA_CODE", fixture.code());
        assertTrue(fixture.builder().build().resolveCredentials().accessKeyId().startsWith("ASIA"));
    }

    /** A second process asking for the session of profile dev with the console supplier, in a new pseudo-terminal. */
    private PtySession consoleChild() throws Exception {
        PtySession.assumeAvailable();
        Map<String, String> environment = new TreeMap<>(Map.of(
            "HOME", folder.toString(),
            "AWS_CONFIG_FILE", fixture.config.toString(),
            "AWS_SHARED_CREDENTIALS_FILE", fixture.credentials.toString(),
            "AWS_MFA_CACHE_DIR", folder.resolve("cache").toString(),
            "AWS_MFA_CODE_SUPPLIER", "console"));
        List<String> command = ChildJvm.builder(ResolveTwiceMain.class, environment, "dev").command();
        String shell = "env " + environment.entrySet().stream().map(e -> quote(e.getKey() + "=" + e.getValue())).collect(Collectors.joining(" "))
                       + " " + command.stream().map(CodeSuppliersEndToEndTest::quote).collect(Collectors.joining(" "));
        return PtySession.start(shell);
    }

    @Test
    void aTypoAtTheTerminalIsAskedForAgainAndIsNotCountedAsOneOfTheThreeAttempts() throws Exception {
        String right = fixture.code();
        String prompt = "MFA code for " + fixture.serial() + " (profile dev): ";

        try (PtySession terminal = consoleChild()) {
            terminal.awaitScreen(prompt, Duration.ofSeconds(30));
            terminal.type(wrong(right) + "\r");
            terminal.awaitScreen("STS rejected the last code.", Duration.ofSeconds(15));
            terminal.type("12\r");
            terminal.awaitLines(prompt + "**\n" + NOT_SIX_DIGITS + "\n" + prompt, Duration.ofSeconds(15));
            terminal.type(wrong(wrong(right)) + "\r");
            terminal.awaitLines(NOT_SIX_DIGITS + "\n" + prompt + "******\nSTS rejected the last code.", Duration.ofSeconds(15));
            terminal.type("\r");
            terminal.awaitLines(prompt + "\n" + NOT_SIX_DIGITS + "\n" + prompt, Duration.ofSeconds(15));
            terminal.type(right + "\r");
            terminal.awaitScreen(" true", Duration.ofSeconds(15));
            terminal.awaitExit(Duration.ofSeconds(10));
        }
        assertEquals(3, fixture.sts.getSessionTokenCalls(), "three codes reached STS; the typo and the empty line did not");
    }

    @Test
    void consoleAsksOnTheTerminalAgainAfterARejectedCodeWithoutEchoingDigits() throws Exception {
        String wrong = wrong(fixture.code());
        String right = fixture.code();

        try (PtySession terminal = consoleChild()) {
            terminal.awaitScreen("MFA code for " + fixture.serial() + " (profile dev): ", Duration.ofSeconds(30));
            terminal.type(wrong + "\r");
            terminal.awaitScreen("STS rejected the last code.", Duration.ofSeconds(15));
            terminal.type(right + "\r");
            String screen = terminal.awaitScreen(" true", Duration.ofSeconds(15));
            terminal.awaitExit(Duration.ofSeconds(10));

            assertFalse(screen.contains(wrong) || screen.contains(right), "typed digits are not shown: " + screen);
        }
        assertEquals(2, fixture.sts.getSessionTokenCalls());
    }

    @Test
    @DisabledIf(value = "java.awt.GraphicsEnvironment#isHeadless", disabledReason = "needs a display; run under xvfb-run")
    void dialogAsksAgainAfterARejectedCode() throws Exception {
        DialogDriver driver = new DialogDriver();
        try {
            MfaSessionProvider provider = fixture.builder().codeSupplier("dialog").build();
            CompletableFuture<AwsSessionCredentials> session = CompletableFuture.supplyAsync(provider::resolveCredentials);

            JDialog first = driver.awaitDialog();
            driver.type(wrong(fixture.code()));
            driver.clickOk(first);

            JDialog second = awaitDialogSaying(driver, "rejected");
            driver.type(fixture.code());
            driver.clickOk(second);

            assertTrue(session.get(20, TimeUnit.SECONDS).accessKeyId().startsWith("ASIA"));
            assertEquals(2, fixture.sts.getSessionTokenCalls());
        } finally {
            DialogDriver.disposeAllWindows();
        }
    }

    @Test
    @DisabledIf(value = "java.awt.GraphicsEnvironment#isHeadless", disabledReason = "needs a display; run under xvfb-run")
    void aDialogEntryThatIsNotSixDigitsIsAskedAgainAtOnceAndIsNotOneOfTheThreeAttempts() throws Exception {
        DialogDriver driver = new DialogDriver();
        try {
            MfaSessionProvider provider = fixture.builder().codeSupplier("dialog").build();
            CompletableFuture<AwsSessionCredentials> session = CompletableFuture.supplyAsync(provider::resolveCredentials);

            JDialog first = driver.awaitDialog();
            driver.type(wrong(fixture.code()));
            driver.clickOk(first);
            JDialog second = awaitDialogSaying(driver, "rejected");
            driver.type("12\n");
            assertEquals(second, awaitDialogSaying(driver, NOT_SIX_DIGITS), "asked again in the same dialog");
            driver.type(fixture.code());
            driver.clickOk(second);

            assertTrue(session.get(20, TimeUnit.SECONDS).accessKeyId().startsWith("ASIA"));
            assertEquals(2, fixture.sts.getSessionTokenCalls(), "the wrong code and the right one reached STS; the short entry did not");
        } finally {
            DialogDriver.disposeAllWindows();
        }
    }

    private static JDialog awaitDialogSaying(DialogDriver driver, String text) throws Exception {
        for (int i = 0; i < 250; i++) {
            JDialog dialog = driver.awaitDialog();
            if (DialogDriver.failureText(dialog).contains(text)) {
                return dialog;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("The dialog never said '" + text + "'");
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** A code the device does not show now: the right one with its last digit changed. */
    private static String wrong(String code) {
        char last = code.charAt(5);
        return code.substring(0, 5) + (char) (last == '9' ? '0' : last + 1);
    }
}
