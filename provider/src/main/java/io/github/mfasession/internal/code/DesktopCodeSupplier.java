package io.github.mfasession.internal.code;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaCodeSupplier;
import io.github.mfasession.MfaSessionException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code desktop}: asks with the desktop's own dialog program in a child process (zenity or kdialog, osascript, Windows
 * PowerShell), so the host's GUI toolkit is never touched: for SWT hosts on macOS, headless JVMs on a desktop, and the
 * command line, where starting AWT costs more than the dialog. The typed code is hidden, and the program is stopped with
 * everything it started when the time is up (5 minutes, {@code mfa_desktop_timeout_seconds}).
 */
public final class DesktopCodeSupplier implements MfaCodeSupplier, AutoChoosable {

    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    /** Entries that are not a code, one after another, before the supplier stops asking: a person makes one or two. */
    static final int MAX_MALFORMED_ENTRIES = 5;
    static final String TITLE = "AWS MFA code";
    private static final Pattern SIX_DIGITS = Pattern.compile("\\d{6}");
    /**
     * Variables a dialog program has no use for and that may hold a secret: AWS's own ({@code AWS_SECRET_ACCESS_KEY},
     * {@code AWS_SESSION_TOKEN}, {@code AWS_MFA_CODE}, ...) and any other named like a secret.
     */
    private static final Pattern SECRET_NAME =
        Pattern.compile("(?i)AWS_.*|.*(SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|PRIVATE).*|(.*_)?(API_?)?KEY(_.*)?");
    /** The desktop's focus hand-over on Wayland: not a secret, and without it the dialog may open behind other windows. */
    private static final String ACTIVATION_TOKEN = "XDG_ACTIVATION_TOKEN";
    private static final Logger log = LoggerFactory.getLogger(DesktopCodeSupplier.class);

    private final Desktop.Os os;
    private final Map<String, String> environment;

    public DesktopCodeSupplier() {
        this(Desktop.Os.current(), System.getenv());
    }

    /** For tests: another system's rules, or another environment (the display, PATH, the desktop's name). */
    DesktopCodeSupplier(Desktop.Os os, Map<String, String> environment) {
        this.os = os;
        this.environment = environment;
    }

    @Override
    public String name() {
        return "desktop";
    }

    @Override
    public boolean isInteractive() {
        return true;
    }

    @Override
    public boolean appliesTo(Function<String, Optional<String>> settings) {
        return Desktop.program(os, environment).isPresent();
    }

    @Override
    public String code(MfaCodeRequest request) {
        DesktopProgram program = Desktop.program(os, environment).orElseThrow(() -> MfaSessionException.create(
            "Cannot ask for the MFA code of device " + request.mfaSerial() + " (profile '" + request.profile() + "') with the desktop's"
            + " dialog: " + Desktop.whyNone(os, environment) + ". Set mfa_code_supplier to console, dialog, process or file, or give"
            + " the code in AWS_MFA_CODE."));
        Duration timeout = Timeouts.seconds(request, "mfa_desktop_timeout_seconds", DEFAULT_TIMEOUT);
        long deadline = System.nanoTime() + timeout.toNanos();
        MfaCodeRequest asking = request;
        for (int entry = 1; ; entry++) {
            String typed = ask(program, asking, deadline, timeout).replaceAll("\\s", "");
            if (SIX_DIGITS.matcher(typed).matches()) {
                return typed;
            }
            if (entry >= MAX_MALFORMED_ENTRIES) {
                throw MfaSessionException.create(
                    "The " + program.name() + " dialog for profile '" + request.profile() + "' gave " + entry + " entries in a row that"
                    + " were not a 6-digit code. Enter the 6 digits device " + request.mfaSerial() + " shows.");
            }
            // Not sent to STS, so not an attempt: the same attempt is asked again, saying why.
            asking = withFailure(request, Prompts.NOT_SIX_DIGITS);
        }
    }

    /** Shows the dialog once; returns what was typed, or throws when the person cancelled, the time ran out or the program failed. */
    private String ask(DesktopProgram program, MfaCodeRequest request, long deadline, Duration timeout) {
        String title = TITLE + (request.attempt() > 1 ? " (attempt " + request.attempt() + " of " + request.maxAttempts() + ")" : "");
        String text = Prompts.lastFailure(request).map(failure -> failure + "\n").orElse("") + Prompts.question(request).strip();
        String what = "MFA code dialog (" + program.name() + ") for profile '" + request.profile() + "'";
        ProcessBuilder builder = new ProcessBuilder(program.command(title, text));
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().keySet().removeIf(name -> SECRET_NAME.matcher(name).matches() && !name.equals(ACTIVATION_TOKEN));
        builder.environment().putAll(program.environment(title, text));
        log.debug("Asking for the MFA code of device {} (profile {}) with {}", request.mfaSerial(), request.profile(), program.name());
        ChildProcess dialog = ChildProcess.start(builder, what);
        try {
            if (!dialog.waitFor(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                throw MfaSessionException.create(
                    "No MFA code was entered within " + timeout.getSeconds() + " seconds for device " + request.mfaSerial() + " (profile '"
                    + request.profile() + "'); the " + program.name() + " dialog was closed. Try again, or allow longer with"
                    + " mfa_desktop_timeout_seconds.");
            }
            if (program.cancelled(dialog.exitValue(), dialog.errorOutput())) {
                throw Prompts.cancelled(request);
            }
            if (dialog.exitValue() != 0) {
                throw dialog.failure("The " + what + " failed with exit status " + dialog.exitValue() + ". If it cannot show a dialog"
                                     + " here, set mfa_code_supplier to console, dialog, process or file.");
            }
            return dialog.stdout();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MfaSessionException.create("Interrupted while waiting for the " + what + "; the dialog was closed.", e);
        }
    }

    private static MfaCodeRequest withFailure(MfaCodeRequest request, String failure) {
        return MfaCodeRequest.builder()
                             .profile(request.profile())
                             .mfaSerial(request.mfaSerial())
                             .attempt(request.attempt())
                             .maxAttempts(request.maxAttempts())
                             .lastFailure(failure)
                             .settings(request::setting)
                             .build();
    }
}
