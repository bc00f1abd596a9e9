package io.github.mfasession.internal.session;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.utils.BinaryUtils;

/**
 * What a session belongs to. An MFA session: the base profile, the IAM user's long-term access key id, and
 * the MFA device; a new key pair or another device means another session. A role session: the role profile,
 * the role, the MFA device and the long-term access key id its chain starts with. A role session is its own
 * once issued (AWS does not end it with the session that assumed it), so a new MFA session does not make it
 * another one; a new key pair, device or role does.
 */
public final class SessionKey {

    private final String profile;
    private final String accessKeyId;
    private final String mfaSerial;
    private final String roleArn;
    private final String fileName;

    /** The key of an MFA session of the base profile, made with the long-term key {@code accessKeyId}. */
    public SessionKey(String profile, String accessKeyId, String mfaSerial) {
        this(profile, accessKeyId, mfaSerial, null);
    }

    private SessionKey(String profile, String accessKeyId, String mfaSerial, String roleArn) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
        this.mfaSerial = Objects.requireNonNull(mfaSerial, "mfaSerial");
        this.roleArn = roleArn;
        this.fileName = readable(profile) + "-" + digest(profile, accessKeyId, mfaSerial, roleArn) + ".json";
    }

    /** The key of a session of the role profile, in a chain that starts with the IAM user's long-term key {@code accessKeyId}. */
    public static SessionKey forRole(String profile, String roleArn, String mfaSerial, String accessKeyId) {
        return new SessionKey(profile, accessKeyId, mfaSerial, Objects.requireNonNull(roleArn, "roleArn"));
    }

    /** The profile the session is for: the base profile of an MFA session, or the role profile. */
    public String profile() {
        return profile;
    }

    /** The IAM user's long-term access key id the session, or its chain, starts with. */
    public String accessKeyId() {
        return accessKeyId;
    }

    /** The MFA device whose code started the session or its chain. */
    public String mfaSerial() {
        return mfaSerial;
    }

    /** The role of a role session; empty for an MFA session. */
    public Optional<String> roleArn() {
        return Optional.ofNullable(roleArn);
    }

    /**
     * A file name that is safe on every platform and tells a person which profile it is for: the profile
     * name reduced to safe characters, then a digest of the parts. A role session's key id is left out (as in
     * earlier versions): each role profile keeps one file, and the file records the key id it belongs to.
     */
    public String fileName() {
        return fileName;
    }

    private static String readable(String profile) {
        String readable = profile.replaceAll("[^A-Za-z0-9._-]", "_");
        return readable.length() > 64 ? readable.substring(0, 64) : readable;
    }

    private static String digest(String profile, String accessKeyId, String mfaSerial, String roleArn) {
        String parts = roleArn == null ? profile + '\n' + accessKeyId + '\n' + mfaSerial
                                       : "role\n" + profile + '\n' + roleArn + '\n' + mfaSerial;
        byte[] hash = Sha256.digest(parts.getBytes(StandardCharsets.UTF_8));
        return BinaryUtils.toHex(Arrays.copyOf(hash, 10));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SessionKey)) {
            return false;
        }
        SessionKey other = (SessionKey) o;
        return profile.equals(other.profile) && accessKeyId.equals(other.accessKeyId) && mfaSerial.equals(other.mfaSerial)
               && Objects.equals(roleArn, other.roleArn);
    }

    @Override
    public int hashCode() {
        return Objects.hash(profile, accessKeyId, mfaSerial, roleArn);
    }

    @Override
    public String toString() {
        return "SessionKey(profile=" + profile + ", accessKeyId=" + accessKeyId + ", mfaSerial=" + mfaSerial
               + (roleArn == null ? "" : ", roleArn=" + roleArn) + ")";
    }
}
