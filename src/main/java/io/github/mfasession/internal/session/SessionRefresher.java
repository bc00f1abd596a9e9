package io.github.mfasession.internal.session;

import io.github.mfasession.MfaCodeSupplier;
import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.settings.Settings;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The refresh policy, all of it: a session in memory is handed out until its renew time; then one thread
 * (per process, and per machine through the store's lock) looks in the shared store and, only if that has
 * nothing fresh either, asks for a code and calls STS. Every other caller waits for that one result.
 *
 * <pre>
 * resolve() → memory → (locks) store → settings → base credentials → code → STS → store → memory
 * </pre>
 */
public final class SessionRefresher implements SdkAutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SessionRefresher.class);
    /** One lock per session key in this process: providers built separately (one per JDBC connection) still prompt once. */
    private static final Map<SessionKey, ReentrantLock> PROCESS_LOCKS = new ConcurrentHashMap<>();

    private final Supplier<Settings> settingsResolver;
    private final Function<Settings, MfaCodeSupplier> supplierChoice;
    private final Function<Settings, SessionStore> storeChoice;
    private final Clock clock;
    private final ReentrantLock renewing = new ReentrantLock();

    private volatile Session current;
    // Guarded by renewing: built once the settings have resolved, kept for later renewals.
    private Settings settings;
    private AwsCredentialsProvider baseCredentials;
    private StsSessionFetcher fetcher;
    private SessionStore store;

    public SessionRefresher(Supplier<Settings> settingsResolver, Function<Settings, MfaCodeSupplier> supplierChoice,
                            Function<Settings, SessionStore> storeChoice, Clock clock) {
        this.settingsResolver = settingsResolver;
        this.supplierChoice = supplierChoice;
        this.storeChoice = storeChoice;
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
            prepare();
            SessionKey key = new SessionKey(settings.profileName(), longTermKeys().accessKeyId(), settings.mfaSerial());
            ReentrantLock processLock = PROCESS_LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
            lock(processLock);
            try {
                session = store.locked(key, () -> storedOrNew(key));
            } finally {
                processLock.unlock();
            }
            current = session;
            return session.credentials();
        } finally {
            renewing.unlock();
        }
    }

    private Session storedOrNew(SessionKey key) {
        Optional<Session> stored = store.load(key).filter(s -> s.isFreshAt(clock.millis()));
        if (stored.isPresent()) {
            log.debug("Reusing the stored MFA session for profile {} until {}", key.profile(), stored.get().renewAt());
            return stored.get();
        }
        AwsSessionCredentials credentials = fetcher.fetch(supplierChoice.apply(settings));
        Session session = new Session(credentials, StsSessionFetcher.renewAt(credentials.expirationTime().orElseThrow(),
                                                                              settings.refreshBefore(), clock.instant()));
        log.info("New MFA session for profile {} (device {}), valid until {}", key.profile(), key.mfaSerial(), session.expiration());
        store.save(key, session);
        return session;
    }

    /** Resolves settings on first use, and again after a failure, so a fixed config file is picked up by the next call. */
    private void prepare() {
        if (settings != null) {
            return;
        }
        Settings resolved = settingsResolver.get();
        baseCredentials = ProfileCredentialsProvider.builder()
                                                    .profileFile(resolved.profileFile())
                                                    .profileName(resolved.profileName())
                                                    .build();
        fetcher = new StsSessionFetcher(resolved, baseCredentials, clock);
        store = storeChoice.apply(resolved);
        settings = resolved;
    }

    /** The IAM user's long-term keys: GetSessionToken refuses anything else, so a session is refused here, before any prompt. */
    private AwsCredentials longTermKeys() {
        AwsCredentials base;
        try {
            base = baseCredentials.resolveCredentials();
        } catch (RuntimeException e) {
            throw MfaSessionException.create(
                "Profile '" + settings.profileName() + "' has no usable access keys: " + e.getMessage()
                + " Add aws_access_key_id and aws_secret_access_key for the IAM user to the profile.", e);
        }
        if (base instanceof AwsSessionCredentials) {
            throw MfaSessionException.create(
                "Profile '" + settings.profileName() + "' gives temporary session credentials, but GetSessionToken needs the IAM user's"
                + " long-term access keys. Remove aws_session_token from the profile, or name the profile that holds the user's keys.");
        }
        return base;
    }

    private void lock(ReentrantLock lock) {
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MfaSessionException.create("Interrupted while waiting for the MFA session"
                                             + (settings == null ? "" : " of profile '" + settings.profileName() + "'") + ".", e);
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
            if (fetcher != null) {
                fetcher.close();
            }
            if (baseCredentials instanceof SdkAutoCloseable) {
                ((SdkAutoCloseable) baseCredentials).close();
            }
        } finally {
            renewing.unlock();
        }
    }
}
