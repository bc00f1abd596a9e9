package io.github.mfasession.internal.sts;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The codes this process has sent to STS, per device, for as long as STS could still accept them. AWS
 * accepts a code once; sending it again can only fail, so it is never resent.
 * Kept in memory only, like the session itself; a code is worthless once used.
 */
final class UsedCodes {

    /** A code is valid for its 30-second step and one step either side; keep it well past that. */
    private static final Duration REMEMBER = Duration.ofMinutes(5);
    private static final UsedCodes PROCESS = new UsedCodes();

    /** In the order the codes were sent, so forgetting old ones looks only at the oldest. Guarded by {@code this}. */
    private final Map<String, Long> sentAt = new LinkedHashMap<>();

    static UsedCodes process() {
        return PROCESS;
    }

    /**
     * Takes the code for one request to STS: {@code false} when it was sent already (by any provider of this
     * process) within the time STS could still accept it. Checked and marked at once, so two providers
     * sharing a device never both send one code. Marked before the call: a request that reached STS may
     * have used the code even if no answer came back.
     */
    synchronized boolean claim(String mfaSerial, String code, Clock clock) {
        long now = clock.millis();
        for (Iterator<Long> oldest = sentAt.values().iterator(); oldest.hasNext() && now - oldest.next() >= REMEMBER.toMillis(); ) {
            oldest.remove();
        }
        String entry = entry(mfaSerial, code);
        Long at = sentAt.get(entry);
        if (at != null && now - at < REMEMBER.toMillis()) {
            return false;
        }
        sentAt.remove(entry);
        sentAt.put(entry, now);
        return true;
    }

    /** For a request that provably never left this machine: the code is still unused. */
    synchronized void forget(String mfaSerial, String code) {
        sentAt.remove(entry(mfaSerial, code));
    }

    private static String entry(String mfaSerial, String code) {
        return mfaSerial + '\n' + code;
    }
}
