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
 * under {@code credential_process}); never writes to stdout. Typed digits show as {@code *}. An entry that is
 * not 6 digits (an empty line, a digit too few) is asked for again at once and never reaches STS, so it does not
 * count as one of the attempts the provider allows.
 */
public final class ConsoleCodeSupplier implements MfaCodeSupplier, AutoChoosable {

    /** A person who walked away gets a clear error instead of a process that waits forever. */
    static final Duration WAIT = Duration.ofMinutes(5);
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    private static final int MAX_TYPED = 32;
    /** Entries that are not a code before giving up, so a stuck key cannot keep the prompt going for ever. */
    static final int MAX_ENTRIES = 5;

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
        Optional<String> failure = Prompts.lastFailure(request);
        if (WINDOWS) {
            return fromWindowsConsole(request, failure);
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
            failure.ifPresent(line -> tty.print(line + "\r\n"));
            long deadline = System.nanoTime() + WAIT.toNanos();
            for (int entry = 1; ; entry++) {
                tty.print(Prompts.question(request));
                String typed = readDigits(tty, request, deadline);
                if (isCode(typed)) {
                    return typed;
                }
                if (entry == MAX_ENTRIES) {
                    throw noCodeTyped(request);
                }
                tty.print(Prompts.NOT_SIX_DIGITS + "\r\n");
            }
        } finally {
            tty.close();
        }
    }

    /** Only a whole code goes to STS: an empty line or a slip of the finger is asked again and costs no attempt. */
    private static boolean isCode(String typed) {
        return typed.length() == 6 && typed.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static MfaSessionException noCodeTyped(MfaCodeRequest request) {
        return MfaSessionException.create("No 6-digit MFA code was typed in " + MAX_ENTRIES + " tries for device " + request.mfaSerial()
                                          + " (profile '" + request.profile() + "'). Type the 6 digits the device shows, then Enter.");
    }

    /**
     * Digits until Enter, shown as {@code *}; Backspace deletes one, Ctrl-U all, Ctrl-D cancels. Ctrl-C still interrupts
     * the program as usual (the terminal sends the signal; JLine's shutdown hook puts the settings back).
     */
    private static String readDigits(ControllingTerminal tty, MfaCodeRequest request, long deadline) {
        StringBuilder typed = new StringBuilder();
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
    private static String fromWindowsConsole(MfaCodeRequest request, Optional<String> failure) {
        Console console = System.console();
        if (console == null) {
            throw noTerminal(request, "this process has no console");
        }
        failure.ifPresent(line -> console.printf("%s%n", line));
        for (int entry = 1; ; entry++) {
            char[] typed = console.readPassword("%s", Prompts.question(request));
            if (typed == null) {
                throw MfaSessionException.create("MFA code entry was cancelled at the console for profile '" + request.profile() + "'.");
            }
            String code = new String(typed).trim();
            Arrays.fill(typed, ' ');
            if (isCode(code)) {
                return code;
            }
            if (entry == MAX_ENTRIES) {
                throw noCodeTyped(request);
            }
            console.printf("%s%n", Prompts.NOT_SIX_DIGITS);
        }
    }

    private static MfaSessionException noTerminal(MfaCodeRequest request, String why) {
        return MfaSessionException.create(
            "Cannot ask for the MFA code of device " + request.mfaSerial() + " (profile '" + request.profile() + "') at a terminal: "
            + why + ". Set mfa_code_supplier to desktop (the desktop's own dialog program), dialog, process or file, or give the code in"
            + " AWS_MFA_CODE.");
    }
}
