package io.github.mfasession.testkit;

import io.github.mfasession.testkit.Directory.Caller;
import io.github.mfasession.testkit.Directory.IssuedSession;
import io.github.mfasession.testkit.Directory.Role;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** GetSessionToken, AssumeRole and GetCallerIdentity for an authenticated caller, with STS's limits and wording. */
final class StsOperations {

    static final int MIN_DURATION_SECONDS = 900;
    static final int MAX_DURATION_SECONDS = 129_600;
    static final int DEFAULT_DURATION_SECONDS = 43_200;
    /** Sessions of an account's root user: at most an hour, and an hour by default. */
    static final int ROOT_MAX_DURATION_SECONDS = 3_600;
    /**
     * AssumeRole's limits for DurationSeconds: 900 to 43200 seconds, one hour by default (STS API Reference,
     * AssumeRole, "DurationSeconds"). A role's own maximum session duration (IAM's MaxSessionDuration) is one to
     * twelve hours, one hour by default (IAM User Guide, "Update the maximum session duration for a role").
     */
    static final int ROLE_MAX_DURATION_SECONDS = 43_200;
    static final int ROLE_DEFAULT_DURATION_SECONDS = 3_600;
    static final int ROLE_MIN_MAX_SESSION_SECONDS = 3_600;
    static final int ROLE_DEFAULT_MAX_SESSION_SECONDS = 3_600;
    /**
     * Role chaining: a role assumed with temporary credentials (a role's session, or GetSessionToken's, as MFA users
     * have) gets at most an hour, whatever its maximum session duration (STS API Reference, AssumeRole,
     * "DurationSeconds"; IAM User Guide, "Roles terms and concepts", role chaining; AWS Knowledge Center,
     * iam-role-chaining-limit).
     */
    static final int CHAINED_ROLE_MAX_DURATION_SECONDS = 3_600;

    private static final int MIN_SERIAL_LENGTH = 9;
    private static final int MAX_SERIAL_LENGTH = 256;
    private static final String SERIAL_PATTERN = "[\\w+=/:,.@-]*";
    private static final String TOKEN_CODE_PATTERN = "[\\d]*";
    private static final int TOKEN_CODE_LENGTH = 6;
    private static final int MIN_ROLE_ARN_LENGTH = 20;
    private static final int MAX_ROLE_ARN_LENGTH = 2048;
    private static final String ROLE_SESSION_NAME_PATTERN = "[\\w+=,.@-]*";
    private static final int MIN_ROLE_SESSION_NAME_LENGTH = 2;
    private static final int MAX_ROLE_SESSION_NAME_LENGTH = 64;
    private static final String EXTERNAL_ID_PATTERN = "[\\w+=,.@:\\/-]*";
    private static final int MIN_EXTERNAL_ID_LENGTH = 2;
    private static final int MAX_EXTERNAL_ID_LENGTH = 1224;

    private final Directory directory;
    private final Clock clock;

