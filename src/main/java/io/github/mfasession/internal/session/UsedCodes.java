package io.github.mfasession.internal.session;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The codes this process has sent to STS, per device, for as long as STS could still accept them. AWS
 * accepts a code once; sending it again can only fail, so it is never resent.
 * Kept in memory only, like the session itself; a code is worthless once used.
 */
final class UsedCodes {

    /** A code is valid for its 30-second step and one step either side; keep it well past that. */
    private static final Duration REMEMBER = Duration.ofMinutes(5);
    private static final UsedCodes PROCESS = new UsedCodes();

    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();

    static UsedCodes process() {
        return PROCESS;
    }

    boolean wasSent(String mfaSerial, String code, Clock clock) {
        Long at = sentAt.get(entry(mfaSerial, code));
        return at != null && clock.millis() - at < REMEMBER.toMillis();
    }

    void markSent(String mfaSerial, String code, Clock clock) {
        long now = clock.millis();
        for (Iterator<Long> it = sentAt.values().iterator(); it.hasNext(); ) {
            if (now - it.next() >= REMEMBER.toMillis()) {
                it.remove();
            }
        }
        sentAt.put(entry(mfaSerial, code), now);
    }

    /** For a request that provably never left this machine: the code is still unused. */
    void forget(String mfaSerial, String code) {
        sentAt.remove(entry(mfaSerial, code));
    }

    private static String entry(String mfaSerial, String code) {
        return mfaSerial + '\n' + code;
    }
}
