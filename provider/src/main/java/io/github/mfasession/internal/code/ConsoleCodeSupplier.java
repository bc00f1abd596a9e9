package io.github.mfasession.internal.code;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaCodeSupplier;
import io.github.mfasession.MfaSessionException;
import java.io.Console;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code console}: asks on the terminal the process belongs to, even when stdin and stdout are pipes (as
 * under {@code credential_process}); never writes to stdout. Typed digits show as {@code *}.
 */
public final class ConsoleCodeSupplier implements MfaCodeSupplier, AutoChoosable {

    /** A person who walked away gets a clear error instead of a process that waits forever. */
    static final Duration WAIT = Duration.ofMinutes(5);
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    private static final int MAX_TYPED = 32;

    @Override
    public String name() {
        return "console";
    }

    @Override
    public boolean isInteractive() {
        return true;
    }

    @Override
    public boolean appliesTo(Function<String, Optional<String>> settings) {
        return WINDOWS ? System.console() != null : ControllingTerminal.isAttached();
    }

    @Override
    public String code(MfaCodeRequest request) {
        String prompt = Prompts.lastFailure(request).map(failure -> failure + " ").orElse("") + Prompts.question(request);
        if (WINDOWS) {
            return fromWindowsConsole(request, prompt);
        }
        if (!ControllingTerminal.isAttached()) {
            throw noTerminal(request, "this process has no terminal");
        }
        ControllingTerminal tty;
        try {
            tty = ControllingTerminal.openRaw();
        } catch (IOException e) {
            throw noTerminal(request, "the terminal could not be used (" + e.getMessage() + ")");
        }
        try {
            // Raw mode is on before the prompt shows, so nothing typed after it is echoed.
            tty.print(prompt);
            return readDigits(tty, request);
        } finally {
            tty.close();
        }
    }

    /**
     * Digits until Enter, shown as {@code *}; Backspace deletes one, Ctrl-U all, Ctrl-D cancels. Ctrl-C still interrupts
     * the program as usual (the terminal sends the signal; JLine's shutdown hook puts the settings back).
     */
    private static String readDigits(ControllingTerminal tty, MfaCodeRequest request) {
        StringBuilder typed = new StringBuilder();
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (System.nanoTime() - deadline < 0) {
                int c = tty.read();
                if (c == '\r' || c == '\n') {
                    tty.print("\r\n");
                    return typed.toString();
                } else if ((c == 127 || c == '\b') && typed.length() > 0) {
                    typed.setLength(typed.length() - 1);
                    tty.print("\b \b");
                } else if (c == 'U' - '@') {
                    tty.print("\b \b".repeat(typed.length()));
                    typed.setLength(0);
                } else if (c == 'C' - '@' || c == 'D' - '@') {
                    tty.print("\r\n");
                    throw MfaSessionException.create("MFA code entry was cancelled at the terminal for profile '" + request.profile() + "'.");
                } else if (c >= '0' && c <= '9' && typed.length() < MAX_TYPED) {
                    typed.append((char) c);
                    tty.print("*");
                }
                // Anything else (nothing typed within 100 ms, a space, an arrow key) is passed over.
            }
            tty.print("\r\n");
            throw MfaSessionException.create("No MFA code was typed within " + WAIT.toMinutes() + " minutes for device " + request.mfaSerial()
                                             + " (profile '" + request.profile() + "'). Try again and type the code the device shows.");
        } catch (InterruptedIOException e) {
            tty.print("\r\n");
            Thread.currentThread().interrupt();
            throw MfaSessionException.create("Interrupted while asking for the MFA code for profile '" + request.profile()
                                             + "' at the terminal.", e);
        } catch (IOException e) {
            throw noTerminal(request, e.getMessage());
        }
    }

    /** Windows, best effort: the console's own password prompt, when the process has a console. */
    private static String fromWindowsConsole(MfaCodeRequest request, String prompt) {
        Console console = System.console();
        if (console == null) {
            throw noTerminal(request, "this process has no console");
        }
        char[] typed = console.readPassword("%s", prompt);
        if (typed == null) {
            throw MfaSessionException.create("MFA code entry was cancelled at the console for profile '" + request.profile() + "'.");
        }
        String code = new String(typed).trim();
        Arrays.fill(typed, ' ');
        return code;
    }

    private static MfaSessionException noTerminal(MfaCodeRequest request, String why) {
        return MfaSessionException.create(
            "Cannot ask for the MFA code of device " + request.mfaSerial() + " (profile '" + request.profile() + "') at a terminal: "
            + why + ". Set mfa_code_supplier to dialog, process or file, or give the code in AWS_MFA_CODE.");
    }
}
