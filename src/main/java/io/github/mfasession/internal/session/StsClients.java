package io.github.mfasession.internal.session;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;

/** STS clients as both fetchers need them: bounded waits, and the profile's own SDK settings. */
final class StsClients {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private StsClients() {
    }

    static StsClient create(AwsCredentialsProvider credentials, Region region, Optional<URI> endpoint,
                            ProfileFile profileFile, String profileName) {
        StsClientBuilder builder =
            StsClient.builder()
                     .credentialsProvider(credentials)
                     .region(region)
                     .httpClientBuilder(UrlConnectionHttpClient.builder()
                                                               .connectionTimeout(CONNECT_TIMEOUT)
                                                               .socketTimeout(READ_TIMEOUT))
                     // The profile's own endpoint_url, services section and retry settings apply to our STS client.
                     .overrideConfiguration(o -> o.defaultProfileFile(profileFile)
                                                  .defaultProfileName(profileName)
                                                  .apiCallTimeout(CALL_TIMEOUT));
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
