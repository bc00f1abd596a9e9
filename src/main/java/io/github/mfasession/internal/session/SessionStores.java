package io.github.mfasession.internal.session;

import io.github.mfasession.internal.settings.Settings;

/** The store a provider's settings ask for. */
public final class SessionStores {

    private SessionStores() {
    }

    public static SessionStore forSettings(Settings settings) {
        return MemorySessionStore.instance();
    }
}
