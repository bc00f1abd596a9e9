package io.github.mfasession.internal.refresh;

import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.cache.SessionCache;
import io.github.mfasession.internal.refresh.RefreshPolicy.Decision;
import io.github.mfasession.internal.session.Session;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Keeps one session fresh by the {@link RefreshPolicy}: its data flows one way,
 *
 * <pre>
 * resolve() → memory → (lock) disk → (lock file) disk → settings, base credentials, code → STS → disk → memory
 * </pre>
 *
 * <p>The first call resolves the settings into a {@link Link} (the session's key, cache, policy and STS call);
 * a failure there is thrown and tried again by the next call. A session in memory that the policy says to use
 * is handed out with one volatile read and one clock read, no lock, no allocation. Otherwise one thread per
 * process (the cache's lock), and one process per machine (the cache folder's lock file), looks again and, only
 * if there is still nothing to use, calls STS. In the advisory window nobody waits for that: while another
 * thread or process renews, the current session is handed out.
 *
 * <p>A role profile is this applied once per link of its chain: a role's STS call asks the refresher of the
 * session it is assumed with, so a code is asked for only when the MFA session itself must be renewed.
 */
public final class Refresher implements SdkAutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Refresher.class);

    private final Supplier<Link> links;
    private final Clock clock;
    private final Object linking = new Object();
    /**
     * Made once from the settings. Immutable (final fields only), so the hot path may read it without a lock or a
     * volatile: a thread that does not see it yet takes the slow path, which does.
     */
    private Link link;

    /** @param links makes the link on first use; called again after it fails, so a fixed config file is picked up by the next call */
    public Refresher(Supplier<Link> links, Clock clock) {
        this.links = links;
        this.clock = clock;
    }

    /** The session's credentials, as the policy allows. */
    public AwsSessionCredentials resolve() {
        Link made = link;
        if (made != null) {
            Session session = made.cache.inMemory();
            if (session != null && made.policy.judge(session, clock.millis()) == Decision.USE) {
                return session.credentials();
            }
        }
        return renew(link());
    }

    private Link link() {
        synchronized (linking) {
            if (link == null) {
                link = links.get();
            }
            return link;
        }
    }

    /**
     * Renewal if the policy asks for it; in the advisory window, not waiting for another thread already at it. A
     * thread that waited while another one's renewal failed gets that failure: one prompt, not one per waiting thread.
     */
    private AwsSessionCredentials renew(Link link) {
        Session inMemory = link.cache.inMemory();
        boolean wait = judge(link, inMemory) == Decision.RENEW_OR_FAIL;
        long attemptsBefore = link.cache.renewalsEnded();
        return link.cache.lockedInProcess(wait, () -> renewInProcess(link, attemptsBefore)).orElseGet(() -> inMemory.credentials());
    }

    /** This thread's turn in the process: the disk may hold a session another process got; if not, the machine's turn. */
    private AwsSessionCredentials renewInProcess(Link link, long attemptsBefore) {
        Session known = link.cache.inMemory();
        if (judge(link, known) != Decision.USE) {
            known = link.cache.read();
        }
        Decision decision = judge(link, known);
        Optional<RuntimeException> failedMeanwhile = link.cache.failedRenewalSince(attemptsBefore);
        if (decision == Decision.RENEW_OR_FAIL && failedMeanwhile.isPresent()) {
            RuntimeException failure = failedMeanwhile.get();
            throw failure instanceof MfaSessionException ? MfaSessionException.create(failure.getMessage(), failure) : failure;
        }
        if (decision == Decision.USE) {
            log.debug("Reusing the stored {} until {}", link.description, known.expiration());
            return known.credentials();
        }
        Session current = known;
        return link.cache.lockedAcrossProcesses(decision == Decision.RENEW_OR_FAIL, () -> renewAlone(link)).orElseGet(() -> current.credentials());
    }

    /** This process's turn on the machine: look once more, then get a new session; if that fails in the advisory window, back off. */
    private AwsSessionCredentials renewAlone(Link link) {
        Session known = link.cache.read();
        if (judge(link, known) == Decision.USE) {
            log.debug("Reusing the stored {} until {}", link.description, known.expiration());
            return known.credentials();
        }
        Session fresh;
        try {
            fresh = link.fetch.get();
        } catch (RuntimeException e) {
            if (judge(link, known) != Decision.RENEW_OR_USE) {
                link.cache.renewalEnded(e);
                throw e;
            }
            link.cache.renewalEnded(null);
            return backOff(link, known, e);
        }
        link.cache.renewalEnded(null);
        link.cache.save(fresh);
        log.info("New {}, valid until {}", link.description, fresh.expiration());
        return fresh.credentials();
    }

    private AwsSessionCredentials backOff(Link link, Session current, RuntimeException failure) {
        Instant now = clock.instant();
        Instant retryAfter = now.plus(RefreshPolicy.BACK_OFF);
        link.cache.save(current.retryAfter(retryAfter));
        Duration left = Duration.between(now, current.expiration());
        log.warn("Could not renew the {} ahead of its end ({}); using the current one, which ends at {} ({} left), and trying again"
                 + " after {}.", link.description, reason(failure), current.expiration(), describe(left), retryAfter);
        return current.credentials();
    }

    private static String reason(RuntimeException failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage().trim();
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }

    private static String describe(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        return seconds >= 60 ? seconds / 60 + " min " + seconds % 60 + " s" : seconds + " s";
    }

    private Decision judge(Link link, Session session) {
        return link.policy.judge(session, clock.millis());
    }

    /** The session currently held in memory, if the settings have been resolved and there is one; for {@code serve} and tests. */
    public Optional<Session> current() {
        Link made = link;
        return made == null ? Optional.empty() : Optional.ofNullable(made.cache.inMemory());
    }

    @Override
    public void close() {
        synchronized (linking) {
            if (link != null) {
                link.closer.close();
            }
        }
    }

    /**
     * One session to keep fresh, as the settings describe it: where it is cached (its key is the cache's), the
     * policy that judges it, how a new one is got, and what to close.
     */
    public static final class Link {
        final SessionCache cache;
        final RefreshPolicy policy;
        final Supplier<Session> fetch;
        final String description;
        final SdkAutoCloseable closer;

        /**
         * @param fetch       a new session from STS (asking for a code, or for the session a role is assumed with)
         * @param description what the session is, for log lines, for example {@code MFA session for profile dev (device arn:...)}
         */
        public Link(SessionCache cache, RefreshPolicy policy, Supplier<Session> fetch, String description, SdkAutoCloseable closer) {
            this.cache = cache;
            this.policy = policy;
            this.fetch = fetch;
            this.description = description;
            this.closer = closer;
        }

        @Override
        public String toString() {
            return "Link(" + description + ")";
        }
    }

    @Override
    public String toString() {
        Link made = link;
        return "Refresher(" + (made == null ? "not resolved yet" : made.description) + ")";
    }
}
