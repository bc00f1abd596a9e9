package io.github.mfasession.internal.settings;

import io.github.mfasession.MfaSessionException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.utils.UserHomeDirectoryUtils;

/**
 * The settings of one MFA session, resolved and checked: everything that can be wrong with them is found
 * here, before any code is asked for or STS is called.
 *
 * <p>When the session is the source of role profiles ({@link ProfileChain}), a setting in those role
 * profiles applies to the whole chain, the profile the user named first: {@code mfa_serial} in the role
 * profile, as the AWS CLI writes it, names the device for this session. {@code duration_seconds} is the
 * exception: in a role profile it is the role's session length, so this session's comes from its own profile.
 */
public final class Settings {

    /** STS's limits for GetSessionToken. */
    public static final int MIN_DURATION_SECONDS = 900;
    public static final int MAX_DURATION_SECONDS = 129_600;
    /** STS's pattern and length for SerialNumber. */
    private static final Pattern SERIAL = Pattern.compile("[\\w+=/:,.@-]{9,256}");
    private static final Region FALLBACK_REGION = Region.US_EAST_1;

    public enum CacheMode { MEMORY, DISK }

    private final SettingSources sources;
    private final ProfileFile profileFile;
    private final Profile profile;
    /** The role profiles that lead to this one through source_profile, the one the user named first; empty when used directly. */
    private final List<Profile> roleProfiles;
    private final String mfaSerial;
    private final Duration sessionDuration;
    private final Duration refreshBefore;
    private final Optional<String> codeSupplier;
    private final CacheMode cacheMode;
    private final Path cacheDirectory;
    private final Optional<URI> stsEndpoint;

    private Settings(SettingSources sources, ProfileFile profileFile, Profile profile, List<Profile> roleProfiles) {
        this.sources = sources;
        this.profileFile = profileFile;
        this.profile = profile;
        this.roleProfiles = List.copyOf(roleProfiles);
        this.mfaSerial = resolveMfaSerial();
        this.sessionDuration = Duration.ofSeconds(
            seconds(Setting.DURATION, MIN_DURATION_SECONDS, MAX_DURATION_SECONDS,
                    "STS accepts 900 to 129600 seconds (15 minutes to 36 hours)"));
        this.refreshBefore = Duration.ofSeconds(
            seconds(Setting.REFRESH, 0, sessionDuration.getSeconds() - 1,
                    "it must be at least 0 and less than the session length of " + sessionDuration.getSeconds() + " seconds"));
        this.codeSupplier = find(Setting.SUPPLIER).map(SettingSources.Found::value);
        this.cacheMode = resolveCacheMode();
        this.cacheDirectory = resolveCacheDirectory();
        this.stsEndpoint = resolveStsEndpoint();
    }

    /**
     * Resolves the settings for the profile the sources name.
     *
     * @throws MfaSessionException naming the setting and where it came from, when one is missing or malformed
     */
    public static Settings resolve(SettingSources sources, Supplier<ProfileFile> profileFiles) {
        ProfileFile profileFile = load(profileFiles);
        return new Settings(sources, profileFile, namedProfile(sources, profileFile), List.of());
    }

    /**
     * The settings of the MFA session a chain of profiles starts from.
     *
     * @param roleProfiles the role profiles leading to {@code profile}, the one the user named first; empty when
     *                     the user named {@code profile} itself
     */
    static Settings forChain(SettingSources sources, ProfileFile profileFile, Profile profile, List<Profile> roleProfiles) {
        return new Settings(sources, profileFile, profile, roleProfiles);
    }

    /** The profile the sources name ({@code profile} argument, {@code aws.profile}, {@code AWS_PROFILE}, else {@code default}). */
    static Profile namedProfile(SettingSources sources, ProfileFile profileFile) {
        String profileName = sources.find(Setting.PROFILE, Optional.empty())
                                    .map(SettingSources.Found::value)
                                    .orElse(Setting.PROFILE.defaultValue().orElseThrow());
        return profileFile.profile(profileName).orElseThrow(() -> MfaSessionException.create(
            "Profile '" + profileName + "' was not found in " + ProfileFiles.configurationFilePath() + " or "
            + ProfileFiles.credentialsFilePath() + ". Add it there, or name an existing profile with AWS_PROFILE or the provider's profile argument."));
    }

