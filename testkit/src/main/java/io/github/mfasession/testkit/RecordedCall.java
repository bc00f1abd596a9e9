package io.github.mfasession.testkit;

import java.time.Instant;

/**
 * One request the {@link StsEmulator} received, as {@link StsEmulator#calls()} lists it. It holds what a
 * test asserts on and nothing secret: never a secret key, session token or MFA code.
 */
public final class RecordedCall {

    /** The {@link #outcome()} of a request answered as asked. */
    public static final String OK = "OK";
    /** The {@link #outcome()} of a request answered by {@link StsEmulator#respondNextWithRaw(int, int, String)}. */
    public static final String RAW = "RAW";

    private final Instant time;
    private final String action;
    private final String accessKeyId;
    private final Integer durationSeconds;
    private final String serialNumber;
    private final String roleArn;
    private final String roleSessionName;
    private final String externalId;
    private final String outcome;
    private final boolean multiFactorAuthPresent;

    RecordedCall(Instant time, String action, String accessKeyId, Integer durationSeconds, String serialNumber,
                 String roleArn, String roleSessionName, String externalId, String outcome, boolean multiFactorAuthPresent) {
        this.time = time;
        this.action = action;
        this.accessKeyId = accessKeyId;
        this.durationSeconds = durationSeconds;
        this.serialNumber = serialNumber;
        this.roleArn = roleArn;
        this.roleSessionName = roleSessionName;
        this.externalId = externalId;
        this.outcome = outcome;
        this.multiFactorAuthPresent = multiFactorAuthPresent;
    }

    /** When the request arrived, by the emulator's clock. */
    public Instant time() {
        return time;
    }

    /** The {@code Action} parameter, such as {@code GetSessionToken} or {@code GetClusterCredentials}; {@code null} if the request had none. */
    public String action() {
        return action;
    }

    /** The access key id the request was signed with; {@code null} if it was not signed. */
    public String accessKeyId() {
        return accessKeyId;
    }

    /** The {@code DurationSeconds} asked for; {@code null} if absent or not a number. */
    public Integer durationSeconds() {
        return durationSeconds;
    }

    /** The {@code SerialNumber} sent; {@code null} if absent. */
    public String serialNumber() {
        return serialNumber;
    }

    /** The {@code RoleArn} of an AssumeRole request; {@code null} if absent. */
    public String roleArn() {
        return roleArn;
    }

    /** The {@code RoleSessionName} of an AssumeRole request; {@code null} if absent. */
    public String roleSessionName() {
        return roleSessionName;
    }

    /** The {@code ExternalId} of an AssumeRole request (an identifier AWS does not treat as a secret); {@code null} if absent. */
    public String externalId() {
        return externalId;
    }

    /** {@link #OK}, {@link #RAW}, or the error code answered, such as {@code AccessDenied}. */
    public String outcome() {
        return outcome;
    }

    /** Whether the request was answered as asked: with a session, an identity, clusters or database credentials. */
    public boolean isOk() {
        return OK.equals(outcome);
    }

    /**
     * Whether the request was signed with a session that GetSessionToken issued after checking an MFA code: what
     * an IAM policy's {@code aws:MultiFactorAuthPresent} condition tests. False for long-term keys, for a session
     * issued without a code, and for a request whose signature was not checked or not accepted.
     */
    public boolean multiFactorAuthPresent() {
        return multiFactorAuthPresent;
    }

    @Override
    public String toString() {
        return "RecordedCall(" + action + ", accessKeyId=" + accessKeyId + ", durationSeconds=" + durationSeconds
               + ", serialNumber=" + serialNumber + ", roleArn=" + roleArn + ", roleSessionName=" + roleSessionName
               + ", externalId=" + externalId + ", outcome=" + outcome + ", multiFactorAuthPresent=" + multiFactorAuthPresent
               + ", time=" + time + ")";
    }
}
