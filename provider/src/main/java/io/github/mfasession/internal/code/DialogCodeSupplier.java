package io.github.mfasession.internal.code;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaCodeSupplier;
import io.github.mfasession.MfaSessionException;
import java.awt.AWTError;
import java.awt.GraphicsEnvironment;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.swing.SwingUtilities;

/**
 * {@code dialog}: a small Swing window for IDEs and other desktop hosts that have no terminal to prompt on.
 * The calling thread waits for it, at most 5 minutes, and gives up at once when interrupted.
 */
public final class DialogCodeSupplier implements MfaCodeSupplier, AutoChoosable {

    static final Duration WAIT = Duration.ofMinutes(5);

    @Override
    public String name() {
        return "dialog";
    }

    @Override
    public boolean isInteractive() {
        return true;
    }

    @Override
    public boolean appliesTo(Function<String, Optional<String>> settings) {
        return !GraphicsEnvironment.isHeadless();
    }

    @Override
    public String code(MfaCodeRequest request) {
        if (GraphicsEnvironment.isHeadless()) {
            throw noDesktop(request, "this Java runs headless (no display)", null);
        }
        CompletableFuture<Optional<String>> answer = new CompletableFuture<>();
        if (SwingUtilities.isEventDispatchThread()) {
            // A host asking from its event thread: the modal dialog runs the events until it closes.
            new CodeDialog(request, answer, WAIT).show();
            if (answer.isCancelled()) {
                throw timedOut(request);
            }
            return codeOrCancelled(request, answer.join());
        }
        AtomicReference<CodeDialog> shown = new AtomicReference<>();
        Optional<String> typed;
        boolean queued = false;
        try {
            SwingUtilities.invokeLater(() -> {
                try {
                    if (!answer.isDone()) {
                        shown.set(new CodeDialog(request, answer, WAIT));
                        shown.get().show();
                    }
                } catch (RuntimeException | Error e) {
                    // Reported by the waiting thread, which would otherwise wait out the full time.
                    answer.completeExceptionally(e);
                }
            });
            queued = true;
            typed = answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | CancellationException e) {
            throw timedOut(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MfaSessionException.create("Interrupted while waiting for the MFA code dialog of profile '" + request.profile() + "'.", e);
        } catch (ExecutionException e) {
            throw noDesktop(request, String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (RuntimeException | AWTError e) {
            throw noDesktop(request, String.valueOf(e.getMessage()), e);
        } finally {
            // Whatever ended the wait, no dialog stays open or opens later.
            answer.cancel(false);
            if (queued) {
                SwingUtilities.invokeLater(() -> {
                    if (shown.get() != null) {
                        shown.get().close();
                    }
                });
            }
        }
        return codeOrCancelled(request, typed);
    }

    private static String codeOrCancelled(MfaCodeRequest request, Optional<String> answer) {
        return answer.orElseThrow(() -> Prompts.cancelled(request));
    }

    private static MfaSessionException timedOut(MfaCodeRequest request) {
        return MfaSessionException.create("No MFA code was entered within " + WAIT.toMinutes() + " minutes for device " + request.mfaSerial()
                                          + " (profile '" + request.profile() + "'); the dialog was closed. Try again.");
    }

    private static MfaSessionException noDesktop(MfaCodeRequest request, String why, Throwable cause) {
        return MfaSessionException.create(
            "Cannot show the MFA code dialog for profile '" + request.profile() + "': " + why + ". Set mfa_code_supplier to desktop"
            + " (the desktop's own dialog program), console, process or file, or give the code in AWS_MFA_CODE.", cause);
    }
}
