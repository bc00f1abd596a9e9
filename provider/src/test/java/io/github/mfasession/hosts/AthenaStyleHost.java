package io.github.mfasession.hosts;

import java.util.Arrays;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A host that builds its credentials provider from a class name the way Athena JDBC 3 does with
 * {@code CredentialsProvider} and {@code CredentialsProviderArguments}: the public constructor taking as many
 * Strings as there are comma-separated arguments. It then signs one AWS call with the provider, as a host
 * signs its own, and prints the caller's ARN. Run as its own process by {@link AthenaStyleConstructionTest}.
 * Arguments: the class name, then the comma-separated arguments.
 */
public final class AthenaStyleHost {

    private AthenaStyleHost() {
    }

    public static void main(String[] args) throws ReflectiveOperationException {
        String[] arguments = args[1].split(",");
        Class<?>[] parameterTypes = new Class<?>[arguments.length];
        Arrays.fill(parameterTypes, String.class);
        AwsCredentialsProvider provider = (AwsCredentialsProvider) Class.forName(args[0])
                                                                        .getConstructor(parameterTypes)
                                                                        .newInstance((Object[]) arguments);
        try (StsClient sts = StsClient.builder()
                                      .region(Region.US_EAST_1)
                                      .credentialsProvider(provider)
                                      .httpClient(UrlConnectionHttpClient.create())
                                      .build()) {
            System.out.println(sts.getCallerIdentity().arn());
        }
    }
}
