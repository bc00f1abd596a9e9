package io.github.mfasession.internal.code;

import io.github.mfasession.MfaSessionException;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A program a supplier runs for a code ({@code mfa_process}'s command, the desktop's dialog program): it gets no
 * input from the host, its output is read on threads of its own, it runs for a bounded time and is then stopped with
 * everything it started, and a failure shows the end of its error output, never its standard output, which holds the
 * code.
 */
final class ChildProcess {

    /** A group of exactly 6 digits standing on its own: a code, not part of a longer number or name. */
    static final Pattern CODE = Pattern.compile("(?<![\\p{Alnum}])\\d{6}(?![\\p{Alnum}])");
    static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    private static final int STDERR_LINES = 5;
    /** How long the output readers may take to finish once the process has ended. */
    private static final long DRAIN_MILLIS = 2_000;

    private final Process process;
    private final OutputTail stdout;
    private final OutputTail stderr;

    private ChildProcess(Process process) {
        this.process = process;
        this.stdout = OutputTail.drain(process.getInputStream(), 64 * 1024, "mfa-code-stdout");
        this.stderr = OutputTail.drain(process.getErrorStream(), 8 * 1024, "mfa-code-stderr");
    }

    /**
     * Starts the program with the null device as its input: it must not read what belongs to the host, nor wait on it.
     *
     * @param what names the program in messages, for example {@code mfa_process command 'ykman ...' for profile 'dev'}
     */
    static ChildProcess start(ProcessBuilder builder, String what) {
        builder.redirectInput(new File(WINDOWS ? "NUL" : "/dev/null"));
        try {
            return new ChildProcess(builder.start());
        } catch (IOException e) {
            throw MfaSessionException.create("The " + what + " could not be started: " + e.getMessage() + ".", e);
        }
    }

    /**
     * Waits for the program to end. At the time limit, or when the waiting thread is interrupted, the program is stopped
     * with everything it started.
     *
     * @return whether it ended by itself within the time
     */
    boolean waitFor(Duration timeout) throws InterruptedException {
        boolean ended;
        try {
            ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            killTree();
            throw e;
        }
        if (!ended) {
            killTree();
        }
        return ended;
    }

    int exitValue() {
        return process.exitValue();
    }

    /** What the program printed on its standard output; it may hold a code, so it never goes into a message. */
    String stdout() throws InterruptedException {
        return stdout.text(DRAIN_MILLIS);
    }

    /** The end of what the program printed on its error output, for telling a cancel from a failure; never for a message as it is. */
    String errorOutput() throws InterruptedException {
        return stderr.text(DRAIN_MILLIS);
    }

    /** Stops the program and everything it started; the children are listed first, while they are still its descendants. */
    private void killTree() {
        List<ProcessHandle> descendants = process.descendants().collect(Collectors.toList());
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * The message plus the end of the program's error output. Any 6-digit group there is masked: a program may echo a
     * code on its error output.
     */
    MfaSessionException failure(String message) throws InterruptedException {
        List<String> lines = OutputTail.lastLines(stderr.text(DRAIN_MILLIS), STDERR_LINES);
        if (lines.isEmpty()) {
            return MfaSessionException.create(message + " It wrote nothing to its error output.");
        }
        String tail = lines.stream()
                           .map(line -> CODE.matcher(line.length() > 200 ? line.substring(0, 200) + "..." : line).replaceAll("******"))
                           .collect(Collectors.joining("\n  ", "\n  ", ""));
        return MfaSessionException.create(message + " The end of its error output:" + tail);
    }
}
