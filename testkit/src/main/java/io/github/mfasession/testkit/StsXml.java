package io.github.mfasession.testkit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The XML bodies STS answers with, in the 2011-06-15 query protocol's shapes. */
final class StsXml {

    static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

    /** ISO 8601 in UTC with milliseconds, as AWS writes times in XML. */
    static final DateTimeFormatter TIMESTAMP =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private StsXml() {
    }

    static String sessionToken(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration,
                               String requestId) {
        return "<GetSessionTokenResponse xmlns=\"" + NAMESPACE + "\">\n"
               + "  <GetSessionTokenResult>\n"
               + credentials(accessKeyId, secretAccessKey, sessionToken, expiration)
               + "  </GetSessionTokenResult>\n"
               + metadata(requestId)
               + "</GetSessionTokenResponse>\n";
    }

    static String assumeRole(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration,
                             String assumedRoleId, String arn, String requestId) {
        return "<AssumeRoleResponse xmlns=\"" + NAMESPACE + "\">\n"
               + "  <AssumeRoleResult>\n"
               + "    <AssumedRoleUser>\n"
               + "      " + element("AssumedRoleId", assumedRoleId) + "\n"
               + "      " + element("Arn", arn) + "\n"
               + "    </AssumedRoleUser>\n"
               + credentials(accessKeyId, secretAccessKey, sessionToken, expiration)
               + "  </AssumeRoleResult>\n"
               + metadata(requestId)
               + "</AssumeRoleResponse>\n";
    }

    private static String credentials(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {
        return "    <Credentials>\n"
               + "      " + element("AccessKeyId", accessKeyId) + "\n"
               + "      " + element("SecretAccessKey", secretAccessKey) + "\n"
               + "      " + element("SessionToken", sessionToken) + "\n"
               + "      " + element("Expiration", TIMESTAMP.format(expiration)) + "\n"
               + "    </Credentials>\n";
    }

    static String callerIdentity(String arn, String userId, String account, String requestId) {
        return "<GetCallerIdentityResponse xmlns=\"" + NAMESPACE + "\">\n"
               + "  <GetCallerIdentityResult>\n"
               + "    " + element("Arn", arn) + "\n"
               + "    " + element("UserId", userId) + "\n"
               + "    " + element("Account", account) + "\n"
               + "  </GetCallerIdentityResult>\n"
               + metadata(requestId)
               + "</GetCallerIdentityResponse>\n";
    }

    /** An error body; STS says {@code Sender} for the caller's faults and {@code Receiver} for its own. */
    static String error(int status, String code, String message, String requestId) {
        return "<ErrorResponse xmlns=\"" + NAMESPACE + "\">\n"
               + "  <Error>\n"
               + "    " + element("Type", status >= 500 ? "Receiver" : "Sender") + "\n"
               + "    " + element("Code", code) + "\n"
               + "    " + element("Message", message) + "\n"
               + "  </Error>\n"
               + "  " + element("RequestId", requestId) + "\n"
               + "</ErrorResponse>\n";
    }

    static String metadata(String requestId) {
        return "  <ResponseMetadata>\n"
               + "    " + element("RequestId", requestId) + "\n"
               + "  </ResponseMetadata>\n";
    }

    static String element(String name, String text) {
        return "<" + name + ">" + escape(text) + "</" + name + ">";
    }

    /** Escapes text content; request values (a serial number, an action name) are echoed in messages. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&':
                    out.append("&amp;");
                    break;
                case '<':
                    out.append("&lt;");
                    break;
                case '>':
                    out.append("&gt;");
                    break;
                case '"':
                    out.append("&quot;");
                    break;
                case '\'':
                    out.append("&apos;");
                    break;
                default:
                    // Characters XML 1.0 cannot carry at all are replaced rather than producing a malformed body.
                    out.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }
}
