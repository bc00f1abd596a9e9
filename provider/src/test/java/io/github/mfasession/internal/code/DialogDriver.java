package io.github.mfasession.internal.code;

import java.awt.AWTException;
import java.awt.Component;
import java.awt.Container;
import java.awt.Point;
import java.awt.Robot;
import java.awt.Window;
import java.awt.event.InputEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.SwingUtilities;

/** Finds the MFA code dialog on a real display and types and clicks in it with {@link Robot}, as a person would. */
public final class DialogDriver {

    private final Robot robot;

    public DialogDriver() throws AWTException {
        robot = new Robot();
        robot.setAutoDelay(15);
    }

    public void waitForIdle() {
        robot.waitForIdle();
    }

    /** Closes every window, so no dialog outlives its test. */
    public static void disposeAllWindows() throws Exception {
        SwingUtilities.invokeAndWait(() -> Arrays.stream(Window.getWindows()).forEach(Window::dispose));
    }

    /** The dialog once it is on screen with the code field focused, ready for a person to type. */
    public JDialog awaitDialog() throws Exception {
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

    public void click(Component component) throws Exception {
        Point center = onEdt(() -> {
            Point at = component.getLocationOnScreen();
            return new Point(at.x + component.getWidth() / 2, at.y + component.getHeight() / 2);
        });
        robot.mouseMove(center.x, center.y);
        robot.mousePress(InputEvent.BUTTON1_DOWN_MASK);
        robot.mouseRelease(InputEvent.BUTTON1_DOWN_MASK);
        robot.waitForIdle();
    }

    public void type(String keys) {
        for (char key : keys.toCharArray()) {
            // KeyEvent's codes for digits and capital letters are their characters.
            robot.keyPress(key);
            robot.keyRelease(key);
        }
        robot.waitForIdle();
    }

    public static Component component(Container root, String name) throws Exception {
        return onEdt(() -> find(root, name)).orElseThrow(() -> new AssertionError("No component named " + name));
    }

    static Optional<Component> find(Container root, String name) {
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

    public static List<String> labels(Container root) {
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

    public static <T> T onEdt(Callable<T> read) throws Exception {
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

    /** Clicks the dialog's OK button. */
    public void clickOk(JDialog dialog) throws Exception {
        click(component(dialog, CodeDialog.OK_BUTTON));
    }

    /** What the dialog says about the last attempt, empty on the first. */
    public static String failureText(JDialog dialog) throws Exception {
        JLabel failure = (JLabel) component(dialog, CodeDialog.FAILURE_LABEL);
        return onEdt(failure::getText);
    }
}
