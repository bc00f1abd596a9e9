package io.github.mfasession.internal.cli;

import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.refresh.RefreshPolicy;
import io.github.mfasession.internal.settings.ProfileChain;
import io.github.mfasession.internal.settings.ProfileFiles;
import io.github.mfasession.internal.settings.Setting;
import io.github.mfasession.internal.settings.SettingSources;
import io.github.mfasession.internal.settings.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * The cache folder {@code status} and {@code clear} look in, and what the profile files say of the sessions in it:
 * where the provider keeps the named profile's sessions (for a role profile, {@code mfa_cache_dir} may come from
 * its source profile), else the usual settings.
 */
final class CacheFolders {

    private static final Logger log = LoggerFactory.getLogger(CacheFolders.class);

    private final Path folder;
    private final Optional<String> profile;
    /** Empty when the profile files cannot be read: the folder is still looked in, without what they would add. */
    private final Optional<ProfileFile> files;

    private CacheFolders(Path folder, Optional<String> profile, Optional<ProfileFile> files) {
        this.folder = folder;
        this.profile = profile;
        this.files = files;
    }

    /**
     * The folder for the command's options.
     *
     * @param withoutProfile what the command does without {@code --profile}, for the error about a profile that is not there
     * @throws MfaSessionException naming the profile and the files looked in, when {@code --profile} names a
     *                             profile that is in neither
     */
    static CacheFolders forOptions(Options options, String withoutProfile) {
        Optional<String> profileName = options.get("profile");
        SettingSources sources = sources(profileName);
        Optional<ProfileFile> files;
        try {
            files = Optional.of(ProfileFiles.readDefault());
        } catch (RuntimeException e) {
            if (profileName.isPresent()) {
                log.warn("Cannot read the AWS config files to find profile '{}' ({}); looking in the cache folder the environment names.",
                         profileName.get(), e.getMessage());
            }
            files = Optional.empty();
        }
        if (profileName.isEmpty() || files.isEmpty()) {
            return new CacheFolders(Settings.cacheDirectory(sources, Optional.empty()), profileName, files);
        }
        ProfileFile read = files.get();
        Optional<Profile> profile = read.profile(profileName.get());
        if (profile.isEmpty()) {
            throw MfaSessionException.create(
                "Profile '" + profileName.get() + "' was not found in " + ProfileFiles.configurationFilePath() + " or "
                + ProfileFiles.credentialsFilePath() + ", so it has no cached sessions. Name a profile from those files, or leave"
                + " --profile out to " + withoutProfile + ".");
        }
        Path folder;
        try {
            folder = ProfileChain.resolve(sources, () -> read).mfaSession().cacheDirectory();
        } catch (RuntimeException e) {
            // A profile the provider could not use (no mfa_serial, a broken chain) still names its own folder.
            folder = Settings.cacheDirectory(sources, profile);
        }
        return new CacheFolders(folder, profileName, files);
    }

    private static SettingSources sources(Optional<String> profile) {
        return SettingSources.of(profile.map(p -> Map.of(Setting.PROFILE.key(), p)).orElse(Map.of()));
    }

    Path folder() {
        return folder;
    }

    /** The profile {@code --profile} named. */
    Optional<String> profile() {
        return profile;
    }

    /**
     * The refresh policy the provider judges the profile's sessions by: its chain's {@code mfa_refresh_before_seconds},
     * or the default where the profile is gone or cannot be used.
     */
    RefreshPolicy policyFor(String profileName) {
        return chain(profileName).map(chain -> new RefreshPolicy(chain.mfaSession().refreshBefore()))
                                 .orElseGet(() -> new RefreshPolicy(RefreshPolicy.DEFAULT_ADVISORY_WINDOW));
    }

    /** The profile whose MFA session a role profile's chain starts with; else its {@code source_profile}, if it has one. */
    Optional<String> mfaProfileOf(String roleProfile) {
        Optional<String> start = chain(roleProfile).map(chain -> chain.mfaSession().profileName());
        if (start.isPresent()) {
            return start;
        }
        return files.flatMap(f -> f.profile(roleProfile)).flatMap(p -> p.property(Setting.SOURCE.key()));
    }

    private Optional<ProfileChain> chain(String profileName) {
        if (files.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ProfileChain.resolve(sources(Optional.of(profileName)), files::get));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
