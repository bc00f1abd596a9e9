package io.github.mfasession.internal.cli;

import io.github.mfasession.internal.settings.ProfileChain;
import io.github.mfasession.internal.settings.ProfileFiles;
import io.github.mfasession.internal.settings.Setting;
import io.github.mfasession.internal.settings.SettingSources;
import io.github.mfasession.internal.settings.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * The cache folder the commands look in: where the provider keeps the named profile's sessions (for a role
 * profile, {@code mfa_cache_dir} may come from its source profile), else the usual settings.
 */
final class CacheFolders {

    private CacheFolders() {
    }

    static Path forOptions(Options options) {
        Optional<String> profileName = options.get("profile");
        SettingSources sources = SettingSources.of(profileName.map(p -> Map.of(Setting.PROFILE.key(), p)).orElse(Map.of()));
        Optional<Profile> profile = Optional.empty();
        if (profileName.isPresent()) {
            ProfileFile files;
            try {
                files = ProfileFiles.readDefault();
            } catch (RuntimeException e) {
                // An unreadable config file still leaves the environment's or the default folder to look in.
                return Settings.cacheDirectory(sources, Optional.empty());
            }
            try {
                return ProfileChain.resolve(sources, () -> files).mfaSession().cacheDirectory();
            } catch (RuntimeException e) {
                // A profile the provider could not use (no mfa_serial, a broken chain) still names its own folder.
                profile = files.profile(profileName.get());
            }
        }
        return Settings.cacheDirectory(sources, profile);
    }
}
