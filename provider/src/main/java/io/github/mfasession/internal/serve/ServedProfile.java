package io.github.mfasession.internal.serve;

import io.github.mfasession.MfaSessionProvider;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * One profile the server hands out: the session its provider last gave, already written as the answer a client
 * gets, and why the last attempt failed, if it did. Only its {@link RenewalLoop} calls the provider; requests read
 * what was published and never wait, so a client is never held by a renewal or by a person typing a code.
 */
final class ServedProfile implements SdkAutoCloseable {

    private final String name;
    private final MfaSessionProvider provider;
    private final Clock clock;
    /** Where a code is asked for, in the words of a message a client shows: "in the terminal where serve runs", ... */
    private final String whereCodesAreAsked;

    private volatile Published published;
    private volatile String problem;
    private volatile boolean attempting;

    ServedProfile(String name, MfaSessionProvider provider, Clock clock, String whereCodesAreAsked) {
        this.name = name;
        this.provider = provider;
        this.clock = clock;
        this.whereCodesAreAsked = whereCodesAreAsked;
    }

    String name() {
        return name;
    }

    /**
     * Asks the provider for the session, which it renews when its refresh policy says so (asking for a code if it
     * must), and publishes what it returns.
     *
     * @return why it failed: the provider's message, which never holds a secret; empty on success
     */
    Optional<String> refresh() {
        try {
            refreshOrThrow();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(messageOf(e));
        }
    }

    /** As {@link #refresh()}, throwing the provider's exception on failure. */
    void refreshOrThrow() {
        attempting = true;
        try {
            AwsSessionCredentials credentials = provider.resolveCredentials();
            Published before = published;
            if (before == null || !before.accessKeyId.equals(credentials.accessKeyId())
                || !before.expiration.equals(credentials.expirationTime().orElse(null))) {
                published = new Published(credentials);
            }
            problem = null;
        } catch (RuntimeException e) {
            problem = messageOf(e);
            throw e;
        } finally {
            attempting = false;
        }
    }

    private static String messageOf(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** When the published session ends; empty before the first one. */
    Optional<Instant> expiration() {
        Published current = published;
        return current == null ? Optional.empty() : Optional.of(current.expiration);
    }

    /** The access key of the published session (not a secret: it names the session), for telling a renewal apart. */
    Optional<String> accessKeyId() {
        Published current = published;
        return current == null ? Optional.empty() : Optional.of(current.accessKeyId);
    }

    /** Why the last attempt failed, if it did. */
    Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    boolean attempting() {
        return attempting;
    }

    /** Whether a first attempt has ended, with a session or a problem. */
    boolean settled() {
        return published != null || problem != null;
    }

    /** What a request for this profile gets now: the session while it has not ended by the server's clock, else why not. */
    Answer answer() {
        Published current = published;
        if (current != null && clock.millis() < current.expiresAtMillis) {
            return current.answer;
        }
        return Answer.json(503, "NoSession", unavailable(current));
    }

    private String unavailable(Published current) {
        StringBuilder message = new StringBuilder("The mfa-session-provider server has ");
        message.append(current == null ? "no MFA session for profile '" + name + "' yet."
                                       : "no valid MFA session for profile '" + name + "': the last one ended at " + current.expiration + ".");
        String failure = problem;
        if (attempting) {
            message.append(" It is getting one now and may be waiting for an MFA code ").append(whereCodesAreAsked).append("; try again once it is entered.");
        } else if (failure != null) {
            message.append(" The last attempt failed: ").append(failure)
                   .append(" It tries again by itself; to enter a code now, stop it (serve --stop) and start it again in a terminal.");
        } else {
            message.append(" It tries again by itself; try again in a moment.");
        }
        return message.toString();
    }

    @Override
    public void close() {
        provider.close();
    }

    /** A session as served: the container credentials JSON, written once when it arrives, and its end. */
    private static final class Published {
        final String accessKeyId;
        final Instant expiration;
        final long expiresAtMillis;
        final Answer answer;

        Published(AwsSessionCredentials credentials) {
            this.accessKeyId = credentials.accessKeyId();
            this.expiration = credentials.expirationTime().orElseThrow();
            this.expiresAtMillis = expiration.toEpochMilli();
            JsonWriter json = JsonWriter.create();
            json.writeStartObject()
                .writeFieldName("AccessKeyId").writeValue(credentials.accessKeyId())
                .writeFieldName("SecretAccessKey").writeValue(credentials.secretAccessKey())
                .writeFieldName("Token").writeValue(credentials.sessionToken())
                .writeFieldName("Expiration").writeValue(expiration.toString());
            credentials.accountId().ifPresent(account -> json.writeFieldName("AccountId").writeValue(account));
            this.answer = new Answer(200, json.writeEndObject().getBytes());
        }
    }

    /** An HTTP status and JSON body, ready to send. */
    static final class Answer {
        final int status;
        final byte[] body;

        Answer(int status, byte[] body) {
            this.status = status;
            this.body = body;
        }

        /**
         * An error as the SDKs show it: the AWS SDK for Java reads {@code message}, botocore shows the whole body.
         */
        static Answer json(int status, String code, String message) {
            JsonWriter json = JsonWriter.create();
            json.writeStartObject().writeFieldName("code").writeValue(code).writeFieldName("message").writeValue(message).writeEndObject();
            return new Answer(status, json.getBytes());
        }

        @Override
        public String toString() {
            // The body may hold a session: only the status is shown.
            return "Answer(" + status + ")";
        }
    }
}
