package io.github.mfasession.internal.cache;

import java.nio.file.Path;
import java.time.Instant;

/** A session in the cache folder, as {@code status} shows it: whose it is and until when. It holds no secret. */
public final class StoredSession {

    private final String profile;
    private final String mfaSerial;
    private final Instant expiration;
    private final Path file;

    StoredSession(String profile, String mfaSerial, Instant expiration, Path file) {
        this.profile = profile;
        this.mfaSerial = mfaSerial;
        this.expiration = expiration;
        this.file = file;
    }

    /** The base profile the session was obtained for. */
    public String profile() {
        return profile;
    }

    /** The MFA device whose code obtained the session. */
    public String mfaSerial() {
        return mfaSerial;
    }

    /** When STS stops accepting the session. */
    public Instant expiration() {
        return expiration;
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
        return "StoredSession(profile=" + profile + ", mfaSerial=" + mfaSerial + ", expiration=" + expiration + ", file=" + file + ")";
    }
}
