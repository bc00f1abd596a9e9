package io.github.mfasession.internal.settings;

import io.github.mfasession.MfaSessionException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * How the profile the user named gets its credentials: an MFA session of its own, or role profiles linked
 * by {@code source_profile} down to the profile with the IAM user's long-term keys, whose MFA session
 * assumes the first role. A cycle, a missing profile or a chain that never reaches long-term keys is found
 * here, before any code is asked for.
 *
 * <pre>
 * [profile prod-admin]  role_arn, source_profile = dev   ← named: roles() = [prod-admin]
 * [profile dev]         mfa_serial + keys                ← mfaSession()
 * </pre>
 */
public final class ProfileChain {

    /** Provider arguments that describe the named role profile only, never the profiles it leads to. */
    private static final List<String> ROLE_ARGUMENTS = List.of(
        Setting.PROFILE.key(), Setting.ROLE_ARN.key(), Setting.SOURCE.key(), Setting.SESSION_NAME.key(),
        Setting.EXTERNAL_ID.key(), Setting.DURATION.key());
    /** What makes a profile a base the SDK's ProfileCredentialsProvider can get keys from. */
    private static final List<String> BASE_CREDENTIAL_KEYS = List.of("aws_access_key_id", "credential_process");

    private final Settings mfaSession;
    private final List<RoleSettings> roles;

    private ProfileChain(Settings mfaSession, List<RoleSettings> roles) {
        this.mfaSession = mfaSession;
        this.roles = Collections.unmodifiableList(roles);
    }

    /**
     * Resolves the chain of the profile the sources name.
     *
     * @throws MfaSessionException naming the profiles, when a setting is wrong, a source profile is missing, the
     *                             profiles form a cycle, or the chain never reaches long-term keys
     */
    public static ProfileChain resolve(SettingSources sources, Supplier<ProfileFile> profileFiles) {
        ProfileFile profileFile = Settings.load(profileFiles);
        Profile profile = Settings.namedProfile(sources, profileFile);
        SettingSources chainSources = sources.withoutArguments(ROLE_ARGUMENTS);
        SettingSources profileSources = sources;
        List<Profile> roleProfiles = new ArrayList<>();
        List<RoleSettings> roles = new ArrayList<>();
        Set<String> visited = new LinkedHashSet<>();
        visited.add(profile.name());
        Optional<String> roleArn = roleArn(profileSources, profile);
        while (roleArn.isPresent()) {
            String source = sourceProfile(profileSources, profile);
            roles.add(new RoleSettings(profileSources, profileFile, profile, roleArn.get(), source));
            roleProfiles.add(profile);
            if (!visited.add(source)) {
                throw cycle(visited, source);
            }
            Profile from = profile;
            profile = profileFile.profile(source).orElseThrow(() -> missingSource(from, source));
            profileSources = chainSources;
            roleArn = roleArn(profileSources, profile);
        }
        if (!roles.isEmpty()) {
            requireBaseCredentials(roleProfiles.get(0), profile);
        }
        // Assumed in order from the MFA session: the role nearest to it first, the named profile's last.
        Collections.reverse(roles);
        return new ProfileChain(Settings.forChain(profileSources, profileFile, profile, roleProfiles), roles);
    }

    /** The MFA session at the start of the chain: the named profile's own, or its last source profile's. */
    public Settings mfaSession() {
        return mfaSession;
    }

    /** The roles to assume in order: the first with the MFA session, each next with the previous role's session. Empty for a profile without role_arn. */
    public List<RoleSettings> roles() {
        return roles;
    }

    private static Optional<String> roleArn(SettingSources sources, Profile profile) {
        return sources.find(Setting.ROLE_ARN, Optional.of(profile)).map(SettingSources.Found::value);
    }

    private static String sourceProfile(SettingSources sources, Profile profile) {
        Optional<String> source = sources.find(Setting.SOURCE, Optional.of(profile)).map(SettingSources.Found::value);
        if (source.isPresent()) {
            return source.get();
        }
        String unsupported = profile.property("credential_source").isPresent() ? " (credential_source is not supported)" : "";
        throw MfaSessionException.create(
            "Role profile '" + profile.name() + "' has role_arn but no source_profile" + unsupported + "."
            + " Add source_profile = <the profile with your IAM user's keys and mfa_serial> to it in " + ProfileFiles.configurationFilePath() + ".");
    }

    private static MfaSessionException cycle(Set<String> visited, String repeated) {
        List<String> names = new ArrayList<>(visited);
        names.add(repeated);
        return MfaSessionException.create(
            "The profiles " + String.join(" -> ", names) + " form a cycle through source_profile, so none of them reaches long-term keys."
            + " Point the last role's source_profile at the profile with your IAM user's keys and mfa_serial.");
    }

    private static MfaSessionException missingSource(Profile role, String source) {
        return MfaSessionException.create(
            "Role profile '" + role.name() + "' names source_profile '" + source + "', but there is no profile '" + source + "' in "
            + ProfileFiles.configurationFilePath() + " or " + ProfileFiles.credentialsFilePath()
            + ". Add it, or correct source_profile.");
    }

    private static void requireBaseCredentials(Profile named, Profile base) {
        if (BASE_CREDENTIAL_KEYS.stream().noneMatch(key -> base.property(key).isPresent())) {
            throw MfaSessionException.create(
                "Role profile '" + named.name() + "' leads through source_profile to profile '" + base.name() + "', which has no role_arn and no"
                + " long-term keys, so the chain never reaches an IAM user. Add aws_access_key_id and aws_secret_access_key to '" + base.name()
                + "' in " + ProfileFiles.credentialsFilePath() + ", or point source_profile at the profile that has them.");
        }
    }

    @Override
    public String toString() {
        return "ProfileChain(roles=" + roles + ", mfaSession=" + mfaSession.profileName() + ")";
    }
}
