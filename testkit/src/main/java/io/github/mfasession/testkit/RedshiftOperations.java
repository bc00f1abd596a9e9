package io.github.mfasession.testkit;

import io.github.mfasession.testkit.Directory.Caller;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Redshift API calls a JDBC driver makes to log in with IAM (DescribeClusters, GetClusterCredentials and
 * GetClusterCredentialsWithIAM), for an authenticated caller. Enough to prove which credentials a host signs
 * with; the database itself is the test's business.
 */
final class RedshiftOperations {

    /** The Redshift query protocol's version; requests with it are Redshift's, signed for {@link #SERVICE}. */
    static final String VERSION = "2012-12-01";
    static final String SERVICE = "redshift";
    static final String DESCRIBE_CLUSTERS = "DescribeClusters";
    static final String GET_CLUSTER_CREDENTIALS = "GetClusterCredentials";
    static final String GET_CLUSTER_CREDENTIALS_WITH_IAM = "GetClusterCredentialsWithIAM";

    /** Database passwords from either credentials call last 15 minutes to an hour, 15 minutes by default. */
    private static final int MIN_DURATION_SECONDS = 900;
    private static final int MAX_DURATION_SECONDS = 3_600;
    private static final int PASSWORD_BYTES = 48;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Cluster> clusters = new ConcurrentHashMap<>();
    private final Clock clock;

    RedshiftOperations(Clock clock) {
        this.clock = clock;
    }

    void addCluster(String clusterIdentifier, String host, int port) {
        if (clusters.putIfAbsent(clusterIdentifier, new Cluster(clusterIdentifier, host, port)) != null) {
            throw new IllegalArgumentException("The emulator already has a Redshift cluster named '" + clusterIdentifier + "'.");
        }
    }

    /** Reply to one Redshift action, or throws the error Redshift answers. */
    Reply perform(String action, Caller caller, StsRequest request, String requestId) {
        switch (action) {
            case DESCRIBE_CLUSTERS:
                return describeClusters(request, requestId);
            case GET_CLUSTER_CREDENTIALS:
                return getClusterCredentials(request, requestId);
            case GET_CLUSTER_CREDENTIALS_WITH_IAM:
                return getClusterCredentialsWithIam(caller, request, requestId);
            default:
                throw StsError.invalidAction(action, VERSION);
        }
    }

    private Reply describeClusters(StsRequest request, String requestId) {
        String clusterIdentifier = request.param("ClusterIdentifier");
        Collection<Cluster> found = clusterIdentifier == null ? clusters.values() : List.of(cluster(clusterIdentifier));
        List<String> entries = new ArrayList<>();
        for (Cluster cluster : found) {
            entries.add(RedshiftXml.cluster(cluster.identifier, cluster.host, cluster.port));
        }
        return Reply.ok(RedshiftXml.clusters(entries, requestId));
    }

    private Reply getClusterCredentials(StsRequest request, String requestId) {
        String dbUser = request.param("DbUser");
        if (dbUser == null) {
            throw StsError.validation(List.of("Value null at 'dbUser' failed to satisfy constraint: Member must not be null"));
        }
        clusterToLogIn(request);
        // Redshift marks users it may create at login with IAMA, the others with IAM.
        String prefix = Boolean.parseBoolean(request.param("AutoCreate")) ? "IAMA:" : "IAM:";
        Instant expiration = expiration(request);
        return Reply.ok(RedshiftXml.clusterCredentials(GET_CLUSTER_CREDENTIALS, prefix + dbUser, newPassword(), expiration,
                                                       null, requestId));
    }

    /** The database user is the caller's own IAM identity. */
    private Reply getClusterCredentialsWithIam(Caller caller, StsRequest request, String requestId) {
        clusterToLogIn(request);
        Instant expiration = expiration(request);
        return Reply.ok(RedshiftXml.clusterCredentials(GET_CLUSTER_CREDENTIALS_WITH_IAM, "IAM:" + caller.user.userName(),
                                                       newPassword(), expiration, expiration, requestId));
    }

    /**
     * The cluster a credentials call names, by identifier or by custom domain name. Each cluster's endpoint address
     * counts as its custom domain: the JDBC driver sends that address as {@code CustomDomainName} when its URL
     * names a cluster that is not under {@code redshift.amazonaws.com}.
     */
    private Cluster clusterToLogIn(StsRequest request) {
        String clusterIdentifier = request.param("ClusterIdentifier");
        if (clusterIdentifier != null) {
            return cluster(clusterIdentifier);
        }
        String domain = request.param("CustomDomainName");
        if (domain == null) {
            throw new StsError(400, "InvalidParameterCombination", "Either ClusterIdentifier or CustomDomainName must be specified.");
        }
        return clusters.values().stream()
                       .filter(cluster -> cluster.host.equalsIgnoreCase(domain))
                       .findFirst()
                       .orElseThrow(() -> new StsError(404, "CustomDomainAssociationNotFoundFault",
                                                       "Custom domain " + domain + " is not associated with any cluster."));
    }

    private Cluster cluster(String clusterIdentifier) {
        Cluster cluster = clusters.get(clusterIdentifier);
        if (cluster == null) {
            throw new StsError(404, "ClusterNotFound", "Cluster " + clusterIdentifier + " not found.");
        }
        return cluster;
    }

    private Instant expiration(StsRequest request) {
        String duration = request.param("DurationSeconds");
        int seconds = MIN_DURATION_SECONDS;
        if (duration != null) {
            try {
                seconds = Integer.parseInt(duration);
            } catch (NumberFormatException e) {
                seconds = -1;
            }
            if (seconds < MIN_DURATION_SECONDS || seconds > MAX_DURATION_SECONDS) {
                throw new StsError(400, "InvalidParameterValue", "DurationSeconds must be between " + MIN_DURATION_SECONDS
                                                                 + " and " + MAX_DURATION_SECONDS + " seconds.");
            }
        }
        return clock.instant().plusSeconds(seconds).truncatedTo(ChronoUnit.MILLIS);
    }

    private String newPassword() {
        byte[] password = new byte[PASSWORD_BYTES];
        random.nextBytes(password);
        return Base64.getEncoder().encodeToString(password);
    }

    /** A provisioned cluster: where its database listens. */
    private static final class Cluster {
        final String identifier;
        final String host;
        final int port;

        Cluster(String identifier, String host, int port) {
            this.identifier = identifier;
            this.host = host;
            this.port = port;
        }
    }
}
