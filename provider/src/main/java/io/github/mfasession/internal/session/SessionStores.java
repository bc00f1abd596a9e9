package io.github.mfasession.internal.session;

import io.github.mfasession.internal.cache.DiskSessionStore;
import io.github.mfasession.internal.cache.MemoryThenDiskStore;
import io.github.mfasession.internal.settings.Settings;
import java.time.Clock;

/** The store a provider's settings ask for. */
public final class SessionStores {

    private SessionStores() {
    }

    /**
     * {@code mfa_cache = memory}: this process only; {@code disk} (the default): memory, then the files in
     * {@code mfa_cache_dir}. The clock is the provider's, so the stores judge a session fresh as its refresher does.
     */
    public static SessionStore forSettings(Settings settings, Clock clock) {
        if (settings.cacheMode() == Settings.CacheMode.MEMORY) {
            return MemorySessionStore.instance();
        }
        DiskSessionStore disk = new DiskSessionStore(settings.cacheDirectory(), settings.refreshBefore(), DiskSessionStore.DEFAULT_LOCK_TIMEOUT, clock);
        return new MemoryThenDiskStore(MemorySessionStore.instance(), disk, clock);
    }
}
