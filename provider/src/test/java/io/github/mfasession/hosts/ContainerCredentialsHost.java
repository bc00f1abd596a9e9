package io.github.mfasession.hosts;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A Java program with no credentials code of its own, as most are: an STS client on the SDK's default credentials
 * chain, one GetCallerIdentity call. Prints the caller's ARN.
 *
 * <p>Usage: {@code ContainerCredentialsHost <STS endpoint>}
 */
public final class ContainerCredentialsHost {

    private ContainerCredentialsHost() {
    }

    public static void main(String[] args) {
        try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
             StsClient sts = StsClient.builder()
                                      .endpointOverride(URI.create(args[0]))
                                      .region(Region.US_EAST_1)
                                      .credentialsProvider(chain)
                                      .httpClient(UrlConnectionHttpClient.create())
                                      .build()) {
            System.out.println(sts.getCallerIdentity().arn());
        }
    }
}
