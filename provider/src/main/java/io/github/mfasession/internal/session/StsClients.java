package io.github.mfasession.internal.session;

import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.settings.ProfileFiles;
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

    private StsClients() {
    }

    static StsClient create(AwsCredentialsProvider credentials, Region region, Optional<URI> endpoint,
                            ProfileFile profileFile, String profileName, Timeouts timeouts) {
        StsClientBuilder builder =
            StsClient.builder()
                     .credentialsProvider(credentials)
                     .region(region)
                     .httpClientBuilder(UrlConnectionHttpClient.builder()
                                                               .connectionTimeout(timeouts.connect)
                                                               .socketTimeout(timeouts.read))
                     // The profile's own endpoint_url, services section and retry settings apply to our STS client.
                     .overrideConfiguration(o -> o.defaultProfileFile(profileFile)
                                                  .defaultProfileName(profileName)
                                                  .apiCallTimeout(timeouts.call));
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
