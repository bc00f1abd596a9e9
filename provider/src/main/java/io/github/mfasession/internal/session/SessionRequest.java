package io.github.mfasession.internal.session;

import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** A session to look for in the store under its key, and the STS call that gets a new one when the store has none. */
public final class SessionRequest {

    private final SessionKey key;
    private final String description;
    private final Supplier<AwsSessionCredentials> fetch;

    SessionRequest(SessionKey key, String description, Supplier<AwsSessionCredentials> fetch) {
        this.key = key;
        this.description = description;
        this.fetch = fetch;
    }

    /** Where the session is kept in the store, and which process lock guards getting it. */
    public SessionKey key() {
        return key;
    }

    /** What the session is, for log lines, for example {@code MFA session for profile dev (device arn:...)}. */
    public String description() {
        return description;
    }

    /** A new session from STS; for an MFA session this asks for a code. */
    public AwsSessionCredentials fetch() {
        return fetch.get();
    }

    @Override
    public String toString() {
        return "SessionRequest(" + key + ")";
    }
}
