package io.github.mfasession.internal.session;

import io.github.mfasession.internal.settings.RoleSettings;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Sessions of a role profile: AssumeRole with the session of its source profile, which a refresher of its
 * own keeps (the MFA session, or the previous role's session in a chain). That refresher is asked first, so
 * renewing a role session reuses a fresh source session, and a code is asked for only when the MFA session
 * needs renewal too. The key names the source session, so a new source session never gets role credentials
 * assumed with an earlier one.
 */
final class RoleSessionSource implements SessionSource {

    private final RoleSettings role;
    private final SessionRefresher sourceSession;
    private final String mfaSerial;
    private final SessionStore store;
    private final Duration refreshBefore;
    private final AssumeRoleFetcher fetcher;

    /**
     * @param mfaSerial     the device of the MFA session the chain starts with, recorded with the session
     * @param store         where the chain's sessions are kept
     * @param refreshBefore the chain's renew margin
     */
    RoleSessionSource(RoleSettings role, SessionRefresher sourceSession, String mfaSerial, SessionStore store,
                      Duration refreshBefore, Clock clock) {
        this.role = role;
        this.sourceSession = sourceSession;
        this.mfaSerial = mfaSerial;
        this.store = store;
        this.refreshBefore = refreshBefore;
        this.fetcher = new AssumeRoleFetcher(role, clock);
    }

    @Override
    public String profileName() {
        return role.profileName();
    }

    @Override
    public SessionStore store() {
        return store;
    }

    @Override
    public Duration refreshBefore() {
        return refreshBefore;
    }

    @Override
    public SessionRequest request() {
        AwsSessionCredentials source = sourceSession.resolve();
        SessionKey key = SessionKey.forRole(role.profileName(), role.roleArn(), mfaSerial, source.accessKeyId());
        return new SessionRequest(key, "role session for profile " + role.profileName() + " (role " + role.roleArn() + ")",
                                  () -> fetcher.assumeRole(source));
    }

    @Override
    public void close() {
        fetcher.close();
        sourceSession.close();
    }
}