    StsOperations(Directory directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    Reply getSessionToken(Caller caller, StsRequest request, String requestId) {
        if (caller.isSession()) {
            throw StsError.accessDenied("Cannot call GetSessionToken with session credentials");
        }
        String duration = request.param("DurationSeconds");
        String serialNumber = request.param("SerialNumber");
        String tokenCode = request.param("TokenCode");
        List<String> problems = new ArrayList<>();
        validateDuration(duration, MAX_DURATION_SECONDS, problems);
        validateMfa(serialNumber, tokenCode, problems);
        throwIfAny(problems);
        boolean mfa = checkMfa(caller.user, serialNumber, tokenCode);

        int seconds = duration == null ? defaultDuration(caller.user) : Integer.parseInt(duration);
        if (caller.user.isRoot()) {
            seconds = Math.min(seconds, ROOT_MAX_DURATION_SECONDS);
        }
        IssuedSession session = directory.issueSession(caller.user, mfa, expiration(seconds));
        return Reply.ok(StsXml.sessionToken(session.accessKeyId, session.secretAccessKey, session.sessionToken,
                                            session.expiration, requestId));
    }

    /**
     * A role session for any identity of the account: long-term keys, a session, or another role's session. A
     * role that requires MFA refuses a caller without it, unless the request itself brings a device's code; a role
     * session keeps the MFA context of its caller. A role with an external id refuses a request without that id.
     * The session lasts at most the role's maximum session duration, and at most an hour when the caller signs
     * with temporary credentials (role chaining).
     */
    Reply assumeRole(Caller caller, StsRequest request, String requestId) {
        String roleArn = request.param("RoleArn");
        String roleSessionName = request.param("RoleSessionName");
        String duration = request.param("DurationSeconds");
        String externalId = request.param("ExternalId");
        String serialNumber = request.param("SerialNumber");
        String tokenCode = request.param("TokenCode");
        List<String> problems = new ArrayList<>();
        validateRoleArn(roleArn, problems);
        validateRoleSessionName(roleSessionName, problems);
        validateDuration(duration, ROLE_MAX_DURATION_SECONDS, problems);
        validateExternalId(externalId, problems);
        validateMfa(serialNumber, tokenCode, problems);
        throwIfAny(problems);

        if (caller.user.isRoot() && !caller.isRoleSession()) {
            throw StsError.accessDenied("Roles may not be assumed by root accounts.");
        }
        Role role = directory.role(roleArn);
        boolean codeAccepted = checkMfa(caller.user, serialNumber, tokenCode);
        boolean mfa = caller.hasMfa() || codeAccepted;
        // The trust policy: its aws:MultiFactorAuthPresent and sts:ExternalId conditions (IAM User Guide, "How to use
        // an external ID when granting access to your AWS resources to a third party").
        if (role == null || (role.requireMfa && !mfa) || !role.acceptsExternalId(externalId)) {
            // AWS words an unknown role and a refused trust policy alike, so that neither reveals which roles exist.
            throw StsError.accessDenied("User: " + caller.arn() + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn);
        }
        int seconds = duration == null ? ROLE_DEFAULT_DURATION_SECONDS : Integer.parseInt(duration);
        if (caller.isSession() && seconds > CHAINED_ROLE_MAX_DURATION_SECONDS) {
            throw new StsError(400, "ValidationError",
                               "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
        }
        if (seconds > role.maxSessionSeconds) {
            throw new StsError(400, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
        IssuedSession session = directory.issueRoleSession(caller.user, role, roleSessionName, mfa, expiration(seconds));
        return Reply.ok(StsXml.assumeRole(session.accessKeyId, session.secretAccessKey, session.sessionToken, session.expiration,
                                          session.userId(), session.arn(), requestId));
    }

    Reply getCallerIdentity(Caller caller, String requestId) {
        return Reply.ok(StsXml.callerIdentity(caller.arn(), caller.userId(), caller.user.accountId(), requestId));
    }

    private Instant expiration(int seconds) {
        return clock.instant().plusSeconds(seconds).truncatedTo(ChronoUnit.MILLIS);
    }

    private static int defaultDuration(IamUser user) {
        return user.isRoot() ? ROOT_MAX_DURATION_SECONDS : DEFAULT_DURATION_SECONDS;
    }

    // The request's shape is checked before its meaning; every violation is reported at once, as AWS does.

    private static void throwIfAny(List<String> problems) {
        if (!problems.isEmpty()) {
            throw StsError.validation(problems);
        }
    }

    private static void validateMfa(String serialNumber, String tokenCode, List<String> problems) {
        if (serialNumber != null) {
            String at = "Value '" + serialNumber + "' at 'serialNumber' failed to satisfy constraint: Member must ";
            checkLength(serialNumber.length(), MIN_SERIAL_LENGTH, MAX_SERIAL_LENGTH, at, problems);
            checkPattern(serialNumber, SERIAL_PATTERN, at, problems);
        }
        if (tokenCode != null) {
            // AWS leaves the value of a code out of its messages.
            String at = "Value at 'tokenCode' failed to satisfy constraint: Member must ";
            checkLength(tokenCode.length(), TOKEN_CODE_LENGTH, TOKEN_CODE_LENGTH, at, problems);
            checkPattern(tokenCode, TOKEN_CODE_PATTERN, at, problems);
        }
    }

    private static void validateRoleArn(String roleArn, List<String> problems) {
        if (roleArn == null) {
            problems.add("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
            return;
        }
        String at = "Value '" + roleArn + "' at 'roleArn' failed to satisfy constraint: Member must ";
        checkLength(roleArn.length(), MIN_ROLE_ARN_LENGTH, MAX_ROLE_ARN_LENGTH, at, problems);
    }

    private static void validateRoleSessionName(String roleSessionName, List<String> problems) {
        if (roleSessionName == null) {
            problems.add("Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
            return;
        }
        String at = "Value '" + roleSessionName + "' at 'roleSessionName' failed to satisfy constraint: Member must ";
        checkLength(roleSessionName.length(), MIN_ROLE_SESSION_NAME_LENGTH, MAX_ROLE_SESSION_NAME_LENGTH, at, problems);
        checkPattern(roleSessionName, ROLE_SESSION_NAME_PATTERN, at, problems);
    }

    private static void validateExternalId(String externalId, List<String> problems) {
        if (externalId == null) {
            return;
        }
        String at = "Value '" + externalId + "' at 'externalId' failed to satisfy constraint: Member must ";
        checkLength(externalId.length(), MIN_EXTERNAL_ID_LENGTH, MAX_EXTERNAL_ID_LENGTH, at, problems);
        checkPattern(externalId, EXTERNAL_ID_PATTERN, at, problems);
    }

    private static void validateDuration(String duration, int max, List<String> problems) {
        if (duration == null) {
            return;
        }
        String at = "Value '" + duration + "' at 'durationSeconds' failed to satisfy constraint: Member must ";
        int seconds;
        try {
            seconds = Integer.parseInt(duration);
        } catch (NumberFormatException e) {
            problems.add(at + "be an integer");
            return;
        }
        if (seconds < MIN_DURATION_SECONDS) {
            problems.add(at + "have value greater than or equal to " + MIN_DURATION_SECONDS);
        } else if (seconds > max) {
            problems.add(at + "have value less than or equal to " + max);
        }
    }

    private static void checkLength(int length, int min, int max, String at, List<String> problems) {
        if (length < min) {
            problems.add(at + "have length greater than or equal to " + min);
        } else if (length > max) {
            problems.add(at + "have length less than or equal to " + max);
        }
    }

    private static void checkPattern(String value, String pattern, String at, List<String> problems) {
        if (!Pattern.matches(pattern, value)) {
            problems.add(at + "satisfy regular expression pattern: " + pattern);
        }
    }

    /**
     * No serial and no code asks for a session without MFA, which STS allows: {@code false}. Otherwise the device
     * must be the caller's and the code one it has not accepted before: {@code true}, or AccessDenied.
     */
    private boolean checkMfa(IamUser user, String serialNumber, String tokenCode) {
        if (serialNumber == null && tokenCode == null) {
            return false;
        }
        VirtualMfaDevice device = serialNumber == null ? null : directory.device(serialNumber);
        if (device == null || device.user() != user) {
            throw StsError.accessDenied(StsError.MFA_UNKNOWN_DEVICE);
        }
        if (tokenCode == null || !device.accept(tokenCode, Totp.step(clock.instant()))) {
            throw StsError.accessDenied(StsError.MFA_INVALID_CODE);
        }
        return true;
    }
}
