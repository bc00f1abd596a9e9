package io.github.mfasession.testkit;

import io.github.mfasession.testkit.Directory.Caller;
import io.github.mfasession.testkit.Directory.IssuedSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * Authenticates a request as AWS does: finds the signer's keys, checks the clock skew, the credential scope's
 * service and the session token, then computes the request's SigV4 signature with the signer's secret and
 * compares it with the one sent, in constant time.
 */
final class SigV4Verifier {

    /** How far a request's X-Amz-Date may be from the server's clock, as AWS allows. */
    static final Duration DEFAULT_MAX_SKEW = Duration.ofMinutes(15);

    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final String TERMINATOR = "aws4_request";
    private static final DateTimeFormatter AMZ_DATE =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Directory directory;
    private final Clock clock;
    private final Duration maxSkew;

    SigV4Verifier(Directory directory, Clock clock, Duration maxSkew) {
        this.directory = directory;
        this.clock = clock;
        this.maxSkew = maxSkew;
    }

    /** The access key id a request claims to be signed with, for the record; {@code null} if it is not signed. */
    static String claimedAccessKeyId(StsRequest request) {
        String authorization = request.header("Authorization");
        if (authorization == null) {
            return null;
        }
        String credential = authorizationParts(authorization).get("Credential");
        return credential == null ? null : credential.split("/", 2)[0];
    }

    /**
     * Who signed the request, or the error AWS answers when the request is not authentic.
     *
     * @param service the signing name the request's credential scope must name, such as {@code sts}
     */
    Caller verify(StsRequest request, String service) {
        String authorization = request.header("Authorization");
        if (authorization == null) {
            throw StsError.missingAuthenticationToken();
        }
        if (!authorization.startsWith(ALGORITHM + " ")) {
            throw StsError.incompleteSignature("Unsupported AWS 'algorithm': the Authorization header must use " + ALGORITHM + ".");
        }
        Map<String, String> parts = authorizationParts(authorization);
        for (String required : new String[] {"Credential", "SignedHeaders", "Signature"}) {
            if (parts.get(required) == null) {
                throw StsError.incompleteSignature("Authorization header requires '" + required + "' parameter.");
            }
        }
        String[] scope = parts.get("Credential").split("/", -1);
        if (scope.length != 5) {
            throw StsError.incompleteSignature("Credential must have exactly 5 slash-delimited elements, "
                                               + "e.g. keyid/date/region/service/term.");
        }
        Caller caller = caller(scope[0]);
        Instant signedAt = signedAt(request);
        checkSkew(signedAt);
        checkScope(scope, signedAt, service);
        checkSessionToken(caller, request.header("X-Amz-Security-Token"));

        String secret = caller.isSession() ? caller.session.secretAccessKey : caller.user.secretAccessKey();
        String expected = SigV4Signature.of(request, parts.get("SignedHeaders"), scope, request.header("X-Amz-Date"), secret);
        if (expected == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                                                       parts.get("Signature").getBytes(StandardCharsets.US_ASCII))) {
            throw StsError.signatureDoesNotMatch();
        }
        return caller;
    }

    private Caller caller(String accessKeyId) {
        IamUser user = directory.userWithKey(accessKeyId);
        if (user != null) {
            return new Caller(user, null);
        }
        IssuedSession session = directory.session(accessKeyId);
        if (session != null) {
            return new Caller(session.user, session);
        }
        throw StsError.invalidClientTokenId();
    }

    private static Instant signedAt(StsRequest request) {
        String amzDate = request.header("X-Amz-Date");
        if (amzDate == null) {
            throw StsError.incompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        try {
            return Instant.from(AMZ_DATE.parse(amzDate));
        } catch (DateTimeParseException e) {
            throw StsError.incompleteSignature("X-Amz-Date must be in ISO-8601 basic format, such as 20110909T233600Z.");
        }
    }

    private void checkSkew(Instant signedAt) {
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(maxSkew))) {
            throw StsError.signatureDoesNotMatch("Signature expired: " + AMZ_DATE.format(signedAt) + " is now earlier than "
                                                 + AMZ_DATE.format(now.minus(maxSkew)) + " (" + AMZ_DATE.format(now)
                                                 + " - " + maxSkew.toMinutes() + " min.)");
        }
        if (signedAt.isAfter(now.plus(maxSkew))) {
            throw StsError.signatureDoesNotMatch("Signature not yet current: " + AMZ_DATE.format(signedAt) + " is still later than "
                                                 + AMZ_DATE.format(now.plus(maxSkew)) + " (" + AMZ_DATE.format(now)
                                                 + " + " + maxSkew.toMinutes() + " min.)");
        }
    }

    private static void checkScope(String[] scope, Instant signedAt, String service) {
        String date = AMZ_DATE.format(signedAt).substring(0, 8);
        if (!scope[1].equals(date)) {
            throw StsError.signatureDoesNotMatch("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                                                 + scope[1] + "' != '" + date + "', from '" + AMZ_DATE.format(signedAt) + "'.");
        }
        if (!service.equals(scope[3])) {
            throw StsError.signatureDoesNotMatch("Credential should be scoped to correct service: '" + service + "'. ");
        }
        if (!TERMINATOR.equals(scope[4])) {
            throw StsError.signatureDoesNotMatch("Credential should be scoped with a valid terminator: '" + TERMINATOR
                                                 + "', not '" + scope[4] + "'.");
        }
    }

    /** A session key needs its own token; a long-term key must come without one. */
    private void checkSessionToken(Caller caller, String token) {
        if (!caller.isSession()) {
            if (token != null) {
                throw StsError.invalidClientTokenId();
            }
            return;
        }
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                                                    caller.session.sessionToken.getBytes(StandardCharsets.UTF_8))) {
            throw StsError.invalidClientTokenId();
        }
        if (!clock.instant().isBefore(caller.session.expiration)) {
            throw StsError.expiredToken();
        }
    }

    /** {@code AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...} as a map. */
    private static Map<String, String> authorizationParts(String authorization) {
        Map<String, String> parts = new HashMap<>();
        int space = authorization.indexOf(' ');
        for (String part : authorization.substring(space + 1).split(",")) {
            int equals = part.indexOf('=');
            if (equals > 0) {
                parts.put(part.substring(0, equals).trim(), part.substring(equals + 1).trim());
            }
        }
        return parts;
    }
}
