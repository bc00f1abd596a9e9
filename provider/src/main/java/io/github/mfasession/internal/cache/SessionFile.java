package io.github.mfasession.internal.cache;

import io.github.mfasession.internal.files.RejectedFile;
import io.github.mfasession.internal.session.Session;
import io.github.mfasession.internal.session.SessionKey;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * The JSON inside one cache file. Field names follow the {@code credential_process} output people already
 * know; the profile and device are there for {@code status}. {@code Obtained} (when the session was asked for)
 * lets the refresh policy know the session's length; {@code RetryAfter}, written after a renewal failed, makes
 * every process back off, not only the one that failed. {@code RenewAt} is written for earlier versions, which
 * require it, and not read. The base profile's secret key is not part of the format, so it cannot be written.
 *
 * <pre>
 * {"Version":1,"Profile":"dev","MfaSerial":"arn:aws:iam::123456789012:mfa/me","AccessKeyId":"ASIA...",
 *  "SecretAccessKey":"...","SessionToken":"...","Expiration":"2030-01-01T12:00:00Z","RenewAt":"2030-01-01T11:55:00Z",
 *  "Obtained":"2030-01-01T00:00:00Z","RetryAfter":"2030-01-01T11:59:00Z"}
 * </pre>
 *
 * <p>A role session's file also has {@code "RoleArn"} and {@code "BaseAccessKeyId"}, the IAM user's long-term
 * access key id its chain starts with, so that a role session of other keys is not used.
 */
final class SessionFile {

    static final int VERSION = 1;
    /** Far more than any session needs; a bigger file is not ours. */
    static final int MAX_BYTES = 64 * 1024;

    static final String VERSION_FIELD = "Version";
    static final String PROFILE = "Profile";
    static final String MFA_SERIAL = "MfaSerial";
    static final String ACCESS_KEY_ID = "AccessKeyId";
    static final String SECRET_ACCESS_KEY = "SecretAccessKey";
    static final String SESSION_TOKEN = "SessionToken";
    static final String EXPIRATION = "Expiration";
    static final String RENEW_AT = "RenewAt";
    static final String OBTAINED = "Obtained";
    static final String RETRY_AFTER = "RetryAfter";
    static final String ROLE_ARN = "RoleArn";
    static final String BASE_ACCESS_KEY_ID = "BaseAccessKeyId";
    /** The renew time earlier versions read: their default margin before the expiration. */
    private static final Duration EARLIER_VERSIONS_MARGIN = Duration.ofMinutes(5);

    // Parser messages can quote the text they failed on, which may be a secret: they are never shown.
    private static final JsonNodeParser PARSER = JsonNode.parserBuilder().removeErrorLocations(true).build();

    private final String profile;
    private final String mfaSerial;
    private final String roleArn;
    private final String baseAccessKeyId;
    private final Session session;

    private SessionFile(String profile, String mfaSerial, String roleArn, String baseAccessKeyId, Session session) {
        this.profile = profile;
        this.mfaSerial = mfaSerial;
        this.roleArn = roleArn;
        this.baseAccessKeyId = baseAccessKeyId;
        this.session = session;
    }

    /** The file's bytes for a session. */
    static byte[] write(SessionKey key, Session session) {
        AwsSessionCredentials credentials = session.credentials();
        JsonWriter json = JsonWriter.create();
        json.writeStartObject();
        json.writeFieldName(VERSION_FIELD).writeValue(VERSION);
        json.writeFieldName(PROFILE).writeValue(key.profile());
        json.writeFieldName(MFA_SERIAL).writeValue(key.mfaSerial());
        if (key.roleArn().isPresent()) {
            json.writeFieldName(ROLE_ARN).writeValue(key.roleArn().get());
            json.writeFieldName(BASE_ACCESS_KEY_ID).writeValue(key.accessKeyId());
        }
        json.writeFieldName(ACCESS_KEY_ID).writeValue(credentials.accessKeyId());
        json.writeFieldName(SECRET_ACCESS_KEY).writeValue(credentials.secretAccessKey());
        json.writeFieldName(SESSION_TOKEN).writeValue(credentials.sessionToken());
        json.writeFieldName(EXPIRATION).writeValue(session.expiration().toString());
        json.writeFieldName(RENEW_AT).writeValue(session.expiration().minus(EARLIER_VERSIONS_MARGIN).toString());
        session.obtained().ifPresent(obtained -> json.writeFieldName(OBTAINED).writeValue(obtained.toString()));
        session.retryAfter().ifPresent(retryAfter -> json.writeFieldName(RETRY_AFTER).writeValue(retryAfter.toString()));
        json.writeEndObject();
        return json.getBytes();
    }

