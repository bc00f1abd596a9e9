package io.github.mfasession.internal.cli;

import io.github.mfasession.internal.settings.Setting;
import io.github.mfasession.internal.settings.SettingSources;
import io.github.mfasession.internal.settings.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;

/** The cache folder the commands look in: the profile's {@code mfa_cache_dir} when a profile is named, else the usual settings. */
final class CacheFolders {

    private CacheFolders() {
    }

    static Path forOptions(Options options) {
        Optional<String> profileName = options.get("profile");
        SettingSources sources = SettingSources.of(profileName.map(p -> Map.of(Setting.PROFILE.key(), p)).orElse(Map.of()));
        Optional<Profile> profile = Optional.empty();
        if (profileName.isPresent()) {
            try {
                profile = ProfileFile.defaultProfileFile().profile(profileName.get());
            } catch (RuntimeException e) {
                // An unreadable config file still leaves the environment's or the default folder to look in.
                profile = Optional.empty();
            }
        }
        return Settings.cacheDirectory(sources, profile);
    }
}
