package io.github.mfasession.internal.code;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaSessionException;
import java.time.Duration;
import java.util.Optional;

/** How long a supplier waits, from a {@code *_timeout_seconds} setting of its own. */
final class Timeouts {

    private Timeouts() {
    }

    /**
     * The setting as a whole number of seconds above zero, or the default when it is not set.
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
            if (seconds > 0) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // Reported below, with the rule.
        }
        throw MfaSessionException.create(
            key + " '" + text.get() + "' for profile '" + request.profile() + "' is not a number of seconds;"
            + " use a whole number above 0 (the default is " + defaultValue.getSeconds() + ").");
    }
}
