package io.github.mfasession.internal.session;

import io.github.mfasession.MfaSessionException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The refresh policy, all of it: a session in memory is handed out until its renew time; then one thread
 * (per process, and per machine through the store's lock) looks in the shared store and, only if that has
 * nothing fresh either, gets a new session from STS. Every other caller waits for that one result.
 *
 * <pre>
 * resolve() → memory → (locks) store → settings → base credentials → code → STS → store → memory
 * </pre>
 *
 * <p>What is renewed is the {@link SessionSource}'s business: an MFA session (GetSessionToken with a code),
 * or a role session (AssumeRole with the session of another refresher). A role profile is this policy
 * applied once per link: the role's refresher asks its source's refresher for the MFA session, which comes
 * from memory or the store while it is fresh, so renewing role credentials asks for no code.
 */
public final class SessionRefresher implements SdkAutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SessionRefresher.class);
    /** One lock per session key in this process: providers built separately (one per JDBC connection) still prompt once. */
    private static final Map<SessionKey, ReentrantLock> PROCESS_LOCKS = new ConcurrentHashMap<>();

    private final Supplier<SessionSource> sources;
    private final Clock clock;
    private final ReentrantLock renewing = new ReentrantLock();

    private volatile Session current;
    // Guarded by renewing: made once the settings have resolved, kept for later renewals.
    private SessionSource source;

    /**
     * @param sources makes the source on first use, resolving and checking the settings; called again after it
     *                fails, so a fixed config file is picked up by the next call
     */
    public SessionRefresher(Supplier<SessionSource> sources, Clock clock) {
        this.sources = sources;
        this.clock = clock;
    }

    /** The hot path: a volatile read and a clock read, no lock, no allocation. */
    public AwsSessionCredentials resolve() {
        Session session = current;
        if (session != null && session.isFreshAt(clock.millis())) {
            return session.credentials();
        }
        return renew();
    }

    private AwsSessionCredentials renew() {
        lock(renewing);
        try {
            Session session = current;
            if (session != null && session.isFreshAt(clock.millis())) {
                return session.credentials();
            }
            SessionRequest request = source().request();
            ReentrantLock processLock = PROCESS_LOCKS.computeIfAbsent(request.key(), k -> new ReentrantLock());
            lock(processLock);
            try {
                session = source.store().locked(request.key(), () -> storedOrNew(request));
            } finally {
                processLock.unlock();
            }
            current = session;
            return session.credentials();
        } finally {
            renewing.unlock();
        }
    }

    private Session storedOrNew(SessionRequest request) {
        Optional<Session> stored = source.store().load(request.key()).filter(s -> s.isFreshAt(clock.millis()));
        if (stored.isPresent()) {
            log.debug("Reusing the stored {} until {}", request.description(), stored.get().renewAt());
            return stored.get();
        }
        AwsSessionCredentials credentials = request.fetch();
        Session session = new Session(credentials, StsSessionFetcher.renewAt(credentials.expirationTime().orElseThrow(),
                                                                              source.refreshBefore(), clock.instant()));
        log.info("New {}, valid until {}", request.description(), session.expiration());
        source.store().save(request.key(), session);
        return session;
    }

    private SessionSource source() {
        if (source == null) {
            source = sources.get();
        }
        return source;
    }

    private void lock(ReentrantLock lock) {
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MfaSessionException.create("Interrupted while waiting for the MFA session"
                                             + (source == null ? "" : " of profile '" + source.profileName() + "'") + ".", e);
        }
    }

    /** The session currently held in memory, if any; for status and tests. */
    public Optional<Session> current() {
        return Optional.ofNullable(current);
    }

    @Override
    public void close() {
        renewing.lock();
        try {
            if (source != null) {
                source.close();
            }
        } finally {
            renewing.unlock();
        }
    }
}
