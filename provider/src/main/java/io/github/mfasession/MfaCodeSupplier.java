package io.github.mfasession;

import io.github.mfasession.internal.code.CodeSuppliers;
import java.util.List;

/**
 * A way of getting a 6-digit MFA code: the terminal, a dialog, the desktop's own dialog program, an environment
 * variable, a file, an external command, or anything a third-party jar adds (a YubiKey, a password manager).
 *
 * <p>Suppliers are found with {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/io.github.mfasession.MfaCodeSupplier} and users choose it by {@link #name()}
 * with {@code mfa_code_supplier}. An implementation needs a public no-argument constructor and must be
 * safe to call from any thread; the provider never asks two suppliers at once for one session.
 *
 * <p>A supplier never logs, prints or keeps the code it returns.
 */
public interface MfaCodeSupplier {

    /** The name users choose this supplier by, for example {@code console} or {@code ykman}. */
    String name();

    /**
     * Whether a person types the code. After STS rejects a code, an interactive supplier is asked
     * again (up to {@link MfaCodeRequest#maxAttempts()} times) with the reason in
     * {@link MfaCodeRequest#lastFailure()}; a non-interactive one ends the attempt with an error at once,
     * since asking it again would most likely return the same rejected code. Default {@code false}.
     */
    default boolean isInteractive() {
        return false;
    }

    /**
     * Returns one MFA code for the device in the request. May block (a person typing, a command running)
     * but must end in bounded time and give up promptly when the calling thread is interrupted.
     *
     * @return the code as the device shows it; the provider refuses anything but 6 digits before STS is called
     * @throws MfaSessionException when no code can be had, saying why and what the user can do
     */
    String code(MfaCodeRequest request);

    /**
     * The built-in suppliers that can give a code in this process now, by name, in the order the automatic choice
     * tries them; the first is the one used when {@code mfa_code_supplier} is not set, and the list is empty when none
     * applies (the provider then fails with one message listing every way to give a code). The order, from the
     * project's SPEC:
     * <ol>
     * <li>{@code env} when {@code AWS_MFA_CODE} is set;</li>
     * <li>{@code process} when a command is set ({@code AWS_MFA_PROCESS}, {@code aws.mfaProcess});</li>
     * <li>{@code file} when a code file is set ({@code AWS_MFA_CODE_FILE}, {@code aws.mfaCodeFile});</li>
     * <li>{@code console} when this process has a terminal;</li>
     * <li>{@code desktop} and {@code dialog} when there is a desktop: {@code desktop} (zenity or kdialog, osascript,
     * Windows PowerShell, in a child process) needs its program and, on Linux, {@code DISPLAY} or {@code WAYLAND_DISPLAY};
     * {@code dialog} (Swing) needs a JVM that is not headless. {@code desktop} comes first where Swing is unsafe or
     * unavailable: a headless JVM, the command line, and on macOS any JVM where AWT does not already run on the main
     * thread (SWT hosts such as Eclipse and DBeaver own that thread, and a Swing dialog there can hang).</li>
     * </ol>
     * Settings are read from system properties and environment variables only: a profile's {@code mfa_process} or
     * {@code mfa_code_file} is not seen here. Never prompts and never blocks; plugins are not listed, as the
     * automatic choice never picks one.
     */
    static List<String> applicableHere() {
        return CodeSuppliers.applicableHere();
    }
}
