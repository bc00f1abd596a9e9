package io.github.mfasession.internal.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaSessionException;
import java.awt.Component;
import java.awt.Container;
import java.awt.Point;
import java.awt.Robot;
import java.awt.Window;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.awt.event.WindowEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.swing.JButton;
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
    private Robot robot;

    @BeforeEach
    void robot() throws Exception {
        robot = new Robot();
        robot.setAutoDelay(15);
    }

    @AfterEach
    void noDialogLeftOpen() throws Exception {
        SwingUtilities.invokeAndWait(() -> Arrays.stream(Window.getWindows()).forEach(Window::dispose));
    }

    @Test
    void codeTypedIntoTheFocusedFieldIsReturnedWhenOkIsClicked() throws Exception {
        CompletableFuture<String> code = ask(request(null));
        JDialog dialog = awaitDialog();

        type("123456");
        click(component(dialog, CodeDialog.OK_BUTTON));

        assertEquals("123456", code.get(10, TimeUnit.SECONDS));
    }

    @Test
    void cancelEndsInAClearError() throws Exception {
        CompletableFuture<String> code = ask(request(null));
        click(component(awaitDialog(), CodeDialog.CANCEL_BUTTON));

        assertEquals("MFA code entry was cancelled for profile 'dev' (device " + SERIAL + ").", failure(code).getMessage());
    }

    @Test
    void closingTheWindowIsACancel() throws Exception {
        CompletableFuture<String> code = ask(request(null));
        JDialog dialog = awaitDialog();
        // What the window manager sends when the close button in the title bar is clicked.
        SwingUtilities.invokeLater(() -> dialog.dispatchEvent(new WindowEvent(dialog, WindowEvent.WINDOW_CLOSING)));

        assertTrue(failure(code).getMessage().startsWith("MFA code entry was cancelled for profile 'dev'"));
    }

    @Test
    void dialogClosedByTheHostIsACancelNotAWait() throws Exception {
        CompletableFuture<String> code = ask(request(null));
        JDialog dialog = awaitDialog();
        SwingUtilities.invokeLater(dialog::dispose);

        assertTrue(failure(code).getMessage().startsWith("MFA code entry was cancelled for profile 'dev'"));
    }

    @Test
    void namesTheDeviceAndTheProfileAndSaysWhyItAsksAgain() throws Exception {
        ask(request("the last code was rejected"));
        JDialog dialog = awaitDialog();

        List<String> texts = onEdt(() -> labels(dialog));
        assertTrue(texts.contains("Profile: dev"), texts::toString);
        assertTrue(texts.contains("MFA device: " + SERIAL), texts::toString);
        JLabel failure = (JLabel) component(dialog, CodeDialog.FAILURE_LABEL);
        assertEquals("The last code was rejected. Please enter the next code.", onEdt(failure::getText));
        assertTrue(onEdt(dialog::isAlwaysOnTop));
    }

    @Test
    void fieldIsMaskedAndKeepsOnlySixDigits() throws Exception {
        CompletableFuture<String> code = ask(request(null));
        JDialog dialog = awaitDialog();
        JPasswordField field = (JPasswordField) component(dialog, CodeDialog.CODE_FIELD);

        click(field);
        type("12A34567");

        assertNotEquals(0, (int) onEdt(field::getEchoChar));
        assertEquals("123456", onEdt(() -> new String(field.getPassword())));
        click(component(dialog, CodeDialog.OK_BUTTON));
        assertEquals("123456", code.get(10, TimeUnit.SECONDS));
    }

    @Test
    void okStaysDisabledUntilSixDigitsAreTyped() throws Exception {
        ask(request(null));
        JDialog dialog = awaitDialog();
        JButton ok = (JButton) component(dialog, CodeDialog.OK_BUTTON);

        click(component(dialog, CodeDialog.CODE_FIELD));
        type("12345");
        robot.waitForIdle();
        assertEquals(false, onEdt(ok::isEnabled));
        type("6");
        robot.waitForIdle();
        assertEquals(true, onEdt(ok::isEnabled));
    }

    @Test
    void interruptingTheWaitingThreadClosesTheDialog() throws Exception {
        AtomicReference<Thread> asking = new AtomicReference<>();
        CompletableFuture<String> code = CompletableFuture.supplyAsync(() -> {
            asking.set(Thread.currentThread());
            return supplier.code(request(null));
        }, DialogCodeSupplierTest::newThread);
        JDialog dialog = awaitDialog();

        asking.get().interrupt();

        assertEquals("Interrupted while waiting for the MFA code dialog of profile 'dev'.", failure(code).getMessage());
        for (int i = 0; i < 100 && onEdt(dialog::isShowing); i++) {
            Thread.sleep(20);
        }
        assertEquals(false, onEdt(dialog::isShowing));
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

    /** The dialog once it is on screen with the code field focused, ready for a person to type. */
    private JDialog awaitDialog() throws Exception {
        for (int i = 0; i < 500; i++) {
            Optional<JDialog> ready = onEdt(() -> Arrays.stream(Window.getWindows())
                                                        .filter(w -> w instanceof JDialog && w.isShowing())
                                                        .map(w -> (JDialog) w)
                                                        .filter(d -> d.getTitle().equals("AWS MFA code"))
                                                        .filter(d -> find(d, CodeDialog.CODE_FIELD).map(Component::isFocusOwner).orElse(false))
                                                        .findFirst());
            if (ready.isPresent()) {
                robot.waitForIdle();
                return ready.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("The MFA code dialog never showed with its code field focused");
    }

    private void click(Component component) throws Exception {
        Point center = onEdt(() -> {
            Point at = component.getLocationOnScreen();
            return new Point(at.x + component.getWidth() / 2, at.y + component.getHeight() / 2);
        });
        robot.mouseMove(center.x, center.y);
        robot.mousePress(InputEvent.BUTTON1_DOWN_MASK);
        robot.mouseRelease(InputEvent.BUTTON1_DOWN_MASK);
        robot.waitForIdle();
    }

    private void type(String keys) {
        for (char key : keys.toCharArray()) {
            // KeyEvent's codes for digits and capital letters are their characters.
            robot.keyPress(key);
            robot.keyRelease(key);
        }
        robot.waitForIdle();
    }

    private static Component component(Container root, String name) throws Exception {
        return onEdt(() -> find(root, name)).orElseThrow(() -> new AssertionError("No component named " + name));
    }

    private static Optional<Component> find(Container root, String name) {
        for (Component child : root.getComponents()) {
            if (name.equals(child.getName())) {
                return Optional.of(child);
            }
            if (child instanceof Container) {
                Optional<Component> found = find((Container) child, name);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> labels(Container root) {
        List<String> texts = new ArrayList<>();
        for (Component child : root.getComponents()) {
            if (child instanceof JLabel) {
                texts.add(((JLabel) child).getText());
            } else if (child instanceof Container) {
                texts.addAll(labels((Container) child));
            }
        }
        return texts;
    }

    private static <T> T onEdt(Callable<T> read) throws Exception {
        AtomicReference<T> value = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> {
            try {
                value.set(read.call());
            } catch (Exception e) {
                failure.set(e);
            }
        });
        if (failure.get() != null) {
            throw failure.get();
        }
        return value.get();
    }

    private static MfaCodeRequest request(String lastFailure) {
        return MfaCodeRequest.builder().profile("dev").mfaSerial(SERIAL).lastFailure(lastFailure).build();
    }
}
