package io.github.mfasession.internal.code;

import java.io.Closeable;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.PosixSysTerminal;
import org.jline.terminal.impl.exec.ExecPty;
import org.jline.terminal.impl.exec.ExecTerminalProvider;
import org.jline.utils.NonBlockingReader;

/**
 * The terminal this process belongs to, reached through {@code /dev/tty} rather than stdin and stdout.
 *
 * <p>Why this way: a {@code credential_process} child has stdin, stdout and stderr all piped to its parent
 * (botocore and Java's {@code ProcessBuilder} do so), while the person sits at the terminal the parent runs
 * in. JLine's system terminal looks at stdin and stdout and would fall back to a dumb one there; its
 * {@code ExternalTerminal} emulates a line discipline over plain streams but cannot stop the kernel from
 * echoing the digits. So this opens JLine's exec {@link ExecPty} on {@code /dev/tty} itself: it changes the
 * kernel's own terminal settings with {@code stty -F /dev/tty} (no native code, so it also works in the shaded
 * jar, on Linux, macOS and the BSDs), {@link PosixSysTerminal} restores them on close and at JVM exit, and reads
 * in raw mode time out every 100 ms (VMIN=0, VTIME=1), so a wait notices an interrupt or its deadline without
 * leaving a thread blocked in read(2).
 */
final class ControllingTerminal implements Closeable {

    private static final String DEVICE = "/dev/tty";
    /** Reads give up after this long so the caller can look at the clock and its interrupt flag. */
    private static final long READ_TIMEOUT_MILLIS = 100;

    private final Terminal terminal;

    private ControllingTerminal(Terminal terminal) {
        this.terminal = terminal;
    }

    /** Whether this process has a controlling terminal; opening {@code /dev/tty} fails at once (ENXIO) when it has none. */
    static boolean isAttached() {
        try {
            new FileInputStream(DEVICE).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Opens the controlling terminal in raw mode: no echo, no line editing by the kernel.
     *
     * @throws IOException when there is no controlling terminal or {@code stty} cannot change its settings
     */
    static ControllingTerminal openRaw() throws IOException {
        DevTty pty = new DevTty();
        Terminal terminal;
        try {
            // "dumb": nothing here needs the terminal's capabilities, and a known type avoids running infocmp.
            terminal = new PosixSysTerminal("mfa-session", Terminal.TYPE_DUMB, pty, StandardCharsets.UTF_8, false,
                                            Terminal.SignalHandler.SIG_DFL);
        } catch (IOException | RuntimeException e) {
            pty.close();
            throw e;
        }
        ControllingTerminal tty = new ControllingTerminal(terminal);
        try {
            terminal.enterRawMode();
        } catch (RuntimeException e) {
            tty.close();
            throw new IOException(e.getMessage(), e);
        }
        return tty;
    }

    /** Writes text at once. */
    void print(String text) {
        terminal.writer().print(text);
        terminal.writer().flush();
    }

    /**
     * The next character typed, or {@link NonBlockingReader#READ_EXPIRED} when none came within 100 ms.
     *
     * @throws InterruptedIOException when the thread was interrupted
     * @throws IOException when the terminal was closed
     */
    int read() throws IOException {
        if (Thread.interrupted()) {
            throw new InterruptedIOException();
        }
        int c = terminal.reader().read(READ_TIMEOUT_MILLIS);
        if (c == NonBlockingReader.EOF) {
            throw new IOException("the terminal was closed");
        }
        return c;
    }

    /** Restores the terminal's settings as they were; the thread's interrupt flag is kept but must not stop {@code stty}. */
    @Override
    public void close() {
        boolean interrupted = Thread.interrupted();
        try {
            terminal.close();
        } catch (IOException | RuntimeException e) {
            // Nothing more can be done for the terminal; the caller's own outcome matters more.
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** JLine's exec pty on {@code /dev/tty}, closing the streams it opened. */
    private static final class DevTty extends ExecPty {
        private final List<Closeable> opened = new ArrayList<>();

        DevTty() {
            // No system stream: JLine then opens the device by name and passes it to stty with -F (-f on BSD).
            super(new ExecTerminalProvider(), null, DEVICE);
        }

        @Override
        protected InputStream doGetSlaveInput() throws IOException {
            return remember(new HangUpAwareInput(new FileInputStream(DEVICE)));
        }

        @Override
        public OutputStream getSlaveOutput() throws IOException {
            return remember(new FileOutputStream(DEVICE));
        }

        private synchronized <T extends Closeable> T remember(T stream) {
            opened.add(stream);
            return stream;
        }

        @Override
        public synchronized void close() throws IOException {
            for (Closeable stream : opened) {
                stream.close();
            }
            opened.clear();
        }
    }

    /**
     * In raw mode an empty read means "nothing typed for 100 ms". An empty read that comes back much sooner means
     * the terminal hung up; reported as an error, so the caller does not spin until its deadline.
     */
    private static final class HangUpAwareInput extends FilterInputStream {
        HangUpAwareInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            long start = System.nanoTime();
            int c = super.read();
            if (c < 0 && System.nanoTime() - start < READ_TIMEOUT_MILLIS * 1_000_000 / 2) {
                throw new IOException("the terminal was closed");
            }
            return c;
        }
    }
}
