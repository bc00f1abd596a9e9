package io.github.mfasession.internal.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * What a session belongs to: the base profile, the long-term access key id it was made with, and the MFA
 * device. A new key pair or another device means another session.
 */
public final class SessionKey {

    private final String profile;
    private final String accessKeyId;
    private final String mfaSerial;

    public SessionKey(String profile, String accessKeyId, String mfaSerial) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
        this.mfaSerial = Objects.requireNonNull(mfaSerial, "mfaSerial");
    }

    public String profile() {
        return profile;
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String mfaSerial() {
        return mfaSerial;
    }

    /**
     * A file name that is safe on every platform and tells a person which profile it is for: the profile
     * name reduced to safe characters, then a digest of all three parts.
     */
    public String fileName() {
        String readable = profile.replaceAll("[^A-Za-z0-9._-]", "_");
        if (readable.length() > 64) {
            readable = readable.substring(0, 64);
        }
        return readable + "-" + digest() + ".json";
    }

    private String digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] hash = sha.digest((profile + '\n' + accessKeyId + '\n' + mfaSerial).getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                hex.append(String.format("%02x", hash[i]));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SessionKey)) {
            return false;
        }
        SessionKey other = (SessionKey) o;
        return profile.equals(other.profile) && accessKeyId.equals(other.accessKeyId) && mfaSerial.equals(other.mfaSerial);
    }

    @Override
    public int hashCode() {
        return Objects.hash(profile, accessKeyId, mfaSerial);
    }

    @Override
    public String toString() {
        return "SessionKey(profile=" + profile + ", accessKeyId=" + accessKeyId + ", mfaSerial=" + mfaSerial + ")";
    }
}
