package io.github.mfasession.hosts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.MfaSessionProvider;
import io.github.mfasession.testkit.RecordedCall;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Amazon Redshift JDBC driver, a real host: it builds the provider from its class name ({@code plugin_name},
 * no-arg constructor, settings from the environment) in a process of its own, and signs its Redshift API calls
 * with the MFA session before it opens the database connection.
 */
class RedshiftJdbcHostTest {

    @TempDir
    Path folder;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "GetClusterCredentials,        DbUser=analyst",
        "GetClusterCredentialsWithIAM, groupFederation=true",
    })
    void theDriverSignsItsRedshiftCallsWithTheMfaSessionThenConnectsToTheCluster(String loginCall, String loginProperty)
        throws Exception {
        try (HostFixture fixture = new HostFixture(folder, "");
             LoopbackDatabase database = new LoopbackDatabase()) {
            fixture.sts.addRedshiftCluster("analytics", database.host(), database.port());
            Map<String, String> environment = fixture.environment();
            environment.put("AWS_PROFILE", "dev");

            HostProcess.Result driver = HostProcess.run(
                HostProcess.java(RedshiftJdbcHost.class, Map.of(),
                                 "jdbc:redshift:iam://analytics:us-east-1/dev",
                                 "plugin_name=" + MfaSessionProvider.class.getName(),
                                 "endpointUrl=" + fixture.sts.endpoint(),
                                 "loginTimeout=30",
                                 loginProperty),
                environment, folder);

            RecordedCall getSessionToken = fixture.theOnlyGetSessionToken();
            assertEquals(fixture.device.serialNumber(), getSessionToken.serialNumber());
            assertTrue(getSessionToken.isOk(), getSessionToken.toString());

            List<RecordedCall> redshiftCalls = fixture.hostCalls();
            assertEquals(List.of("DescribeClusters", loginCall),
                         redshiftCalls.stream().map(RecordedCall::action).collect(Collectors.toList()), driver.toString());
            for (RecordedCall call : redshiftCalls) {
                assertTrue(call.isOk(), call.toString());
                assertTrue(call.accessKeyId().startsWith("ASIA"), call.toString());
                assertTrue(call.multiFactorAuthPresent(), call.toString());
            }
            assertEquals(1, redshiftCalls.stream().map(RecordedCall::accessKeyId).distinct().count());

            // Past the credentials: the driver opened the database connection at the cluster's address, and only the
            // missing database stopped it.
            assertFalse(database.firstMessages().isEmpty(), driver.toString());
            assertArrayEquals(LoopbackDatabase.SSL_REQUEST, database.firstMessages().get(0));
            assertTrue(driver.stdout().contains("The connection attempt failed."), driver.toString());
        }
    }
}
