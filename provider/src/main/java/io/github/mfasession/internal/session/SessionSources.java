package io.github.mfasession.internal.session;

import io.github.mfasession.MfaCodeSupplier;
import io.github.mfasession.internal.settings.ProfileChain;
import io.github.mfasession.internal.settings.RoleSettings;
import io.github.mfasession.internal.settings.Settings;
import java.time.Clock;
import java.util.function.Function;

/** The session source of a profile: its MFA session, or for a role profile the last of the roles its chain assumes. */
public final class SessionSources {

    private SessionSources() {
    }

    /**
     * The source for the chain's last profile. The MFA session's source is exactly the one its base profile has
     * on its own (same key, store and file), so a role profile and its source profile share one prompt. Each role
     * gets a refresher of its own for the session it is assumed with: the refresh policy applied once per link.
     */
    public static SessionSource forChain(ProfileChain chain, Function<Settings, MfaCodeSupplier> supplierChoice, Clock clock) {
        Settings mfaSession = chain.mfaSession();
        SessionStore store = SessionStores.forSettings(mfaSession, clock);
        SessionSource source = new MfaSessionSource(mfaSession, supplierChoice, store, clock);
        for (RoleSettings role : chain.roles()) {
            SessionSource assumedWith = source;
            source = new RoleSessionSource(role, new SessionRefresher(() -> assumedWith, clock), mfaSession.mfaSerial(),
                                           store, mfaSession.refreshBefore(), clock);
        }
        return source;
    }
}