    /**
     * Reads a file's bytes.
     *
     * @throws RejectedFile when they are not a complete session in this format version
     */
    static SessionFile read(byte[] bytes) throws RejectedFile {
        JsonNode root;
        try {
            root = PARSER.parse(bytes);
        } catch (RuntimeException e) {
            throw new RejectedFile("is not valid JSON (corrupt or cut short)");
        }
        if (root == null || !root.isObject()) {
            throw new RejectedFile("does not hold a JSON object");
        }
        Map<String, JsonNode> fields = root.asObject();
        JsonNode version = fields.get(VERSION_FIELD);
        if (version == null || !version.isNumber() || !String.valueOf(VERSION).equals(version.asNumber())) {
            throw new RejectedFile("is not in cache format version " + VERSION);
        }
        Instant expiration = instant(fields, EXPIRATION);
        AwsSessionCredentials credentials = AwsSessionCredentials.builder()
                                                                 .accessKeyId(text(fields, ACCESS_KEY_ID))
                                                                 .secretAccessKey(text(fields, SECRET_ACCESS_KEY))
                                                                 .sessionToken(text(fields, SESSION_TOKEN))
                                                                 .expirationTime(expiration)
                                                                 .providerName(Session.PROVIDER_NAME)
                                                                 .build();
        String roleArn = fields.containsKey(ROLE_ARN) ? text(fields, ROLE_ARN) : null;
        // Files of earlier versions name the session that assumed the role instead: not used, a new role session costs no code.
        String baseAccessKeyId = roleArn != null && fields.containsKey(BASE_ACCESS_KEY_ID) ? text(fields, BASE_ACCESS_KEY_ID) : null;
        Session session = new Session(credentials, optionalInstant(fields, OBTAINED));
        Instant retryAfter = optionalInstant(fields, RETRY_AFTER);
        return new SessionFile(text(fields, PROFILE), text(fields, MFA_SERIAL), roleArn, baseAccessKeyId,
                               retryAfter == null ? session : session.retryAfter(retryAfter));
    }

    private static Instant optionalInstant(Map<String, JsonNode> fields, String name) throws RejectedFile {
        return fields.containsKey(name) ? instant(fields, name) : null;
    }

    private static String text(Map<String, JsonNode> fields, String name) throws RejectedFile {
        JsonNode node = fields.get(name);
        if (node == null || !node.isString() || node.asString().isEmpty()) {
            throw new RejectedFile("has no " + name);
        }
        return node.asString();
    }

    private static Instant instant(Map<String, JsonNode> fields, String name) throws RejectedFile {
        try {
            return Instant.parse(text(fields, name));
        } catch (DateTimeParseException e) {
            throw new RejectedFile("has a malformed " + name);
        }
    }

    /** Whether the file was written for this key's profile, device and role: a file renamed to another key's name is not used. */
    boolean belongsTo(SessionKey key) {
        return profile.equals(key.profile()) && mfaSerial.equals(key.mfaSerial()) && Objects.equals(roleArn, key.roleArn().orElse(null));
    }

    /** For a role session, whether its chain starts with the key's long-term keys; an MFA session's key is checked by the file name. */
    boolean madeWith(SessionKey key) {
        return roleArn == null || key.accessKeyId().equals(baseAccessKeyId);
    }

    String profile() {
        return profile;
    }

    String mfaSerial() {
        return mfaSerial;
    }

    Optional<String> roleArn() {
        return Optional.ofNullable(roleArn);
    }

    Session session() {
        return session;
    }
}
