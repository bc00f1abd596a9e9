package io.github.mfasession.internal.settings;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every setting a user can give, as SPEC.md's table lists it: the key used in a profile and in provider
 * arguments, the environment variable, the Java system property, and the default.
 *
 * <p>Precedence: provider argument, then system property, then environment variable, then the profile.
 */
public enum Setting {
    //           key                           environment                        system property                 default
    PROFILE(     "profile",                    "AWS_PROFILE",                     "aws.profile",                  "default"),
    MFA_SERIAL(  "mfa_serial",                 "AWS_MFA_SERIAL",                  "aws.mfaSerial",                null),
    DURATION(    "duration_seconds",           "AWS_MFA_DURATION_SECONDS",        "aws.mfaDurationSeconds",       "43200"),
    SUPPLIER(    "mfa_code_supplier",          "AWS_MFA_CODE_SUPPLIER",           "aws.mfaCodeSupplier",          null),
    CODE(        "mfa_code",                   "AWS_MFA_CODE",                    null,                           null),
    CODE_FILE(   "mfa_code_file",              "AWS_MFA_CODE_FILE",               "aws.mfaCodeFile",              null),
    PROCESS(     "mfa_process",                "AWS_MFA_PROCESS",                 "aws.mfaProcess",               null),
    CACHE(       "mfa_cache",                  "AWS_MFA_CACHE",                   "aws.mfaCache",                 "disk"),
    CACHE_DIR(   "mfa_cache_dir",              "AWS_MFA_CACHE_DIR",               "aws.mfaCacheDir",              null),
    REFRESH(     "mfa_refresh_before_seconds", "AWS_MFA_REFRESH_BEFORE_SECONDS",  "aws.mfaRefreshBeforeSeconds",  "300"),
    REGION(      "region",                     null,                              null,                           null),
    ENDPOINT(    "sts_endpoint",               null,                              null,                           null),
    // A role profile's keys, as the AWS CLI reads them. No environment variables: AWS_ROLE_ARN belongs to web identity.
    ROLE_ARN(    "role_arn",                   null,                              null,                           null),
    SOURCE(      "source_profile",             null,                              null,                           null),
    SESSION_NAME("role_session_name",          null,                              null,                           null),
    EXTERNAL_ID( "external_id",                null,                              null,                           null);

    private final String key;
    private final String environmentVariable;
    private final String systemProperty;
    private final String defaultValue;

    Setting(String key, String environmentVariable, String systemProperty, String defaultValue) {
        this.key = key;
        this.environmentVariable = environmentVariable;
        this.systemProperty = systemProperty;
        this.defaultValue = defaultValue;
    }

    /** The key in a profile and in provider arguments, for example {@code mfa_serial}. */
    public String key() {
        return key;
    }

    public Optional<String> environmentVariable() {
        return Optional.ofNullable(environmentVariable);
    }

    public Optional<String> systemProperty() {
        return Optional.ofNullable(systemProperty);
    }

    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /**
     * Whether the profile in the shared files may hold this setting. The profile name cannot, an MFA code
     * must not (a code in a file would be reused), and the STS region and endpoint come from the SDK's own
     * profile handling.
     */
    public boolean readFromProfile() {
        return this != PROFILE && this != CODE && this != REGION && this != ENDPOINT;
    }

    public static Optional<Setting> forKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }
}
