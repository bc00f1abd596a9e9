package io.github.mfasession.internal.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaSessionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desktop supplier with the real zenity and kdialog on an X display (CI runs the build under xvfb-run), their
 * windows found and typed into with xdotool as a person would.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "zenity and kdialog run on Linux; osascript and PowerShell are checked as argument lists")
class DesktopCodeSupplierTest {

    private static final String SERIAL = "arn:aws:iam::123456789012:mfa/alice";
    private static final Duration WINDOW_WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private AutoCloseable display;

    @BeforeEach
    void zenityOnADisplay() throws Exception {
        DesktopDriver.assumeAvailable("zenity");
        display = DesktopDriver.holdDisplay();
    }

    @AfterEach
    void noDialogLeftOpen() throws Exception {
        DesktopDriver.closeAll(ProcessHandle.current(), "zenity", "kdialog");
        if (display != null) {
            display.close();
        }
    }

    @Test
    void codeTypedInTheZenityDialogIsReturned() throws Exception {
        CompletableFuture<String> code = ask(supplier(environment()), request(null));

        dialog(code, "zenity", null).enter("123456");

        assertEquals("123456", code.get(20, TimeUnit.SECONDS));
    }

    @Test
    void typedDigitsAreHiddenAndTheWindowIsTitledForTheCode() throws Exception {
        CompletableFuture<String> code = ask(supplier(environment()), request(null));
        DesktopDriver dialog = dialog(code, "zenity", null);

        assertTrue(dialog.arguments().containsAll(List.of("--entry", "--hide-text")), () -> "arguments: " + arguments(dialog));
        assertEquals("AWS MFA code", dialog.title());
    }

    @Test
    void namesTheDeviceAndTheProfileAndSaysWhyItAsksAgain() throws Exception {
        MfaCodeRequest second = MfaCodeRequest.builder().profile("dev").mfaSerial(SERIAL).attempt(2).maxAttempts(3)
                                              .lastFailure("the last code was rejected").build();
        CompletableFuture<String> code = ask(supplier(environment()), second);
        DesktopDriver dialog = dialog(code, "zenity", null);

        // zenity's label does not wrap, so the text comes broken into lines at spaces; read it as one line.
        String text = dialog.argument("--text").replace('\n', ' ');
        assertTrue(text.startsWith("STS rejected the last code. Usually it was already used in this 30-second window"), text);
        assertTrue(text.contains(SERIAL) && text.contains("profile dev"), text);
        // The console's words: the question is Prompts', not the dialog's own.
        assertTrue(text.endsWith(Prompts.question(second).strip()), text);
        assertEquals("AWS MFA code (attempt 2 of 3)", dialog.title());
    }

    @Test
    void cancelEndsInAClearError() throws Exception {
        CompletableFuture<String> code = ask(supplier(environment()), request(null));

        dialog(code, "zenity", null).escape();

        assertEquals("MFA code entry was cancelled for profile 'dev' (device " + SERIAL + ").", failure(code).getMessage());
    }

    @Test
    void entryThatIsNotSixDigitsIsAskedAgainWithTheReasonAndDoesNotCount() throws Exception {
        CompletableFuture<String> code = ask(supplier(environment()), request(null));
        DesktopDriver first = dialog(code, "zenity", null);
        first.enter("12ab");

        DesktopDriver second = dialog(code, "zenity", first);
        assertTrue(second.argument("--text").startsWith(Zenity.wrapped(Prompts.NOT_SIX_DIGITS) + "\n"), second.argument("--text"));
        assertEquals("AWS MFA code", second.title(), "still the first attempt");
        second.enter("");

        DesktopDriver third = dialog(code, "zenity", second);
        third.enter("654321");
        assertEquals("654321", code.get(20, TimeUnit.SECONDS));
    }

    @Test
    void spacesInAPastedCodeAreDropped() throws Exception {
        CompletableFuture<String> code = ask(supplier(environment()), request(null));

        dialog(code, "zenity", null).enter("123 456");

        assertEquals("123456", code.get(20, TimeUnit.SECONDS));
    }

