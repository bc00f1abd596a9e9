package io.github.mfasession.internal.code;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaCodeSupplier;
import io.github.mfasession.MfaSessionException;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code process}: runs the command in {@code mfa_process}, as aws-vault does (for example
 * {@code ykman oath accounts code --single AWS} or {@code op item get AWS --otp}), and takes the code from
 * what it prints.
 */
public final class ProcessCodeSupplier implements MfaCodeSupplier, AutoChoosable {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** A group of exactly 6 digits standing on its own: the code, not part of a longer number or name. */
    private static final Pattern CODE = Pattern.compile("(?<![\\p{Alnum}])\\d{6}(?![\\p{Alnum}])");
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    private static final int STDERR_LINES = 5;
    /** How long the output readers may take to finish once the process has ended. */
    private static final long DRAIN_MILLIS = 2_000;

    @Override
    public String name() {
        return "process";
    }

    @Override
    public boolean appliesTo(Function<String, Optional<String>> settings) {
        return settings.apply("mfa_process").isPresent();
    }

    @Override
    public String code(MfaCodeRequest request) {
        String command = request.setting("mfa_process").orElseThrow(() -> MfaSessionException.create(
            "The 'process' code supplier needs mfa_process for profile '" + request.profile() + "': set it (or AWS_MFA_PROCESS)"
            + " to a command that prints the code, such as 'ykman oath accounts code --single AWS'."));
        Duration timeout = Timeouts.seconds(request, "mfa_process_timeout_seconds", DEFAULT_TIMEOUT);
        String what = "mfa_process command '" + program(command) + "' for profile '" + request.profile() + "'";
        Process process = start(command, what);
        OutputTail stdout = OutputTail.drain(process.getInputStream(), 64 * 1024, "mfa-process-stdout");
        OutputTail stderr = OutputTail.drain(process.getErrorStream(), 8 * 1024, "mfa-process-stderr");
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process);
                throw failure("The " + what + " did not finish within " + timeout.getSeconds() + " seconds and was stopped."
                              + " Allow longer with mfa_process_timeout_seconds.", stderr);
            }
            if (process.exitValue() != 0) {
                throw failure("The " + what + " failed with exit status " + process.exitValue() + ".", stderr);
            }
            Matcher code = CODE.matcher(stdout.text(DRAIN_MILLIS));
            String last = null;
            while (code.find()) {
                last = code.group();
            }
            if (last == null) {
                throw failure("The " + what + " printed no 6-digit code. Check that it prints the code of device " + request.mfaSerial() + ".",
                              stderr);
            }
            return last;
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw MfaSessionException.create("Interrupted while waiting for the " + what + "; the command was stopped.", e);
        }
    }

    /**
     * The program the command runs, without its arguments: an argument may be a secret (for example
     * {@code oathtool --totp -b <secret>}), and messages never show one.
     */
    static String program(String command) {
        String first = command.trim().split("\\s+", 2)[0];
        return command.trim().equals(first) ? first : first + " ...";
    }

    private static Process start(String command, String what) {
        ProcessBuilder builder = WINDOWS ? new ProcessBuilder("cmd.exe", "/c", command) : new ProcessBuilder("/bin/sh", "-c", command);
        // Never the host's stdin: the command must not read what belongs to the host, nor wait on it.
        builder.redirectInput(new File(WINDOWS ? "NUL" : "/dev/null"));
        try {
            return builder.start();
        } catch (IOException e) {
            throw MfaSessionException.create("The " + what + " could not be started: " + e.getMessage() + ".", e);
        }
    }

    /** Stops the shell and everything it started; the children are listed first, while they are still its descendants. */
    private static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().collect(Collectors.toList());
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * The message plus the end of the command's error output, never its standard output, which holds the code.
     * Any 6-digit group in the error output is masked too: a command may echo a code there.
     */
    private static MfaSessionException failure(String message, OutputTail stderr) throws InterruptedException {
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
