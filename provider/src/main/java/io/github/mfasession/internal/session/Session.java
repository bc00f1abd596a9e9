package io.github.mfasession.internal.session;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * A session from STS, with the facts the refresh policy judges it by: when it ends, when it was obtained (so
 * its length is known), and the moment before which no renewal is tried after one failed. Immutable, so it can
 * be published through a volatile field; it never decides anything itself.
 */
public final class Session {

    /** The {@code providerName} of every credential this library hands out. */
    public static final String PROVIDER_NAME = "MfaSessionProvider";

    private static final long UNKNOWN = Long.MIN_VALUE;

    private final AwsSessionCredentials credentials;
    private final long expirationMillis;
    private final long obtainedMillis;
    private final long retryAfterMillis;

    /**
     * @param obtained when the request for the session was sent, by this computer's clock; null when not known
     *                 (a file written by an earlier version)
     */
    public Session(AwsSessionCredentials credentials, Instant obtained) {
        this(credentials, obtained == null ? UNKNOWN : obtained.toEpochMilli(), UNKNOWN);
    }

    private Session(AwsSessionCredentials credentials, long obtainedMillis, long retryAfterMillis) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.expirationMillis = credentials.expirationTime().orElseThrow(() -> new IllegalArgumentException("no expiration")).toEpochMilli();
        this.obtainedMillis = obtainedMillis < expirationMillis ? obtainedMillis : UNKNOWN;
        this.retryAfterMillis = retryAfterMillis;
    }

    /** The same session, with no renewal tried before {@code retryAfter}: a renewal just failed. */
    public Session retryAfter(Instant retryAfter) {
        return new Session(credentials, obtainedMillis, retryAfter.toEpochMilli());
    }

    public AwsSessionCredentials credentials() {
        return credentials;
    }

    public Instant expiration() {
        return Instant.ofEpochMilli(expirationMillis);
    }

    public Optional<Instant> obtained() {
        return obtainedMillis == UNKNOWN ? Optional.empty() : Optional.of(Instant.ofEpochMilli(obtainedMillis));
    }

    /** When a failed renewal may be tried again; empty when none failed. */
    public Optional<Instant> retryAfter() {
        return retryAfterMillis == UNKNOWN ? Optional.empty() : Optional.of(Instant.ofEpochMilli(retryAfterMillis));
    }

    public long expirationMillis() {
        return expirationMillis;
    }

    /** How long the session lasts from when it was obtained; {@link Long#MAX_VALUE} when that is not known. */
    public long lifetimeMillis() {
        return obtainedMillis == UNKNOWN ? Long.MAX_VALUE : expirationMillis - obtainedMillis;
    }

    /** No renewal is tried before this moment; {@link Long#MIN_VALUE} when none failed. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }

    /**
     * The one of two sessions (either may be null) to keep: the one that ends later; for one session known twice
     * (in memory and on disk), the copy that records the later failed renewal, so a back-off is never forgotten.
     */
    public static Session later(Session a, Session b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        if (a.expirationMillis != b.expirationMillis) {
            return a.expirationMillis > b.expirationMillis ? a : b;
        }
        return b.retryAfterMillis > a.retryAfterMillis ? b : a;
    }

    @Override
    public String toString() {
        return "Session(accessKeyId=" + credentials.accessKeyId() + ", expiration=" + expiration()
               + obtained().map(o -> ", obtained=" + o).orElse("") + retryAfter().map(r -> ", retryAfter=" + r).orElse("") + ")";
    }
}
