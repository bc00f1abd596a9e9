package io.github.mfasession.internal.sts;

import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.session.Session;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * What GetSessionToken and AssumeRole have in common once STS has answered, or failed to: the session in the
 * answer, checked, and the message for a call that got no readable answer. Messages name the operation and the
 * profile, never a secret, token or code.
 */
final class StsAnswers {

    private StsAnswers() {
    }

    /**
     * The session in STS's answer to {@code operation}, checked to be complete. It ends no later than the
     * duration asked for after the request was sent, by this computer's clock: a clock behind AWS's then never
     * hands the session out after STS has ended it. A session that has ended by this clock already is refused.
     */
    static Session session(Credentials credentials, String operation, String profile, Instant sentAt, Duration asked,
                                         Clock clock) {
        if (credentials == null || isEmpty(credentials.accessKeyId()) || isEmpty(credentials.secretAccessKey())
            || isEmpty(credentials.sessionToken()) || credentials.expiration() == null) {
            throw MfaSessionException.create(
                "STS answered " + operation + " for profile '" + profile + "' without a complete session."
                + " Check that the STS endpoint (sts_endpoint, endpoint_url or AWS_ENDPOINT_URL_STS) is STS, then try again.");
        }
        Instant longest = sentAt.plus(asked);
        Instant expiration = credentials.expiration().isAfter(longest) ? longest : credentials.expiration();
        Instant now = clock.instant();
        if (!expiration.isAfter(now)) {
            throw MfaSessionException.create(
                "STS gave profile '" + profile + "' a session that ends at " + expiration + ", which has passed by this"
                + " computer's clock (" + now + "). Set the clock right, then try again.");
        }
        return new Session(AwsSessionCredentials.builder()
                                                .accessKeyId(credentials.accessKeyId())
                                                .secretAccessKey(credentials.secretAccessKey())
                                                .sessionToken(credentials.sessionToken())
                                                .expirationTime(expiration)
                                                .providerName(Session.PROVIDER_NAME)
                                                .build(),
                           sentAt);
    }

    /**
     * The error for a call that got no answer, or one the SDK could not read; {@code code} is masked if STS's text
     * echoes it. It names the endpoint the client used when one was set (sts_endpoint, the profile's endpoint_url or
     * services section, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL), else the region.
     */
    static MfaSessionException noAnswer(SdkClientException e, String operation, String profile, StsClient sts, String code) {
        if (e instanceof MfaSessionException) {
            // Ours already, such as a client that could not be made: no call was sent.
            return (MfaSessionException) e;
        }
        // No operation in the first message: for a role both calls are the profile's, and either failing reads the same.
        if (isNetworkProblem(e)) {
            Optional<URI> endpoint = sts.serviceClientConfiguration().endpointOverride();
            String where = where(sts);
            String check = endpoint.isPresent() ? "the endpoint settings (sts_endpoint, endpoint_url, services, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)"
                                                : "the region or endpoint settings";
            return MfaSessionException.create(
                "Could not reach STS " + where + " for profile '" + profile + "': " + scrub(e.getMessage(), code)
                + ". Check the network and " + check + ", then try again.", e);
        }
        return MfaSessionException.create(
            "The answer to " + operation + " for profile '" + profile + "' could not be read: " + scrub(e.getMessage(), code)
            + ". Check that the STS endpoint (sts_endpoint, endpoint_url or AWS_ENDPOINT_URL_STS) is STS, then try again.", e);
    }

    /**
     * The error for a request that carried a code and may have reached STS, but whose answer never came (a timeout,
     * a connection broken after sending): STS may have used the code, so it is not sent again.
     */
    static MfaSessionException codeMayBeUsed(SdkClientException e, String profile, String mfaSerial, StsClient sts, String code) {
        if (!isNetworkProblem(e)) {
            return noAnswer(e, "GetSessionToken", profile, sts, code);
        }
        return MfaSessionException.create(
            "No answer from STS " + where(sts) + " to GetSessionToken for profile '" + profile + "': " + scrub(e.getMessage(), code)
            + ". STS may have used the code from device " + mfaSerial + ", and accepts a code once: wait for the device's next code,"
            + " then try again.", e);
    }

    /** Where the client sends its requests: the endpoint when one was set, else the region. */
    static String where(StsClient sts) {
        return sts.serviceClientConfiguration().endpointOverride().map(uri -> "at " + uri)
                  .orElseGet(() -> "in " + sts.serviceClientConfiguration().region());
    }

    /** STS's error code, such as {@code AccessDenied}; empty when the answer carried none. */
    static String errorCode(StsException e) {
        return e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
    }

    /** STS's own words for the error, without the code. */
    static String stsSays(StsException e, String code) {
        return scrub(e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage(), code);
    }

    /** The error for a refusal neither operation explains more precisely: STS failing even after retries, or anything else. */
    static MfaSessionException refused(StsException e, String operation, String profile, String code) {
        String errorCode = errorCode(e);
        if (e.statusCode() >= 500 || e.isThrottlingException()) {
            return MfaSessionException.create("STS could not answer " + operation + " for profile '" + profile + "' (" + errorCode + ": "
                                              + stsSays(e, code) + "), even after retrying. Try again in a moment.", e);
        }
        return MfaSessionException.create("STS refused " + operation + " for profile '" + profile + "' (" + errorCode + "): "
                                          + stsSays(e, code) + ".", e);
    }

    /** STS echoes some request values in its messages; a code never reaches ours. */
    static String scrub(String message, String code) {
        String text = message == null ? "no details" : message.trim();
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        return code == null || code.isEmpty() ? text : text.replace(code, "******");
    }

    /** No answer came: the connection failed or timed out. Anything else means an answer came that the SDK could not read. */
    private static boolean isNetworkProblem(SdkClientException e) {
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }
}
