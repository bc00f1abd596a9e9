package io.github.mfasession.testkit;

import io.github.mfasession.testkit.Directory.Caller;
import io.github.mfasession.testkit.Directory.IssuedSession;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** GetSessionToken and GetCallerIdentity for an authenticated caller, with STS's limits and wording. */
final class StsOperations {

    static final int MIN_DURATION_SECONDS = 900;
    static final int MAX_DURATION_SECONDS = 129_600;
    static final int DEFAULT_DURATION_SECONDS = 43_200;
    /** Sessions of an account's root user: at most an hour, and an hour by default. */
    static final int ROOT_MAX_DURATION_SECONDS = 3_600;

    private static final int MIN_SERIAL_LENGTH = 9;
    private static final int MAX_SERIAL_LENGTH = 256;
    private static final String SERIAL_PATTERN = "[\\w+=/:,.@-]*";
    private static final String TOKEN_CODE_PATTERN = "[\\d]*";
    private static final int TOKEN_CODE_LENGTH = 6;

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
        validate(duration, serialNumber, tokenCode);
        boolean multiFactorAuthenticated = checkMfa(caller.user, serialNumber, tokenCode);

        int seconds = duration == null ? defaultDuration(caller.user) : Integer.parseInt(duration);
        if (caller.user.isRoot()) {
            seconds = Math.min(seconds, ROOT_MAX_DURATION_SECONDS);
        }
        Instant expiration = clock.instant().plusSeconds(seconds).truncatedTo(ChronoUnit.MILLIS);
        IssuedSession session = directory.issueSession(caller.user, expiration, multiFactorAuthenticated);
        return Reply.ok(StsXml.sessionToken(session.accessKeyId, session.secretAccessKey, session.sessionToken,
                                            session.expiration, requestId));
    }

    Reply getCallerIdentity(Caller caller, String requestId) {
        return Reply.ok(StsXml.callerIdentity(caller.user.arn(), caller.user.userId(), caller.user.accountId(), requestId));
    }

    private static int defaultDuration(IamUser user) {
        return user.isRoot() ? ROOT_MAX_DURATION_SECONDS : DEFAULT_DURATION_SECONDS;
    }

    /** The request's shape, checked before its meaning; every violation is reported at once, as AWS does. */
    private static void validate(String duration, String serialNumber, String tokenCode) {
        List<String> problems = new ArrayList<>();
        if (duration != null) {
            checkDuration(duration, problems);
        }
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
        if (!problems.isEmpty()) {
            throw StsError.validation(problems);
        }
    }

    private static void checkDuration(String duration, List<String> problems) {
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
        } else if (seconds > MAX_DURATION_SECONDS) {
            problems.add(at + "have value less than or equal to " + MAX_DURATION_SECONDS);
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
     * No serial and no code asks for a session without MFA, which STS allows. Otherwise the device must be
     * the caller's and the code one it has not accepted before. Returns whether a code was checked.
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
