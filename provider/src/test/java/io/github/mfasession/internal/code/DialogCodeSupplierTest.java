package io.github.mfasession.internal.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaSessionException;
import java.awt.Robot;
import java.awt.event.WindowEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JPasswordField;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/** The dialog supplier on a real display (CI runs the build under xvfb-run), driven with java.awt.Robot as a person would. */
@DisabledIf(value = "java.awt.GraphicsEnvironment#isHeadless", disabledReason = "needs a display; run under xvfb-run")
class DialogCodeSupplierTest {

    private static final String SERIAL = "arn:aws:iam::123456789012:mfa/alice";

    private final DialogCodeSupplier supplier = new DialogCodeSupplier();
    private DialogDriver driver;

    @BeforeEach
    void driver() throws Exception {
        driver = new DialogDriver();
    }

    @AfterEach
    void noDialogLeftOpen() throws Exception {
        DialogDriver.disposeAllWindows();
    }

    @Test
    void codeTypedIntoTheFocusedFieldIsReturnedWhenOkIsClicked() throws Exception {
        CompletableFuture<String> code = ask(request(null));
        JDialog dialog = driver.awaitDialog();

        driver.type("123456");
        driver.click(DialogDriver.component(dialog, CodeDialog.OK_BUTTON));

        assertEquals("123456", code.get(10, TimeUnit.SECONDS));
    }

    @Test
    void cancelEndsInAClearError() throws Exception {
        CompletableFuture<String> code = ask(request(null));
        driver.click(DialogDriver.component(driver.awaitDialog(), CodeDialog.CANCEL_BUTTON));

        assertEquals("MFA code entry was cancelled for profile 'dev' (device " + SERIAL + ").", failure(code).getMessage());
    }

    @Test
    void closingTheWindowIsACancel() throws Exception {
        CompletableFuture<String> code = ask(request(null));
        JDialog dialog = driver.awaitDialog();
        // What the window manager sends when the close button in the title bar is clicked.
        SwingUtilities.invokeLater(() -> dialog.dispatchEvent(new WindowEvent(dialog, WindowEvent.WINDOW_CLOSING)));

        assertTrue(failure(code).getMessage().startsWith("MFA code entry was cancelled for profile 'dev'"));
    }

    @Test
    void dialogClosedByTheHostIsACancelNotAWait() throws Exception {
        CompletableFuture<String> code = ask(request(null));
        JDialog dialog = driver.awaitDialog();
        SwingUtilities.invokeLater(dialog::dispose);

        assertTrue(failure(code).getMessage().startsWith("MFA code entry was cancelled for profile 'dev'"));
    }

    @Test
    void namesTheDeviceAndTheProfileAndSaysWhyItAsksAgain() throws Exception {
        ask(request("the last code was rejected"));
        JDialog dialog = driver.awaitDialog();

        List<String> texts = DialogDriver.onEdt(() -> DialogDriver.labels(dialog));
        assertTrue(texts.contains("Profile: dev"), texts::toString);
        assertTrue(texts.contains("MFA device: " + SERIAL), texts::toString);
        JLabel failure = (JLabel) DialogDriver.component(dialog, CodeDialog.FAILURE_LABEL);
        String said = DialogDriver.onEdt(failure::getText);
        assertTrue(said.contains("STS rejected the last code. Usually it was already used in this 30-second window,"), said);
        assertTrue(said.contains("The next code appears in "), said);
        assertTrue(DialogDriver.onEdt(dialog::getWidth) < 600, "the explanation wraps instead of widening the dialog");
        assertTrue(DialogDriver.onEdt(dialog::isAlwaysOnTop));
    }

    @Test
    void fieldIsMaskedAndKeepsOnlySixDigits() throws Exception {
        CompletableFuture<String> code = ask(request(null));
        JDialog dialog = driver.awaitDialog();
        JPasswordField field = (JPasswordField) DialogDriver.component(dialog, CodeDialog.CODE_FIELD);

        driver.click(field);
        driver.type("12A34567");

        assertNotEquals(0, (int) DialogDriver.onEdt(field::getEchoChar));
        assertEquals("123456", DialogDriver.onEdt(() -> new String(field.getPassword())));
        driver.click(DialogDriver.component(dialog, CodeDialog.OK_BUTTON));
        assertEquals("123456", code.get(10, TimeUnit.SECONDS));
    }

