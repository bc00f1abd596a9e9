package io.github.mfasession.internal.sts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * "Could not reach STS" names where the client was sending: the endpoint, when one was set, else the region. Made
 * without a call: with no endpoint set, a call would go to AWS itself, which the tests never reach.
 */
class UnreachableStsMessageTest {

    private static final SdkClientException REFUSED = SdkClientException.create("Unable to execute HTTP request: Connection refused",
                                                                                 new IOException("Connection refused"));

    private static StsClient client(Optional<URI> endpoint) {
        return StsClients.create(AnonymousCredentialsProvider.create(), Region.EU_WEST_1, endpoint, ProfileFile.aggregator().build(), "dev",
                                 StsClients.Timeouts.DEFAULT);
    }

    @Test
    void withNoEndpointSetTheRegionIsNamed() {
        try (StsClient sts = client(Optional.empty())) {
            assertEquals("Could not reach STS in eu-west-1 for profile 'dev': Unable to execute HTTP request: Connection refused. Check the"
                         + " network and the region or endpoint settings, then try again.",
                         StsAnswers.noAnswer(REFUSED, "GetSessionToken", "dev", sts, null).getMessage());
        }
    }

    @Test
    void withAnEndpointSetTheEndpointIsNamed() {
        try (StsClient sts = client(Optional.of(URI.create("https://sts.example.internal")))) {
            assertEquals("Could not reach STS at https://sts.example.internal for profile 'dev': Unable to execute HTTP request: Connection"
                         + " refused. Check the network and the endpoint settings (sts_endpoint, endpoint_url, services, AWS_ENDPOINT_URL_STS,"
                         + " AWS_ENDPOINT_URL), then try again.", StsAnswers.noAnswer(REFUSED, "GetSessionToken", "dev", sts, null).getMessage());
        }
    }
}
