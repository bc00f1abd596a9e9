package io.github.mfasession.internal.sts;

import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.code.CodeMask;
import io.github.mfasession.internal.settings.ProfileFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;

/** STS clients as both fetchers need them: bounded waits, and the profile's own SDK settings. */
final class StsClients {

    /**
     * Masks what looks like an MFA code in an error answer before the SDK reads it. STS leaves codes out of its
     * messages, but a proxy or another service in its place may echo the request; the SDK puts an error's text in its
     * exception, which its loggers {@code software.amazon.awssdk.request} and {@code software.amazon.awssdk.retries}
     * print at DEBUG for every failed attempt, before any code of ours sees it. A successful answer is never touched.
     */
    private static final ExecutionInterceptor CODES_MASKED_IN_ERRORS = new ExecutionInterceptor() {
        @Override
        public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            Optional<InputStream> body = context.responseBody();
            if (context.httpResponse().isSuccessful() || body.isEmpty()) {
                return body;
            }
            try (InputStream in = body.get()) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return Optional.of(new ByteArrayInputStream(CodeMask.apply(text).getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw SdkClientException.create("Could not read STS's error answer: " + e.getMessage(), e);
            }
        }
    };

    /**
     * For a request that carries an MFA code: retried only when it certainly never reached STS, because the
     * connection could not be made. AWS accepts a code once (GetSessionToken, {@code TokenCode}), so a resent code can
     * only be refused, and the session STS issued for the first request is lost. After a timeout, a lost answer or a
     * server error nobody can tell whether STS used the code; throttling is not retried either, since AWS does not
     * document that a throttled request was left unprocessed. One for each client, as the SDK makes its own: the
     * strategy holds the client's retry token bucket.
     */
    private static RetryStrategy onlyUnsent() {
        // Without the client's defaults, which would add the SDK's own conditions (5xx, throttling, any IOException).
        return DefaultRetryStrategy.standardStrategyBuilder()
                                   .retryOnException(StsClients::couldNotConnect)
                                   .useClientDefaults(false)
                                   .build();
    }

    private StsClients() {
    }

    /** For GetSessionToken: the SDK retries only a request that never left this machine ({@link #couldNotConnect}). */
    static StsClient forCodes(AwsCredentialsProvider credentials, Region region, Optional<URI> endpoint,
                              ProfileFile profileFile, String profileName, Timeouts timeouts) {
        return create(credentials, region, endpoint, profileFile, profileName, timeouts, Optional.of(onlyUnsent()));
    }

    /** For calls without a code (AssumeRole): the SDK's retries, as the profile sets them. */
    static StsClient create(AwsCredentialsProvider credentials, Region region, Optional<URI> endpoint,
                            ProfileFile profileFile, String profileName, Timeouts timeouts) {
        return create(credentials, region, endpoint, profileFile, profileName, timeouts, Optional.empty());
    }

    /**
     * Whether this attempt failed before its request could leave this machine: the connection was refused, timed
     * out, or the host was not found. Only the attempt's own causes count, never earlier attempts (which the SDK
     * attaches as suppressed exceptions). The JDK words a connect timeout "Connect timed out" and a read timeout "Read
     * timed out"; both are {@link SocketTimeoutException}s.
     */
    static boolean couldNotConnect(Throwable attempt) {
        for (Throwable t = attempt; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException) {
                return true;
            }
            if (t instanceof SocketTimeoutException && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).startsWith("connect timed out")) {
                return true;
            }
        }
        return false;
    }

    private static StsClient create(AwsCredentialsProvider credentials, Region region, Optional<URI> endpoint,
                                    ProfileFile profileFile, String profileName, Timeouts timeouts, Optional<RetryStrategy> retries) {
        StsClientBuilder builder =
            StsClient.builder()
                     .credentialsProvider(credentials)
                     .region(region)
                     .httpClientBuilder(UrlConnectionHttpClient.builder()
                                                               .connectionTimeout(timeouts.connect)
                                                               .socketTimeout(timeouts.read))
                     // The profile's own endpoint_url, services section and retry settings apply to our STS client.
                     .overrideConfiguration(o -> {
                         o.defaultProfileFile(profileFile)
                          .defaultProfileName(profileName)
                          .apiCallTimeout(timeouts.call)
                          .addExecutionInterceptor(CODES_MASKED_IN_ERRORS);
                         retries.ifPresent(o::retryStrategy);
                     });
        endpoint.ifPresent(builder::endpointOverride);
        try {
            return builder.build();
        } catch (RuntimeException e) {
            // Most likely the SDK's own reading of the default profile files, which every client builder does.
            throw MfaSessionException.create(ProfileFiles.whyTheSdkCannotReadTheDefaultFiles().orElseGet(
                () -> "Could not make the STS client for profile '" + profileName + "': " + e.getMessage()
                      + ". Check the region and endpoint settings (region, endpoint_url, AWS_ENDPOINT_URL_STS, sts_endpoint)."), e);
        }
    }

    /** How long STS may take: to accept the connection, to send each part of its answer, and for the whole call with the SDK's retries. */
    static final class Timeouts {

        static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30));

        final Duration connect;
        final Duration read;
        final Duration call;

        Timeouts(Duration connect, Duration read, Duration call) {
            this.connect = connect;
            this.read = read;
            this.call = call;
        }
    }
}