    @Test
    void enterBeforeSixDigitsSaysSoInTheSameDialogAndTheCodeTypedNextIsReturned() throws Exception {
        CompletableFuture<String> code = ask(request(null));
        JDialog dialog = driver.awaitDialog();
        JPasswordField field = (JPasswordField) DialogDriver.component(dialog, CodeDialog.CODE_FIELD);

        driver.type("12345\n");

        assertEquals("<html><body style='width: 300px'>" + Prompts.NOT_SIX_DIGITS + "</body></html>", DialogDriver.failureText(dialog));
        assertTrue(DialogDriver.onEdt(DialogDriver.component(dialog, CodeDialog.FAILURE_LABEL)::isShowing));
        assertEquals("", DialogDriver.onEdt(() -> new String(field.getPassword())), "the field is ready for the code");
        assertTrue(DialogDriver.onEdt(dialog::isShowing), "asked again in the same dialog");
        assertFalse(code.isDone(), "nothing was returned, so nothing reached STS or counted as an attempt");
        driver.type("123456\n");
        assertEquals("123456", code.get(10, TimeUnit.SECONDS));
    }

    @Test
    void okWithNothingTypedSaysSoAndTheDialogStays() throws Exception {
        CompletableFuture<String> code = ask(request(null));
        JDialog dialog = driver.awaitDialog();

        driver.clickOk(dialog);

        assertTrue(DialogDriver.failureText(dialog).contains(Prompts.NOT_SIX_DIGITS), DialogDriver.failureText(dialog));
        assertTrue(DialogDriver.onEdt(dialog::isShowing));
        assertFalse(code.isDone());
    }

    @Test
    void withoutAFailureToReportNothingIsSaidAboveTheQuestion() throws Exception {
        ask(request(null));
        JDialog dialog = driver.awaitDialog();

        assertFalse(DialogDriver.onEdt(DialogDriver.component(dialog, CodeDialog.FAILURE_LABEL)::isVisible));
    }

    @Test
    void interruptingTheWaitingThreadClosesTheDialog() throws Exception {
        AtomicReference<Thread> asking = new AtomicReference<>();
        CompletableFuture<String> code = CompletableFuture.supplyAsync(() -> {
            asking.set(Thread.currentThread());
            return supplier.code(request(null));
        }, DialogCodeSupplierTest::newThread);
        JDialog dialog = driver.awaitDialog();

        asking.get().interrupt();

        assertEquals("Interrupted while waiting for the MFA code dialog of profile 'dev'.", failure(code).getMessage());
        for (int i = 0; i < 100 && DialogDriver.onEdt(dialog::isShowing); i++) {
            Thread.sleep(20);
        }
        assertEquals(false, DialogDriver.onEdt(dialog::isShowing));
    }

    /** Asks on a thread of its own, as a host's worker thread would. */
    private CompletableFuture<String> ask(MfaCodeRequest request) {
        return CompletableFuture.supplyAsync(() -> supplier.code(request), DialogCodeSupplierTest::newThread);
    }

    private static void newThread(Runnable task) {
        Thread thread = new Thread(task, "asks-for-code");
        thread.setDaemon(true);
        thread.start();
    }

    private static MfaSessionException failure(CompletableFuture<String> code) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> code.get(10, TimeUnit.SECONDS));
        return assertInstanceOfMfa(e.getCause());
    }

    private static MfaSessionException assertInstanceOfMfa(Throwable t) {
        assertTrue(t instanceof MfaSessionException, () -> "expected an MfaSessionException, got " + t);
        return (MfaSessionException) t;
    }

    private static MfaCodeRequest request(String lastFailure) {
        return MfaCodeRequest.builder().profile("dev").mfaSerial(SERIAL).lastFailure(lastFailure).build();
    }
}
