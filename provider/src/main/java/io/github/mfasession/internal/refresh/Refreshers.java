package io.github.mfasession.internal.refresh;

import io.github.mfasession.MfaCodeSupplier;
import io.github.mfasession.internal.cache.SessionCache;
import io.github.mfasession.internal.session.SessionKey;
import io.github.mfasession.internal.settings.ProfileChain;
import io.github.mfasession.internal.settings.RoleSettings;
import io.github.mfasession.internal.settings.Settings;
import io.github.mfasession.internal.sts.AssumeRole;
import io.github.mfasession.internal.sts.GetSessionToken;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** The refresher of a profile: its MFA session, or for a role profile the last of the roles its chain assumes. */
public final class Refreshers {

    private Refreshers() {
    }

    /**
     * The refresher of the chain's last profile; the chain is resolved on first use (and again after that fails).
     * The MFA session's link is exactly the one its base profile has on its own (same key, cache and file), so a
     * role profile and its source profile share one prompt. Each role has a refresher of its own for the session it
     * is assumed with: the refresh policy applied once per link. Every link of a chain is judged by the MFA
     * session's {@code mfa_refresh_before_seconds} and cached where it says.
     */
    public static Refresher forChain(Supplier<ProfileChain> chains, Function<Settings, MfaCodeSupplier> supplierChoice, Clock clock) {
        return new Refresher(() -> lastLink(chains.get(), supplierChoice, clock), clock);
    }

    private static Refresher.Link lastLink(ProfileChain chain, Function<Settings, MfaCodeSupplier> supplierChoice, Clock clock) {
        Settings mfa = chain.mfaSession();
        RefreshPolicy policy = new RefreshPolicy(mfa.refreshBefore());
        GetSessionToken getSessionToken = new GetSessionToken(mfa, clock);
        String accessKeyId;
        try {
            accessKeyId = getSessionToken.longTermAccessKeyId();
        } catch (RuntimeException e) {
            getSessionToken.close();
            throw e;
        }
        SessionKey mfaKey = new SessionKey(mfa.profileName(), accessKeyId, mfa.mfaSerial());
        Refresher.Link link = new Refresher.Link(cache(mfa, mfaKey), policy, () -> getSessionToken.fetch(supplierChoice.apply(mfa)),
                                                 "MFA session for profile " + mfa.profileName() + " (device " + mfa.mfaSerial() + ")",
                                                 getSessionToken);
        for (RoleSettings role : chain.roles()) {
            Refresher assumedWith = new Refresher(linkOf(link), clock);
            AssumeRole assumeRole = new AssumeRole(role, clock);
            SessionKey roleKey = SessionKey.forRole(role.profileName(), role.roleArn(), mfa.mfaSerial(), accessKeyId);
            link = new Refresher.Link(cache(mfa, roleKey), policy, () -> assumeRole.assume(assumedWith.resolve()),
                                      "role session for profile " + role.profileName() + " (role " + role.roleArn() + ")",
                                      () -> {
                                          assumeRole.close();
                                          assumedWith.close();
                                      });
        }
        return link;
    }

    private static Supplier<Refresher.Link> linkOf(Refresher.Link link) {
        return () -> link;
    }

    private static SessionCache cache(Settings mfa, SessionKey key) {
        Optional<Path> folder = mfa.cacheMode() == Settings.CacheMode.DISK ? Optional.of(mfa.cacheDirectory()) : Optional.empty();
        return SessionCache.of(key, folder);
    }
}
