package io.github.mfasession.internal.code;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaSessionException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** The words the interactive suppliers use, so the terminal and the dialogs ask the same question. */
final class Prompts {

    /**
     * What every interactive supplier says when an entry is not 6 digits (nothing, a digit too few, a letter): it is
     * asked again at once, and since it never reaches STS it does not count as an attempt. A whole sentence, shown as it
     * is by the terminal and as the reason for asking again by the dialogs.
     */
    static final String NOT_SIX_DIGITS = "The last entry was not a 6-digit code; enter the 6 digits the device shows.";
    /** Virtual MFA devices show a new code at every multiple of 30 seconds since the Unix epoch (RFC 6238 TOTP). */
    private static final long CODE_STEP_SECONDS = 30;

    private Prompts() {
    }

    /** For example {@code MFA code for arn:aws:iam::123456789012:mfa/alice (profile dev): }. */
    static String question(MfaCodeRequest request) {
        return "MFA code for " + request.mfaSerial() + " (profile " + request.profile() + "): ";
    }

    /**
     * Why the person is asked again, as one line: what happened, what usually causes it, and when the device
     * shows its next code. Empty on the first attempt.
     */
    static Optional<String> lastFailure(MfaCodeRequest request) {
        return lastFailure(request, Instant.now());
    }

    static Optional<String> lastFailure(MfaCodeRequest request, Instant now) {
        return request.lastFailure().filter(reason -> !reason.isEmpty()).map(reason -> {
            String nextCode = " The next code appears in " + secondsToNextCode(now) + " s.";
            if (reason.contains("rejected")) {
                // STS says only "MultiFactorAuthentication failed"; these are the causes it covers.
                return "STS rejected the last code. Usually it was already used in this 30-second window, it expired while"
                       + " being typed, or mfa_serial names another device." + nextCode;
            }
            String sentence = reason.substring(0, 1).toUpperCase(Locale.ROOT) + reason.substring(1) + (reason.endsWith(".") ? "" : ".");
            return reason.contains("already used") ? sentence + nextCode : sentence;
        });
    }

    /** Seconds until the device's code changes: 1 to 30. */
    static long secondsToNextCode(Instant now) {
        return CODE_STEP_SECONDS - Math.floorMod(now.getEpochSecond(), CODE_STEP_SECONDS);
    }

    /** The person cancelled the prompt (a Cancel button, Escape, the window closed). */
    static MfaSessionException cancelled(MfaCodeRequest request) {
        return MfaSessionException.create("MFA code entry was cancelled for profile '" + request.profile() + "' (device "
                                          + request.mfaSerial() + ").");
    }
}
