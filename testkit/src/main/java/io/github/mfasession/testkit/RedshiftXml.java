package io.github.mfasession.testkit;

import java.time.Instant;
import java.util.List;

/** The XML bodies Redshift answers with, in the 2012-12-01 query protocol's shapes. */
final class RedshiftXml {

    static final String NAMESPACE = "http://redshift.amazonaws.com/doc/2012-12-01/";

    private RedshiftXml() {
    }

    /** One {@code <Cluster>} of a DescribeClusters answer: its identifier, status and endpoint. */
    static String cluster(String clusterIdentifier, String host, int port) {
        return "      <Cluster>\n"
               + "        " + StsXml.element("ClusterIdentifier", clusterIdentifier) + "\n"
               + "        " + StsXml.element("ClusterStatus", "available") + "\n"
               + "        <Endpoint>" + StsXml.element("Address", host) + StsXml.element("Port", Integer.toString(port))
               + "</Endpoint>\n"
               + "      </Cluster>\n";
    }

    static String clusters(List<String> clusters, String requestId) {
        return "<DescribeClustersResponse xmlns=\"" + NAMESPACE + "\">\n"
               + "  <DescribeClustersResult>\n"
               + "    <Clusters>\n"
               + String.join("", clusters)
               + "    </Clusters>\n"
               + "  </DescribeClustersResult>\n"
               + StsXml.metadata(requestId)
               + "</DescribeClustersResponse>\n";
    }

    /**
     * The answer to GetClusterCredentials or GetClusterCredentialsWithIAM: a database user and password.
     *
     * @param nextRefreshTime only GetClusterCredentialsWithIAM has it; {@code null} for the other
     */
    static String clusterCredentials(String action, String dbUser, String dbPassword, Instant expiration,
                                     Instant nextRefreshTime, String requestId) {
        return "<" + action + "Response xmlns=\"" + NAMESPACE + "\">\n"
               + "  <" + action + "Result>\n"
               + "    " + StsXml.element("DbUser", dbUser) + "\n"
               + "    " + StsXml.element("DbPassword", dbPassword) + "\n"
               + "    " + StsXml.element("Expiration", StsXml.TIMESTAMP.format(expiration)) + "\n"
               + (nextRefreshTime == null ? ""
                  : "    " + StsXml.element("NextRefreshTime", StsXml.TIMESTAMP.format(nextRefreshTime)) + "\n")
               + "  </" + action + "Result>\n"
               + StsXml.metadata(requestId)
               + "</" + action + "Response>\n";
    }
}
