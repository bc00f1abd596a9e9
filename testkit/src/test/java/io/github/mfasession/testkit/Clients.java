package io.github.mfasession.testkit;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.redshift.RedshiftClient;
import software.amazon.awssdk.services.sts.StsClient;

/** The SDK's real StsClient and RedshiftClient, pointed at an emulator. */
final class Clients {

    private Clients() {
    }

    /** No retries: each call is one request, so tests can count them. */
    static StsClient sts(StsEmulator emulator, AwsCredentials credentials) {
        return sts(emulator, credentials, AwsRetryStrategy.doNotRetry());
    }

    /** The SDK's standard retries (3 attempts), without the back-off waits. */
    static StsClient stsWithRetries(StsEmulator emulator, AwsCredentials credentials) {
        return sts(emulator, credentials, AwsRetryStrategy.standardRetryStrategy()
                                                         .toBuilder()
                                                         .maxAttempts(3)
                                                         .backoffStrategy(BackoffStrategy.retryImmediately())
                                                         .throttlingBackoffStrategy(BackoffStrategy.retryImmediately())
                                                         .build());
    }

    /** No retries, as {@link #sts(StsEmulator, AwsCredentials)}. */
    static RedshiftClient redshift(StsEmulator emulator, AwsCredentials credentials) {
        return RedshiftClient.builder()
                             .endpointOverride(emulator.endpoint())
                             .region(Region.US_EAST_1)
                             .credentialsProvider(StaticCredentialsProvider.create(credentials))
                             .httpClient(UrlConnectionHttpClient.create())
                             .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                             .build();
    }

    private static StsClient sts(StsEmulator emulator, AwsCredentials credentials, RetryStrategy retries) {
        return StsClient.builder()
                        .endpointOverride(emulator.endpoint())
                        .region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(credentials))
                        .httpClient(UrlConnectionHttpClient.create())
                        .overrideConfiguration(o -> o.retryStrategy(retries))
                        .build();
    }
}
