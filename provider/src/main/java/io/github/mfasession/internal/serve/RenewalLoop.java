package io.github.mfasession.internal.serve;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps one profile's session fresh ahead of its clients: asks the provider every few seconds, so the provider's own
 * refresh policy (renew in the advisory window before expiry, with the profile's code supplier) runs here, in the
 * background, and never in a client's request. After a failure it waits longer each time before trying again, so a
 * cancelled prompt is not followed by a storm of them.
 *
 * <p>The provider judges freshness; this loop only decides how often to ask. Asking a provider whose session is
 * fresh costs a volatile read.
 */
final class RenewalLoop implements Runnable {

    /** How often the provider is asked while all is well: a renewal starts at most this long after its window opens. */
    static final Duration CHECK_EVERY = Duration.ofSeconds(10);
    /** The wait after a first failure, doubled after each further one up to {@link #LONGEST_WAIT}. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration LONGEST_WAIT = Duration.ofMinutes(5);

    private final ServedProfile profile;
    private final Duration checkEvery;
    private final Duration firstRetry;
    private final Consumer<String> log;
    private final CountDownLatch stopped = new CountDownLatch(1);

    RenewalLoop(ServedProfile profile, Duration checkEvery, Duration firstRetry, Consumer<String> log) {
        this.profile = profile;
        this.checkEvery = checkEvery;
        this.firstRetry = firstRetry;
        this.log = log;
    }

    @Override
    public void run() {
        int failures = 0;
        do {
            Duration wait;
            if (attempt()) {
                failures = 0;
                wait = checkEvery;
            } else {
                wait = retryAfter(++failures);
                log.accept(failureMessage(wait));
            }
            if (waitOrStop(wait)) {
                return;
            }
        } while (true);
    }

    /** One attempt; says so when it brought a new session. */
    boolean attempt() {
        Optional<String> before = profile.accessKeyId();
        if (profile.refresh().isPresent()) {
            return false;
        }
        if (!profile.accessKeyId().equals(before)) {
            log.accept("Profile '" + profile.name() + "': " + (before.isEmpty() ? "serving a session" : "renewed; serving the new session")
                       + ", valid until " + profile.expiration().map(Instant::toString).orElse("?") + ".");
        }
        return true;
    }

    private String failureMessage(Duration wait) {
        String serving = profile.expiration()
                                .map(end -> "Still serving the current session, which ends at " + end + ".")
                                .orElse("Clients are told there is no session.");
        return "Profile '" + profile.name() + "': could not get a session: " + profile.problem().orElse("") + " " + serving
               + " Next attempt in " + wait.getSeconds() + " s.";
    }

    private Duration retryAfter(int failures) {
        Duration wait = firstRetry;
        for (int i = 1; i < failures && wait.compareTo(LONGEST_WAIT) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
    }

    /** Waits, or returns true at once when the loop was stopped. */
    private boolean waitOrStop(Duration wait) {
        try {
            return stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    void stop() {
        stopped.countDown();
    }
}