    static ProfileFile load(Supplier<ProfileFile> profileFiles) {
        String files = "the AWS config files (" + ProfileFiles.configurationFilePath() + ", " + ProfileFiles.credentialsFilePath() + ")";
        ProfileFile profileFile;
        try {
            profileFile = profileFiles.get();
        } catch (MfaSessionException e) {
            // ProfileFiles names the one file and the line already.
            throw e;
        } catch (RuntimeException e) {
            Optional<IOException> readFailure = readFailure(e);
            if (readFailure.isPresent()) {
                throw MfaSessionException.create("Could not read " + files + ": " + withoutFullStop(readFailure.get().getMessage())
                                                 + ". Check that each file exists, is a file and can be read by this user.", e);
            }
            // The SDK's parser names a broken line by its number and never quotes it: the line may hold a secret key.
            throw MfaSessionException.create("Could not read " + files + ": " + withoutFullStop(e.getMessage()) + ". Fix the file and try again.", e);
        }
        if (profileFile == null) {
            throw MfaSessionException.create("The profile file supplier given to MfaSessionProvider.builder().profileFile(...) returned null:"
                                             + " return a ProfileFile, or leave profileFile out to read " + files + ".");
        }
        return profileFile;
    }

    /** The I/O error behind a failure to load the files, if that is what it was: the file is there but cannot be read. */
    private static Optional<IOException> readFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return Optional.of((IOException) t);
            }
        }
        return Optional.empty();
    }

    private static String withoutFullStop(String text) {
        String trimmed = String.valueOf(text).trim();
        return trimmed.endsWith(".") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    public String profileName() {
        return profile.name();
    }

    public Profile profile() {
        return profile;
    }

    public ProfileFile profileFile() {
        return profileFile;
    }

    /** The MFA device: an ARN or a hardware serial. */
    public String mfaSerial() {
        return mfaSerial;
    }

    public Duration sessionDuration() {
        return sessionDuration;
    }

    /** A session is renewed when less than this remains. */
    public Duration refreshBefore() {
        return refreshBefore;
    }

    /** The code supplier the user named; empty means the automatic choice. */
    public Optional<String> codeSupplier() {
        return codeSupplier;
    }

    public CacheMode cacheMode() {
        return cacheMode;
    }

    public Path cacheDirectory() {
        return cacheDirectory;
    }

    /** Resolved when asked, by the STS client alone: a session answered from the cache needs no region. */
    public Region region() {
        return region(sources, profileFile, profile.name());
    }

    /** An explicit STS endpoint; empty leaves it to the SDK ({@code AWS_ENDPOINT_URL_STS}, the profile's {@code endpoint_url}, ...). */
    public Optional<URI> stsEndpoint() {
        return stsEndpoint;
    }

    /** A setting by its key, resolved with the usual precedence; keys outside the table come from arguments and the profile. */
    public Optional<String> lookup(String key) {
        Optional<Setting> setting = Setting.forKey(key);
        if (setting.isPresent()) {
            return find(setting.get()).map(SettingSources.Found::value);
        }
        for (Profile nearest : lookedUpIn(null)) {
            Optional<String> found = sources.other(key, Optional.of(nearest));
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private Optional<SettingSources.Found> find(Setting setting) {
        for (Profile nearest : lookedUpIn(setting)) {
            Optional<SettingSources.Found> found = sources.find(setting, Optional.of(nearest));
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** The profiles a setting is looked up in, in order: the role profiles leading here, then this profile. */
    private List<Profile> lookedUpIn(Setting setting) {
        if (setting == Setting.DURATION) {
            return List.of(profile);
        }
        List<Profile> profiles = new ArrayList<>(roleProfiles);
        profiles.add(profile);
        return profiles;
    }

    private String resolveMfaSerial() {
        SettingSources.Found found = find(Setting.MFA_SERIAL).orElseThrow(() -> MfaSessionException.create(
            noMfaSerial() + " Add mfa_serial = arn:aws:iam::<account-id>:mfa/<device-name> to " + (roleProfiles.isEmpty() ? "the profile" : "one of them")
            + " in " + ProfileFiles.configurationFilePath() + ", or set AWS_MFA_SERIAL."));
        if (!SERIAL.matcher(found.value()).matches()) {
            throw MfaSessionException.create(
                "The MFA device '" + found.value() + "' from " + found.source() + " is not valid: use the device's ARN"
                + " (arn:aws:iam::123456789012:mfa/name) or a hardware serial, 9 to 256 characters without spaces.");
        }
        return found.value();
    }

    private String noMfaSerial() {
        if (roleProfiles.isEmpty()) {
            return "Profile '" + profile.name() + "' has no mfa_serial.";
        }
        if (roleProfiles.size() == 1) {
            return "Neither role profile '" + roleProfiles.get(0).name() + "' nor its source profile '" + profile.name() + "' has mfa_serial.";
        }
        List<String> names = new ArrayList<>();
        roleProfiles.forEach(role -> names.add(role.name()));
        names.add(profile.name());
        return "None of the profiles " + String.join(" -> ", names) + " has mfa_serial.";
    }

    private long seconds(Setting setting, long min, long max, String rule) {
        SettingSources.Found found = find(setting).orElse(null);
        String text = found == null ? setting.defaultValue().orElseThrow() : found.value();
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw MfaSessionException.create(
                setting.key() + " '" + text + "' from " + found.source() + " is not a whole number of seconds; " + rule + ".");
        }
        if (value < min || value > max) {
            String where = found == null ? "the default" : found.source();
            throw MfaSessionException.create(
                setting.key() + " " + value + " from " + where + " is out of range for profile '" + profile.name() + "': " + rule + ".");
        }
        return value;
    }

    private CacheMode resolveCacheMode() {
        Optional<SettingSources.Found> found = find(Setting.CACHE);
        String text = found.map(SettingSources.Found::value).orElse(Setting.CACHE.defaultValue().orElseThrow());
        try {
            return CacheMode.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw MfaSessionException.create(
                "mfa_cache '" + text + "' from " + found.get().source() + " is not a cache mode: use 'disk' (shared by processes) or 'memory'.");
        }
    }

    private Path resolveCacheDirectory() {
        return cacheDirectory(find(Setting.CACHE_DIR));
    }

    /**
     * The cache folder for the sources and, when there is one, the profile: for commands such as {@code status}
     * that need the folder without a complete profile. {@code ~} is the home folder as the SDK and the AWS CLI
     * find it ({@code HOME} first), so it means the same folder as in ~/.aws/config.
     */
    public static Path cacheDirectory(SettingSources sources, Optional<Profile> profile) {
        return cacheDirectory(sources.find(Setting.CACHE_DIR, profile));
    }

    /**
     * A path setting with a leading {@code ~} made the home folder as the SDK and the AWS CLI find it
     * ({@code HOME} first), so {@code ~} means the same folder here as in ~/.aws/config.
     */
    public static String expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/") || path.startsWith("~\\")) {
            return UserHomeDirectoryUtils.userHomeDirectory() + path.substring(1);
        }
        return path;
    }

    private static Path cacheDirectory(Optional<SettingSources.Found> found) {
        if (found.isEmpty()) {
            return Paths.get(UserHomeDirectoryUtils.userHomeDirectory(), ".aws", "mfa-session", "cache");
        }
        String text = expandHome(found.get().value());
        try {
            // A relative path is kept as it is: the cache refuses it, with a warning, rather than guess a folder.
            return Paths.get(text);
        } catch (RuntimeException e) {
            throw MfaSessionException.create("mfa_cache_dir '" + text + "' from " + found.get().source() + " is not a valid folder path.");
        }
    }

    /** The STS region for a profile: the {@code region} argument, else the SDK's ({@code aws.region}, {@code AWS_REGION}, the profile's), else us-east-1. */
    static Region region(SettingSources sources, ProfileFile profileFile, String profileName) {
        // The region is never read from our own profile lookup: the SDK's chain below reads the profile.
        Optional<String> explicit = sources.find(Setting.REGION, Optional.empty()).map(SettingSources.Found::value);
        if (explicit.isPresent()) {
            return Region.of(explicit.get());
        }
        // The SDK's own chain without instance metadata, which would be a network call on every laptop.
        AwsRegionProvider chain = new AwsRegionProviderChain(new SystemSettingsRegionProvider(),
                                                             new AwsProfileRegionProvider(() -> profileFile, profileName));
        try {
            return chain.getRegion();
        } catch (RuntimeException e) {
            return FALLBACK_REGION;
        }
    }

    private Optional<URI> resolveStsEndpoint() {
        return stsEndpoint(sources);
    }

    /** An explicit STS endpoint argument; the profile's {@code endpoint_url} is left to the SDK. */
    static Optional<URI> stsEndpoint(SettingSources sources) {
        Optional<SettingSources.Found> found = sources.find(Setting.ENDPOINT, Optional.empty());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(found.get().value());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new URISyntaxException(found.get().value(), "no scheme or host");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw MfaSessionException.create("sts_endpoint '" + found.get().value() + "' from " + found.get().source()
                                             + " is not a URL such as https://sts.eu-west-1.amazonaws.com.");
        }
    }
}
