package io.github.mfasession.internal.code;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaCodeSupplier;
import io.github.mfasession.MfaSessionException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;

/**
 * {@code process}: runs the command in {@code mfa_process}, as aws-vault does (for example
 * {@code ykman oath accounts code --single AWS} or {@code op item get AWS --otp}), and takes the code from
 * what it prints.
 */
public final class ProcessCodeSupplier implements MfaCodeSupplier, AutoChoosable {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

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
        ProcessBuilder shell = ChildProcess.WINDOWS ? new ProcessBuilder("cmd.exe", "/c", command) : new ProcessBuilder("/bin/sh", "-c", command);
        ChildProcess process = ChildProcess.start(shell, what);
        try {
            if (!process.waitFor(timeout)) {
                throw process.failure("The " + what + " did not finish within " + timeout.getSeconds() + " seconds and was stopped."
                                      + " Allow longer with mfa_process_timeout_seconds.");
            }
            if (process.exitValue() != 0) {
                throw process.failure("The " + what + " failed with exit status " + process.exitValue() + ".");
            }
            Matcher code = ChildProcess.CODE.matcher(process.stdout());
            String last = null;
            while (code.find()) {
                last = code.group();
            }
            if (last == null) {
                throw process.failure("The " + what + " printed no 6-digit code. Check that it prints the code of device "
                                      + request.mfaSerial() + ".");
            }
            return last;
        } catch (InterruptedException e) {
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
}
