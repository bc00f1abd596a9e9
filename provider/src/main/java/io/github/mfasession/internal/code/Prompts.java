package io.github.mfasession.internal.code;

import io.github.mfasession.MfaCodeRequest;
import java.util.Locale;
import java.util.Optional;

/** The words the interactive suppliers use, so the terminal and the dialog ask the same question. */
final class Prompts {

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
}
