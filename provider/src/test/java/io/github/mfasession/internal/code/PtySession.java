package io.github.mfasession.internal.code;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A command running in a real pseudo-terminal, made with util-linux {@code script}: the test types on the
 * terminal's keyboard (script's stdin) and reads its screen (script's stdout). The command gets the pty as its
 * controlling terminal, exactly as a program started from a terminal window.
 */
public final class PtySession implements AutoCloseable {

    private final Process script;
    private final StringBuffer screen = new StringBuffer();
    private final OutputStream keyboard;

    private PtySession(Process script) {
        this.script = script;
        this.keyboard = script.getOutputStream();
        Thread reader = new Thread(() -> copy(script.getInputStream()), "pty-screen");
        reader.setDaemon(true);
        reader.start();
    }

    /** Skips the test, saying why, where util-linux {@code script} is not available. */
    public static void assumeAvailable() {
        String version;
        try {
            Process probe = new ProcessBuilder("script", "--version").redirectErrorStream(true).start();
            version = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            probe.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            version = "";
        }
        assumeTrue(version.contains("util-linux"), "needs util-linux 'script' to make a pseudo-terminal; not found on this machine");
    }

    /** Runs the shell command in a new pseudo-terminal. */
    public static PtySession start(String shellCommand) throws IOException {
        // -q: no banner, -f: flush at once, -e: the command's exit status, -c: the command; no typescript file.
        // script runs the command with $SHELL; pin it so the test behaves the same under any login shell or none (CI).
        ProcessBuilder builder = new ProcessBuilder("script", "-qfec", shellCommand, "/dev/null").redirectErrorStream(true);
        builder.environment().put("SHELL", "/bin/sh");
        return new PtySession(builder.start());
    }

    public void type(String keys) throws IOException {
        keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    /** Waits until the screen shows the text, and returns everything shown so far. */
    public String awaitScreen(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (screen.indexOf(text) < 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The terminal never showed '" + text + "'; it showed: " + screen);
            }
            Thread.sleep(20);
        }
        return screen.toString();
    }

    /**
     * Waits until the screen shows the lines of {@code text} ({@code \n} between them), whatever carriage returns the
     * terminal adds (with output processing on, it turns a program's {@code \r\n} into {@code \r\r\n}).
     */
    public String awaitLines(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (screen.toString().replace("\r", "").indexOf(text) < 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The terminal never showed '" + text + "'; it showed: " + screen.toString().replace("\r", ""));
            }
            Thread.sleep(20);
        }
        return screen.toString().replace("\r", "");
    }

    public String screen() {
        return screen.toString();
    }

    /** Waits for the command to end. */
    public void awaitExit(Duration timeout) throws InterruptedException {
        if (!script.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("The command in the terminal did not end; the terminal shows: " + screen);
        }
    }

    private void copy(InputStream in) {
        byte[] buffer = new byte[1024];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                screen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // The terminal closed.
        }
    }

    @Override
    public void close() {
        script.descendants().forEach(ProcessHandle::destroyForcibly);
        script.destroyForcibly();
    }
}
