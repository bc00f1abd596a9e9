package io.github.mfasession.internal.session;

import java.time.Instant;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** An MFA session and the moment it should be renewed. Immutable, so it can be published through a volatile field. */
public final class Session {

    private final AwsSessionCredentials credentials;
    private final Instant expiration;
    private final long renewAtMillis;

    public Session(AwsSessionCredentials credentials, Instant renewAt) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.expiration = credentials.expirationTime().orElseThrow(() -> new IllegalArgumentException("no expiration"));
        this.renewAtMillis = Math.min(renewAt.toEpochMilli(), expiration.toEpochMilli());
    }

    public AwsSessionCredentials credentials() {
        return credentials;
    }

    public Instant expiration() {
        return expiration;
    }

    public Instant renewAt() {
        return Instant.ofEpochMilli(renewAtMillis);
    }

    /** Whether the session may still be handed out at this moment, without renewing. Allocation-free: this is the hot path. */
    public boolean isFreshAt(long epochMillis) {
        return epochMillis < renewAtMillis;
    }

    @Override
    public String toString() {
        return "Session(accessKeyId=" + credentials.accessKeyId() + ", expiration=" + expiration + ", renewAt=" + renewAt() + ")";
    }
}
