package io.github.mfasession.internal.code;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaSessionException;
import java.util.Locale;
import java.util.Optional;

/** The words the interactive suppliers use, so the terminal and the dialog ask the same question. */
final class Prompts {

    /** Why the same attempt is asked again: what was entered is not a code, so it was not sent to STS and does not count. */
    static final String NOT_SIX_DIGITS = "the last entry was not a 6-digit code";

    private Prompts() {
    }

    /** For example {@code MFA code for arn:aws:iam::123456789012:mfa/alice (profile dev): }. */
    static String question(MfaCodeRequest request) {
        return "MFA code for " + request.mfaSerial() + " (profile " + request.profile() + "): ";
    }

    /** Why the person is asked again, as a sentence: {@code The last code was rejected.} */
    static Optional<String> lastFailure(MfaCodeRequest request) {
        return request.lastFailure()
                      .filter(reason -> !reason.isEmpty())
                      .map(reason -> reason.substring(0, 1).toUpperCase(Locale.ROOT) + reason.substring(1)
                                     + (reason.endsWith(".") ? "" : "."));
    }

    /** The person cancelled the prompt (a Cancel button, Escape, the window closed). */
    static MfaSessionException cancelled(MfaCodeRequest request) {
        return MfaSessionException.create("MFA code entry was cancelled for profile '" + request.profile() + "' (device "
                                          + request.mfaSerial() + ").");
    }
}
