package io.github.mfasession.internal.cli;

import io.github.mfasession.MfaSessionProvider;

/** Providers as the commands build them: from the options, with everything else from the usual settings. */
final class Providers {

    private Providers() {
    }

    static MfaSessionProvider forProfile(Options options) {
        MfaSessionProvider.Builder builder = MfaSessionProvider.builder();
        options.get("profile").ifPresent(builder::profileName);
        return builder.build();
    }
}
