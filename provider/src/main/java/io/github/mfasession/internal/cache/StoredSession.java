package io.github.mfasession.internal.cache;

import io.github.mfasession.internal.session.Session;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** A session in the cache folder, as {@code status} shows it: whose it is and until when. It holds no secret. */
public final class StoredSession {

    private final String profile;
    private final String mfaSerial;
    private final String roleArn;
    private final Instant expiration;
    private final Instant obtained;
    private final Instant retryAfter;
    private final Path file;

    StoredSession(String profile, String mfaSerial, String roleArn, Session session, Path file) {
        this.profile = profile;
        this.mfaSerial = mfaSerial;
        this.roleArn = roleArn;
        this.expiration = session.expiration();
        this.obtained = session.obtained().orElse(null);
        this.retryAfter = session.retryAfter().orElse(null);
        this.file = file;
    }

    /** The profile the session was obtained for: the base profile of an MFA session, or the role profile. */
    public String profile() {
        return profile;
    }

    /** The MFA device whose code obtained the session, or started its chain. */
    public String mfaSerial() {
        return mfaSerial;
    }

    /** The role of a role session; empty for an MFA session. */
    public Optional<String> roleArn() {
        return Optional.ofNullable(roleArn);
    }

    /** When STS stops accepting the session. */
    public Instant expiration() {
        return expiration;
    }

    /** When the session was asked for; empty in a file of an earlier version. */
    public Optional<Instant> obtained() {
        return Optional.ofNullable(obtained);
    }

    /** When a renewal that failed may be tried again; empty when none failed. */
    public Optional<Instant> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Whether the session has expired at that moment. */
    public boolean isExpiredAt(Instant now) {
        return !expiration.isAfter(now);
    }

    /** The file that holds the session. */
    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "StoredSession(profile=" + profile + ", mfaSerial=" + mfaSerial + (roleArn == null ? "" : ", roleArn=" + roleArn)
               + ", expiration=" + expiration + ", file=" + file + ")";
    }
}
