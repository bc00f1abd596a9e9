package io.github.mfasession;

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
}
