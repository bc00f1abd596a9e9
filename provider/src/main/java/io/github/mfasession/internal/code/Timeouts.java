package io.github.mfasession.internal.code;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaSessionException;
import java.time.Duration;
import java.util.Optional;

/** How long a supplier waits, from a {@code *_timeout_seconds} setting of its own. */
final class Timeouts {

    /**
     * The longest wait a setting may ask for: a code is current for 30 seconds, so a longer wait only delays the
     * error. A bound also keeps the wait countable in nanoseconds, where a huge value would overflow.
     */
    static final long MAX_SECONDS = 3_600;

    private Timeouts() {
    }

    /**
     * The setting as a whole number of seconds from 1 to {@value #MAX_SECONDS}, or the default when it is not set.
     *
     * @throws MfaSessionException naming the setting when its value is not such a number
     */
    static Duration seconds(MfaCodeRequest request, String key, Duration defaultValue) {
        Optional<String> text = request.setting(key).map(String::trim);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            long seconds = Long.parseLong(text.get());
            if (seconds > 0 && seconds <= MAX_SECONDS) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // Reported below, with the rule.
        }
        throw MfaSessionException.create(
            key + " '" + text.get() + "' for profile '" + request.profile() + "' is not a number of seconds from 1 to " + MAX_SECONDS
            + "; use a whole number in that range (the default is " + defaultValue.getSeconds() + ").");
    }
}
