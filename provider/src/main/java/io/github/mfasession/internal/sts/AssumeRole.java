package io.github.mfasession.internal.sts;

import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.session.Session;
import io.github.mfasession.internal.settings.RoleSettings;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * STS AssumeRole: a role profile's session, signed with the session of its source profile. No SerialNumber or
 * TokenCode is sent: the MFA session the chain starts with already carries the MFA context that a role's trust
 * policy asks for, which is what lets one code serve every role. Knows nothing of caching: every call is a new
 * session.
 */
public final class AssumeRole implements SdkAutoCloseable {

    /**
     * The default RoleSessionName is this and the epoch second, the shape of the AWS CLI's
     * {@code botocore-session-<epoch seconds>}, so CloudTrail shows which tool assumed the role.
     */
    static final String DEFAULT_SESSION_NAME_PREFIX = "mfa-session-";

    private static final Logger log = LoggerFactory.getLogger(AssumeRole.class);

    private final RoleSettings role;
    private final Clock clock;
    private StsClient sts;

    public AssumeRole(RoleSettings role, Clock clock) {
        this.role = role;
        this.clock = clock;
    }

    /** A new session of the role, assumed with the source session. */
    public Session assume(AwsSessionCredentials source) {
        String sessionName = role.roleSessionName().orElseGet(() -> DEFAULT_SESSION_NAME_PREFIX + clock.instant().getEpochSecond());
        log.debug("Calling STS AssumeRole for profile {} with role {} as {} in {}", role.profileName(), role.roleArn(), sessionName, role.region());
        Instant sentAt = clock.instant();
        Credentials credentials;
        try {
            credentials = sts().assumeRole(r -> r.roleArn(role.roleArn())
                                                 .roleSessionName(sessionName)
                                                 .durationSeconds((int) role.sessionDuration().getSeconds())
                                                 .externalId(role.externalId().orElse(null))
                                                 .overrideConfiguration(o -> o.credentialsProvider(StaticCredentialsProvider.create(source))))
                               .credentials();
        } catch (StsException e) {
            throw explain(e);
        } catch (SdkClientException e) {
            throw StsAnswers.noAnswer(e, "AssumeRole", role.profileName(), sts(), null);
        }
        return StsAnswers.session(credentials, "AssumeRole", role.profileName(), sentAt, role.sessionDuration(), clock);
    }

    private MfaSessionException explain(StsException e) {
        String profile = "profile '" + role.profileName() + "'";
        String stsSays = StsAnswers.stsSays(e, null);
        switch (StsAnswers.errorCode(e)) {
            case "AccessDenied":
                return MfaSessionException.create(
                    "STS denied AssumeRole of " + role.roleArn() + " for " + profile + ": " + stsSays + ". Check role_arn, and that the role's"
                    + " trust policy allows the IAM user of source profile '" + role.sourceProfile() + "' with MFA and, if it asks for one,"
                    + " the external_id of the profile.", e);
            case "ValidationError":
                return MfaSessionException.create(
                    "STS refused AssumeRole for " + profile + " (ValidationError): " + stsSays + ". Check duration_seconds (at most the role's"
                    + " maximum session duration), role_session_name and external_id.", e);
            case "ExpiredToken":
                return MfaSessionException.create(
                    "STS says the session of profile '" + role.sourceProfile() + "' that assumes the role of " + profile
                    + " has expired (ExpiredToken). Check this computer's clock, then try again.", e);
            default:
                return StsAnswers.refused(e, "AssumeRole", role.profileName(), null);
        }
    }

    private synchronized StsClient sts() {
        if (sts == null) {
            // Every request carries the source session's credentials; the client itself has none.
            sts = StsClients.create(AnonymousCredentialsProvider.create(), role.region(), role.stsEndpoint(), role.profileFile(),
                                    role.profileName(), StsClients.Timeouts.DEFAULT);
        }
        return sts;
    }

    @Override
    public synchronized void close() {
        if (sts != null) {
            sts.close();
            sts = null;
        }
    }
}
