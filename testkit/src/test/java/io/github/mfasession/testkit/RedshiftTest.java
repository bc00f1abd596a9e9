package io.github.mfasession.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.redshift.RedshiftClient;
import software.amazon.awssdk.services.redshift.model.Cluster;
import software.amazon.awssdk.services.redshift.model.GetClusterCredentialsResponse;
import software.amazon.awssdk.services.redshift.model.GetClusterCredentialsWithIamResponse;
import software.amazon.awssdk.services.redshift.model.RedshiftException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/** The Redshift calls a JDBC driver makes to log in with IAM, through the SDK's real RedshiftClient. */
class RedshiftTest {

    private final MutableClock clock = MutableClock.atSystemTime();
    private final StsEmulator emulator = StsEmulator.builder().clock(clock).build();
    private final IamUser alice = emulator.addUser("alice");
    private final VirtualMfaDevice device = emulator.addVirtualMfaDevice(alice);

    @AfterEach
    void close() {
        emulator.close();
    }

    @Test
    void describeClustersGivesTheEndpointTheClusterWasAddedWith() {
        emulator.addRedshiftCluster("analytics", "127.0.0.1", 5439);

        try (RedshiftClient redshift = Clients.redshift(emulator, alice.credentials())) {
            List<Cluster> clusters = redshift.describeClusters(r -> r.clusterIdentifier("analytics")).clusters();

            assertEquals(1, clusters.size());
            assertEquals("127.0.0.1", clusters.get(0).endpoint().address());
            assertEquals(5439, clusters.get(0).endpoint().port());
        }
    }

    @Test
    void getClusterCredentialsGivesTheDatabaseUserAPasswordForFifteenMinutes() {
        emulator.addRedshiftCluster("analytics", "127.0.0.1", 5439);

        try (RedshiftClient redshift = Clients.redshift(emulator, alice.credentials())) {
            GetClusterCredentialsResponse credentials =
                redshift.getClusterCredentials(r -> r.clusterIdentifier("analytics").dbUser("analyst").dbName("dev"));

            assertEquals("IAM:analyst", credentials.dbUser());
            assertFalse(credentials.dbPassword().isEmpty());
            assertEquals(clock.instant().plus(Duration.ofMinutes(15)).toEpochMilli(), credentials.expiration().toEpochMilli(), 1);
        }
    }

    @Test
    void theClustersAddressServesAsItsCustomDomainName() {
        emulator.addRedshiftCluster("analytics", "127.0.0.1", 5439);

        try (RedshiftClient redshift = Clients.redshift(emulator, alice.credentials())) {
            GetClusterCredentialsWithIamResponse credentials =
                redshift.getClusterCredentialsWithIAM(r -> r.customDomainName("127.0.0.1").durationSeconds(3600));

            assertEquals("IAM:alice", credentials.dbUser());
            assertEquals(clock.instant().plus(Duration.ofHours(1)).toEpochMilli(), credentials.expiration().toEpochMilli(), 1);
        }
    }

    @Test
    void anUnknownClusterIsNotFound() {
        try (RedshiftClient redshift = Clients.redshift(emulator, alice.credentials())) {
            RedshiftException e = assertThrows(RedshiftException.class,
                                               () -> redshift.getClusterCredentials(r -> r.clusterIdentifier("nope").dbUser("analyst")));

            assertEquals("ClusterNotFound", e.awsErrorDetails().errorCode());
            assertEquals(404, e.statusCode());
        }
    }

    @Test
    void onlyCallsSignedWithASessionFromAnMfaCodeHaveMultiFactorAuthPresent() {
        emulator.addRedshiftCluster("analytics", "127.0.0.1", 5439);
        Credentials withMfa;
        Credentials withoutMfa;
        try (StsClient sts = Clients.sts(emulator, alice.credentials())) {
            String code = emulator.currentCode(device.serialNumber());
            withMfa = sts.getSessionToken(r -> r.serialNumber(device.serialNumber()).tokenCode(code)).credentials();
            withoutMfa = sts.getSessionToken().credentials();
        }

        describeWith(sessionOf(withMfa));
        describeWith(sessionOf(withoutMfa));
        describeWith(alice.credentials());

        List<RecordedCall> calls = emulator.calls();
        assertEquals(List.of(false, false, true, false, false),
                     calls.stream().map(RecordedCall::multiFactorAuthPresent).toList(), calls.toString());
        assertEquals(withMfa.accessKeyId(), calls.get(2).accessKeyId());
        assertTrue(calls.stream().allMatch(RecordedCall::isOk), calls.toString());
    }

    private void describeWith(AwsCredentials credentials) {
        try (RedshiftClient redshift = Clients.redshift(emulator, credentials)) {
            redshift.describeClusters();
        }
    }

    private static AwsSessionCredentials sessionOf(Credentials credentials) {
        return AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken());
    }
}