    @Test
    void programThatKeepsGivingNonCodesIsStoppedAfterFiveEntries() throws Exception {
        // A stand-in that answers at once with something that is not a code, as a broken program might, forever.
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path count = dir.resolve("count");
        Path fake = bin.resolve("zenity");
        Files.writeString(fake, "#!/bin/sh\necho x >> '" + count + "'\necho 'no code'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        Map<String, String> environment = environment();
        environment.put("PATH", bin + ":/usr/bin:/bin");

        MfaSessionException e = assertThrows(MfaSessionException.class, () -> supplier(environment).code(request(null)));

        assertEquals("The zenity dialog for profile 'dev' gave 5 entries in a row that were not a 6-digit code. Enter the 6 digits"
                     + " device " + SERIAL + " shows.", e.getMessage());
        assertEquals(5, Files.readAllLines(count).size());
    }

    @Test
    void windowLeftOpenIsClosedAtTheTimeLimit() throws Exception {
        CompletableFuture<String> code = ask(supplier(environment()), request(null, "mfa_desktop_timeout_seconds", "2"));
        DesktopDriver dialog = dialog(code, "zenity", null);

        assertEquals("No MFA code was entered within 2 seconds for device " + SERIAL + " (profile 'dev'); the zenity dialog was"
                     + " closed. Try again, or allow longer with mfa_desktop_timeout_seconds.", failure(code).getMessage());
        assertTrue(dialog.awaitEnd(Duration.ofSeconds(5)), "zenity was stopped");
    }

    @Test
    void interruptingTheWaitingThreadClosesTheDialog() throws Exception {
        AtomicReference<Thread> asking = new AtomicReference<>();
        DesktopCodeSupplier supplier = supplier(environment());
        CompletableFuture<String> code = CompletableFuture.supplyAsync(() -> {
            asking.set(Thread.currentThread());
            return supplier.code(request(null));
        }, DesktopCodeSupplierTest::newThread);
        DesktopDriver dialog = dialog(code, "zenity", null);

        asking.get().interrupt();

        assertEquals("Interrupted while waiting for the MFA code dialog (zenity) for profile 'dev'; the dialog was closed.",
                     failure(code).getMessage());
        assertTrue(dialog.awaitEnd(Duration.ofSeconds(5)), "zenity was stopped");
    }

    @Test
    void profileNameWithQuotesCommandSubstitutionBackticksAndMarkupIsShownAsWrittenAndRunsNothing() throws Exception {
        Path dollar = dir.resolve("dollar");
        Path backtick = dir.resolve("backtick");
        String profile = "dev\"'$(touch " + dollar + ")`touch " + backtick + "`\\n_x <b>&amp;";
        MfaCodeRequest request = MfaCodeRequest.builder().profile(profile).mfaSerial(SERIAL).build();
        CompletableFuture<String> code = ask(supplier(environment()), request);
        DesktopDriver dialog = dialog(code, "zenity", null);

        // zenity's label reads backslash escapes and "_" mnemonics: both are doubled, so the label shows the name as written.
        String expected = "MFA code for " + SERIAL + " (profile dev\"'$(touch " + dollar + ")`touch " + backtick + "`\\\\n__x <b>&amp;):";
        assertEquals(expected, dialog.argument("--text").replace('\n', ' '), "as written, broken into lines only at spaces");
        dialog.enter("123456");
        assertEquals("123456", code.get(20, TimeUnit.SECONDS));
        assertFalse(Files.exists(dollar) || Files.exists(backtick), "no shell ran the name");
    }

    @Test
    void dialogProgramGetsNoSecretFromTheEnvironment() throws Exception {
        Map<String, String> environment = environment();
        Map<String, String> secrets = Map.of("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS_SESSION_TOKEN", "token",
                                             "AWS_MFA_CODE", "123456", "GITHUB_TOKEN", "ghp_x", "DB_PASSWORD", "hunter2",
                                             "OPENAI_API_KEY", "sk-x", "VAULT_SECRET", "s");
        environment.putAll(secrets);
        CompletableFuture<String> code = ask(supplier(environment), request(null));
        DesktopDriver dialog = dialog(code, "zenity", null);

        Map<String, String> seen = dialog.environment();
        assertTrue(secrets.keySet().stream().noneMatch(seen::containsKey), () -> "zenity's environment: " + seen.keySet());
        assertEquals(environment.get("DISPLAY"), seen.get("DISPLAY"));
        assertEquals(environment.get("HOME"), seen.get("HOME"));
    }

    @Test
    void programThatFailsIsNamedWithTheEndOfItsErrorOutput() {
        Map<String, String> environment = environment();
        environment.put("DISPLAY", ":4242");

        MfaSessionException e = assertThrows(MfaSessionException.class, () -> supplier(environment).code(request(null)));

        assertTrue(e.getMessage().startsWith("The MFA code dialog (zenity) for profile 'dev' failed with exit status "), e.getMessage());
        assertTrue(e.getMessage().contains("set mfa_code_supplier to console, dialog, process or file. The end of its error output:\n  "),
                   e.getMessage());
        assertTrue(e.getMessage().contains("cannot open display"), e.getMessage());
    }

    @Test
    void missingProgramSaysWhatToInstallAndTheSupplierDoesNotApply() {
        Map<String, String> environment = environment();
        environment.put("PATH", dir.toString());
        DesktopCodeSupplier supplier = supplier(environment);

        MfaSessionException e = assertThrows(MfaSessionException.class, () -> supplier.code(request(null)));

        assertEquals("Cannot ask for the MFA code of device " + SERIAL + " (profile 'dev') with the desktop's dialog: neither zenity nor"
                     + " kdialog was found on PATH; install one (for example 'apt-get install zenity'). Set mfa_code_supplier to console,"
                     + " dialog, process or file, or give the code in AWS_MFA_CODE.", e.getMessage());
        assertFalse(supplier.appliesTo(key -> Optional.empty()));
    }

    @Test
    void withoutADisplayTheSupplierDoesNotApplyAndSaysSo() {
        Map<String, String> environment = environment();
        environment.remove("DISPLAY");
        environment.remove("WAYLAND_DISPLAY");
        DesktopCodeSupplier supplier = supplier(environment);

        MfaSessionException e = assertThrows(MfaSessionException.class, () -> supplier.code(request(null)));

        assertTrue(e.getMessage().contains("with the desktop's dialog: there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)."),
                   e.getMessage());
        assertFalse(supplier.appliesTo(key -> Optional.empty()));
    }

    @Test
    void appliesWithADisplayAndZenity() {
        assertTrue(supplier(environment()).appliesTo(key -> Optional.empty()));
    }

    @Test
    void malformedTimeLimitIsNamed() {
        MfaSessionException e = assertThrows(MfaSessionException.class,
                                             () -> supplier(environment()).code(request(null, "mfa_desktop_timeout_seconds", "soon")));

        assertEquals("mfa_desktop_timeout_seconds 'soon' for profile 'dev' is not a number of seconds from 1 to 3600; use a whole"
                     + " number in that range (the default is 300).", e.getMessage());
    }

    @Test
    void kdeSessionIsAskedWithKdialog() throws Exception {
        DesktopDriver.assumeAvailable("kdialog");
        Map<String, String> environment = environment();
        environment.put("XDG_CURRENT_DESKTOP", "KDE");
        CompletableFuture<String> code = ask(supplier(environment), request(null));
        DesktopDriver dialog = dialog(code, "kdialog", null);

        assertTrue(dialog.title().startsWith("AWS MFA code"), dialog.title());
        dialog.enter("123456");

        assertEquals("123456", code.get(20, TimeUnit.SECONDS));
    }

    @Test
    void kdialogCancelEndsInAClearError() throws Exception {
        DesktopDriver.assumeAvailable("kdialog");
        Map<String, String> environment = environment();
        environment.put("KDE_FULL_SESSION", "true");
        CompletableFuture<String> code = ask(supplier(environment), request(null));

        dialog(code, "kdialog", null).escape();

        assertEquals("MFA code entry was cancelled for profile 'dev' (device " + SERIAL + ").", failure(code).getMessage());
    }

    @Test
    void kdialogShowsAProfileNameWithMarkupAsWritten() throws Exception {
        DesktopDriver.assumeAvailable("kdialog");
        Map<String, String> environment = environment();
        environment.put("XDG_CURRENT_DESKTOP", "KDE");
        MfaCodeRequest request = MfaCodeRequest.builder().profile("<b>dev</b> & \\n \"x\"").mfaSerial(SERIAL)
                                               .lastFailure("the code expired").attempt(2).build();
        CompletableFuture<String> code = ask(supplier(environment), request);
        DesktopDriver dialog = dialog(code, "kdialog", null);

        // Qt shows the text as HTML, and kdialog reads backslash escapes: escaped for both, it shows as written.
        assertEquals("<qt>The code expired.<br>MFA code for " + SERIAL + " (profile &lt;b&gt;dev&lt;/b&gt; &amp; \\\\n \"x\"):</qt>",
                     dialog.argument("--password"));
    }

    private static DesktopCodeSupplier supplier(Map<String, String> environment) {
        return new DesktopCodeSupplier(Desktop.Os.UNIX, environment);
    }

    /** This machine's environment, to change for one test. */
    private static Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.remove("XDG_CURRENT_DESKTOP");
        environment.remove("KDE_FULL_SESSION");
        return environment;
    }

