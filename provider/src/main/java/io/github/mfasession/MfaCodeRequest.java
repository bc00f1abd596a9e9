package io.github.mfasession;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What an {@link MfaCodeSupplier} is asked: which profile and device need a code, which attempt this is,
 * and why the last attempt failed.
 */
public final class MfaCodeRequest {

    private final String profile;
    private final String mfaSerial;
    private final int attempt;
    private final int maxAttempts;
    private final String lastFailure;
    private final Function<String, Optional<String>> settings;

    private MfaCodeRequest(Builder builder) {
        this.profile = Objects.requireNonNull(builder.profile, "profile");
        this.mfaSerial = Objects.requireNonNull(builder.mfaSerial, "mfaSerial");
        this.attempt = builder.attempt;
        this.maxAttempts = builder.maxAttempts;
        this.lastFailure = builder.lastFailure;
        this.settings = builder.settings;
    }

    /** A request builder; used by the provider and by tests of suppliers. */
    public static Builder builder() {
        return new Builder();
    }

    /** The base profile the session is for, for example {@code dev}. */
    public String profile() {
        return profile;
    }

    /** The MFA device: an ARN such as {@code arn:aws:iam::123456789012:mfa/alice}, or a hardware serial. */
    public String mfaSerial() {
        return mfaSerial;
    }

    /** Which attempt this is for the current session, starting at 1. */
    public int attempt() {
        return attempt;
    }

    /** How many attempts an interactive supplier gets for one session. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** Why the previous attempt failed (for example "the last code was rejected"), empty on the first. */
    public Optional<String> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /**
     * A setting by its profile key (for example {@code mfa_code_file} or a plugin's own key), resolved as
     * every setting is: provider argument, then system property, then environment variable, then the
     * profile's property.
     */
    public Optional<String> setting(String profileKey) {
        return settings.apply(profileKey);
    }

    @Override
    public String toString() {
        return "MfaCodeRequest(profile=" + profile + ", mfaSerial=" + mfaSerial + ", attempt=" + attempt
               + "/" + maxAttempts + ")";
    }

    /** Builds an {@link MfaCodeRequest}. */
    public static final class Builder {
        private String profile;
        private String mfaSerial;
        private int attempt = 1;
        private int maxAttempts = 3;
        private String lastFailure;
        private Function<String, Optional<String>> settings = key -> Optional.empty();

        private Builder() {
        }

        public Builder profile(String profile) {
            this.profile = profile;
            return this;
        }

        public Builder mfaSerial(String mfaSerial) {
            this.mfaSerial = mfaSerial;
            return this;
        }

        public Builder attempt(int attempt) {
            this.attempt = attempt;
            return this;
        }

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder lastFailure(String lastFailure) {
            this.lastFailure = lastFailure;
            return this;
        }

        /** How {@link MfaCodeRequest#setting(String)} looks settings up; none by default. */
        public Builder settings(Function<String, Optional<String>> settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public MfaCodeRequest build() {
            return new MfaCodeRequest(this);
        }
    }
}
