package io.github.mfasession.internal.settings;

import io.github.mfasession.MfaSessionException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;

/**
 * The settings of one role profile, resolved and checked before any call: the role to assume and how.
 * Each value comes from a provider argument (for the profile the user named) or the profile's own key,
 * as the AWS CLI reads them; environment variables do not apply ({@code AWS_MFA_DURATION_SECONDS} is the
 * MFA session's length, {@code AWS_ROLE_ARN} belongs to web identity).
 */
public final class RoleSettings {

    /** AssumeRole's limits for DurationSeconds (STS API Reference, AssumeRole), and the AWS CLI's default of one hour. */
    public static final int MIN_DURATION_SECONDS = 900;
    public static final int MAX_DURATION_SECONDS = 43_200;
    public static final int DEFAULT_DURATION_SECONDS = 3_600;
    /**
     * The longest session of a role assumed with temporary credentials, as every role here is (with the MFA
     * session, or with the previous role's session): role chaining, one hour whatever the role's maximum session
     * duration (STS API Reference, AssumeRole, "DurationSeconds"; IAM User Guide, "Roles terms and concepts";
     * AWS Knowledge Center, iam-role-chaining-limit).
     */
    public static final int CHAINED_MAX_DURATION_SECONDS = 3_600;
    /** The role profiles and durations warned about already: one warning per process, not one per provider. */
    private static final Set<String> CAPPED = ConcurrentHashMap.newKeySet();
    private static final Logger log = LoggerFactory.getLogger(RoleSettings.class);
    /** STS's patterns and lengths for RoleSessionName and ExternalId. */
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
    /** Any partition: arn:aws:iam::, arn:aws-cn:iam::, arn:aws-us-gov:iam::. */
    private static final Pattern ROLE_ARN = Pattern.compile("arn:[\\w-]+:iam::\\d{12}:role/\\S{1,1900}");

    private final String profileName;
    private final ProfileFile profileFile;
    private final String roleArn;
    private final String sourceProfile;
    private final Optional<String> roleSessionName;
    private final Optional<String> externalId;
    private final Duration sessionDuration;
    private final SettingSources sources;
    private final Optional<URI> stsEndpoint;

    RoleSettings(SettingSources sources, ProfileFile profileFile, Profile profile, String roleArn, String sourceProfile) {
        this.profileName = profile.name();
        this.profileFile = profileFile;
        this.roleArn = checked(roleArn, ROLE_ARN, Setting.ROLE_ARN, "an IAM role's ARN such as arn:aws:iam::123456789012:role/admin");
        this.sourceProfile = sourceProfile;
        this.roleSessionName = sources.find(Setting.SESSION_NAME, Optional.of(profile)).map(SettingSources.Found::value)
                                      .map(name -> checked(name, SESSION_NAME, Setting.SESSION_NAME, "2 to 64 of letters, digits and +=,.@_-"));
        this.externalId = sources.find(Setting.EXTERNAL_ID, Optional.of(profile)).map(SettingSources.Found::value)
                                 .map(id -> checked(id, EXTERNAL_ID, Setting.EXTERNAL_ID, "2 to 1224 of letters, digits and +=,.@:/_-"));
        this.sessionDuration = Duration.ofSeconds(duration(sources, profile));
        this.sources = sources;
        this.stsEndpoint = Settings.stsEndpoint(sources);
    }

    /** The role profile's name. */
    public String profileName() {
        return profileName;
    }

    /** The files the profile was read from, for the STS client's own profile settings ({@code endpoint_url}, retries). */
    public ProfileFile profileFile() {
        return profileFile;
    }

    /** The {@code role_arn} to assume. */
    public String roleArn() {
        return roleArn;
    }

    /** The {@code source_profile} whose session assumes the role. */
    public String sourceProfile() {
        return sourceProfile;
    }

    /** The {@code role_session_name}; empty means a new name per session, {@code mfa-session-<epoch seconds>}. */
    public Optional<String> roleSessionName() {
        return roleSessionName;
    }

    /** The {@code external_id} the role's trust policy asks for, if any. */
    public Optional<String> externalId() {
        return externalId;
    }

    /** How long a role session lasts: the profile's {@code duration_seconds}, at most one hour (role chaining), else one hour. */
    public Duration sessionDuration() {
        return sessionDuration;
    }

    /** The region of the STS endpoint that assumes the role: the profile's, as for any SDK client of this profile. */
    public Region region() {
        // Resolved when asked, by the STS client alone: a session answered from the cache needs no region.
        return Settings.region(sources, profileFile, profileName);
    }

    /** An explicit STS endpoint; empty leaves it to the SDK. */
    public Optional<URI> stsEndpoint() {
        return stsEndpoint;
    }

    private String checked(String value, Pattern pattern, Setting setting, String rule) {
        if (!pattern.matcher(value).matches()) {
            throw MfaSessionException.create(
                setting.key() + " '" + value + "' of role profile '" + profileName + "' is not valid: use " + rule + ".");
        }
        return value;
    }

    private long duration(SettingSources sources, Profile profile) {
        // Not Setting.DURATION: its environment variable and system property are the MFA session's length.
        Optional<String> text = sources.other(Setting.DURATION.key(), Optional.of(profile));
        if (text.isEmpty()) {
            return DEFAULT_DURATION_SECONDS;
        }
        String rule = "use " + MIN_DURATION_SECONDS + " to " + CHAINED_MAX_DURATION_SECONDS + " seconds (AssumeRole accepts at most "
                      + MAX_DURATION_SECONDS + ", and AWS gives a role assumed with an MFA session at most " + CHAINED_MAX_DURATION_SECONDS + ")";
        long seconds;
        try {
            seconds = Long.parseLong(text.get());
        } catch (NumberFormatException e) {
            throw MfaSessionException.create("duration_seconds '" + text.get() + "' of role profile '" + profileName
                                             + "' is not a whole number of seconds; " + rule + ".");
        }
        if (seconds < MIN_DURATION_SECONDS || seconds > MAX_DURATION_SECONDS) {
            throw MfaSessionException.create("duration_seconds " + seconds + " of role profile '" + profileName + "' is out of range: " + rule + ".");
        }
        if (seconds > CHAINED_MAX_DURATION_SECONDS) {
            // Capped rather than refused: STS would refuse it after the code was spent, and a shorter role session
            // costs nothing, since it is renewed from the MFA session without a prompt.
            if (CAPPED.add(profileName + '\n' + seconds)) {
                log.warn("duration_seconds {} of role profile '{}' is more than the one hour AWS allows a role assumed with an MFA session"
                         + " (role chaining); using {} seconds. The role session is renewed from the MFA session without a new code,"
                         + " so nothing is lost; set duration_seconds to {} or less to silence this warning.",
                         seconds, profileName, CHAINED_MAX_DURATION_SECONDS, CHAINED_MAX_DURATION_SECONDS);
            }
            return CHAINED_MAX_DURATION_SECONDS;
        }
        return seconds;
    }

    @Override
    public String toString() {
        return "RoleSettings(profile=" + profileName + ", roleArn=" + roleArn + ", sourceProfile=" + sourceProfile + ")";
    }
}