    private static CompletableFuture<String> ask(DesktopCodeSupplier supplier, MfaCodeRequest request) {
        return CompletableFuture.supplyAsync(() -> supplier.code(request), DesktopCodeSupplierTest::newThread);
    }

    /** The dialog the supplier shows; if the supplier ended without one, how it ended. */
    private static DesktopDriver dialog(CompletableFuture<String> code, String program, DesktopDriver previous) throws Exception {
        try {
            return DesktopDriver.await(ProcessHandle.current(), program, previous, WINDOW_WAIT);
        } catch (AssertionError e) {
            if (code.isCompletedExceptionally()) {
                e.addSuppressed(assertThrows(ExecutionException.class, code::get).getCause());
            }
            throw e;
        }
    }

    private static void newThread(Runnable task) {
        Thread thread = new Thread(task, "asks-for-code");
        thread.setDaemon(true);
        thread.start();
    }

    private static MfaSessionException failure(CompletableFuture<String> code) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> code.get(20, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof MfaSessionException, () -> "expected an MfaSessionException, got " + e.getCause());
        return (MfaSessionException) e.getCause();
    }

    private static String arguments(DesktopDriver dialog) {
        try {
            return dialog.arguments().toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static MfaCodeRequest request(String lastFailure, String... setting) {
        Map<String, String> settings = setting.length == 0 ? Map.of() : Map.of(setting[0], setting[1]);
        return MfaCodeRequest.builder().profile("dev").mfaSerial(SERIAL).lastFailure(lastFailure)
                             .settings(key -> Optional.ofNullable(settings.get(key))).build();
    }
}
