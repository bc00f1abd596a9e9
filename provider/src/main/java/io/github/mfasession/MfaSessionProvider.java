package io.github.mfasession;

import io.github.mfasession.internal.code.CodeSuppliers;
import io.github.mfasession.internal.refresh.Refresher;
import io.github.mfasession.internal.refresh.Refreshers;
import io.github.mfasession.internal.settings.ProfileChain;
import io.github.mfasession.internal.settings.ProfileFiles;
import io.github.mfasession.internal.settings.Setting;
import io.github.mfasession.internal.settings.SettingSources;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.utils.SdkAutoCloseable;
import software.amazon.awssdk.utils.ToString;

/**
 * Credentials for an IAM user whose policies require MFA: wraps a base profile that holds the user's
 * long-term keys and {@code mfa_serial}, asks for a 6-digit code only when a new session is needed, gets
 * the session from STS GetSessionToken, and keeps it in memory and on disk until shortly before it
 * expires, shared by every thread, process and tool on the machine.
 *
 * <pre>{@code
 * S3Client s3 = S3Client.builder().credentialsProvider(MfaSessionProvider.create("dev")).build();
 * }</pre>
 *
 * <p>Every setting can be given here, as a Java system property, an environment variable, or in the
 * profile; see the README's settings table. Constructing a provider never prompts and never touches the
 * network: configuration problems are reported by {@link #resolveCredentials()}.
 *
 * <p>Hosts that build providers by class name use the public constructors: no arguments (Redshift JDBC's
 * {@code plugin_name}), or up to four {@code key=value} strings whose first may be a bare profile name
 * (Athena JDBC's {@code CredentialsProviderArguments}).
 */
public final class MfaSessionProvider implements AwsCredentialsProvider, SdkAutoCloseable {

    private final Map<String, String> arguments;
    private final MfaSessionException argumentProblem;
    private final Refresher refresher;

    private MfaSessionProvider(BuilderImpl builder) {
        this.arguments = Map.copyOf(builder.arguments);
        this.argumentProblem = builder.argumentProblem;
        SettingSources sources = new SettingSources(arguments, builder.systemProperties, builder.environment);
        Supplier<ProfileFile> profileFiles = builder.profileFile;
        MfaCodeSupplier codeSupplier = builder.codeSupplier;
        Clock clock = builder.clock;
        this.refresher = Refreshers.forChain(
            () -> ProfileChain.resolve(sources, profileFiles),
            settings -> codeSupplier != null ? codeSupplier
                        : CodeSuppliers.discover().choose(settings.codeSupplier(), settings.profileName(), settings::lookup),
            clock);
    }

    /** Settings from system properties, the environment and the profile; as {@link #create()}. For hosts that build providers by class name. */
    public MfaSessionProvider() {
        this(new BuilderImpl());
    }

    /**
     * For hosts that build providers by class name with arguments. Each argument is {@code key=value} with a
     * key from the settings table ({@code profile}, {@code mfa_serial}, {@code duration_seconds},
     * {@code mfa_code_supplier}, ...); the first may instead be a bare profile name.
     */
    public MfaSessionProvider(String argument) {
        this(BuilderImpl.fromArguments(argument));
    }

    /** As {@link #MfaSessionProvider(String)}, with two arguments. */
    public MfaSessionProvider(String first, String second) {
        this(BuilderImpl.fromArguments(first, second));
    }

    /** As {@link #MfaSessionProvider(String)}, with three arguments. */
    public MfaSessionProvider(String first, String second, String third) {
        this(BuilderImpl.fromArguments(first, second, third));
    }

    /** As {@link #MfaSessionProvider(String)}, with four arguments. */
    public MfaSessionProvider(String first, String second, String third, String fourth) {
        this(BuilderImpl.fromArguments(first, second, third, fourth));
    }

    /**
     * A provider for the profile named by {@code aws.profile} or {@code AWS_PROFILE}, else {@code default}, with
     * every other setting from system properties, the environment and the profile.
     */
    public static MfaSessionProvider create() {
        return builder().build();
    }

    /**
     * A provider for the named base profile, with every other setting from system properties, the environment and the
     * profile. A null name is reported by {@link #resolveCredentials()}; {@link #create()} uses the default profile.
     */
    public static MfaSessionProvider create(String profileName) {
        BuilderImpl builder = new BuilderImpl();
        if (profileName == null) {
            return builder.problem("MfaSessionProvider.create(null) was given no profile name: name a profile, or call create() for the one"
                                   + " AWS_PROFILE or aws.profile names (else 'default').").build();
        }
        return builder.profileName(profileName).build();
    }

    /**
     * A provider from settings keyed as in a profile ({@code profile}, {@code mfa_serial}, {@code duration_seconds},
     * ...); for hosts that pass their configuration as a map. Keys outside the settings table are kept for code
     * suppliers that read their own settings. A null map, key or value is reported by {@link #resolveCredentials()}.
     */
    public static MfaSessionProvider create(Map<String, String> settings) {
        BuilderImpl builder = new BuilderImpl();
        if (settings == null) {
            return builder.problem("MfaSessionProvider.create(null) was given no map of settings: give one keyed as in a profile"
                                   + " (profile, mfa_serial, duration_seconds, ...), or call create().").build();
        }
        settings.forEach((key, value) -> {
            if (key == null) {
                builder.problem("MfaSessionProvider.create(settings) was given a map that holds a null key: key each setting as in a profile"
                                + " (profile, mfa_serial, duration_seconds, ...).");
            } else if (value == null) {
                builder.problem("MfaSessionProvider.create(settings) was given a map that holds a null value for " + key
                                + ": leave the key out to use the usual settings.");
            } else {
                builder.setting(key, value);
            }
        });
        return builder.build();
    }

    /** A builder for a provider with settings given in code. */
    public static Builder builder() {
        return new BuilderImpl();
    }

    /**
     * The built-in suppliers that can give a code in this process now, by name, in the order the automatic choice
     * tries them; the first is the one used when {@code mfa_code_supplier} is not set, and the list is empty when none
     * applies (the provider then fails with one message listing every way to give a code). The order, from the
     * project's SPEC:
     * <ol>
     * <li>{@code env} when {@code AWS_MFA_CODE} is set;</li>
     * <li>{@code process} when a command is set ({@code AWS_MFA_PROCESS}, {@code aws.mfaProcess});</li>
     * <li>{@code file} when a code file is set ({@code AWS_MFA_CODE_FILE}, {@code aws.mfaCodeFile});</li>
     * <li>{@code console} when this process has a terminal;</li>
     * <li>{@code desktop} and {@code dialog} when there is a desktop: {@code desktop} (zenity or kdialog, osascript,
     * Windows PowerShell, in a child process) needs its program and, on Linux, {@code DISPLAY} or {@code WAYLAND_DISPLAY};
     * {@code dialog} (Swing) needs a JVM that is not headless. {@code desktop} comes first where Swing is unsafe or
     * unavailable: a headless JVM, the command line, and on macOS any JVM where AWT does not already run on the main
     * thread (SWT hosts such as Eclipse and DBeaver own that thread, and a Swing dialog there can hang).</li>
     * </ol>
     * Plugins and tests use it to learn what a person would be asked with here.
     * Settings are read from system properties and environment variables only: a profile's {@code mfa_process} or
     * {@code mfa_code_file} is not seen here. Never prompts and never blocks; plugins are not listed, as the
     * automatic choice never picks one.
     */
    public static List<String> applicableCodeSuppliers() {
        return CodeSuppliers.applicableHere();
    }

    /**
     * The session's credentials: the one in memory while more than the renew margin ({@code mfa_refresh_before_seconds},
     * 5 minutes) remains, else the one another process saved, else a new session from STS with a new code. When
     * renewing fails inside the renew margin, the current session is handed out (with one warning, and no new
     * attempt for 5 minutes) until the last minute before it ends, inside which a renewal must succeed. A session is
     * never handed out past its expiration.
     *
     * @throws MfaSessionException saying what is wrong and what to do
     */
    @Override
    public AwsSessionCredentials resolveCredentials() {
        if (argumentProblem != null) {
            throw argumentProblem;
        }
        try {
            return refresher.resolve();
        } catch (MfaSessionException e) {
            throw e;
        } catch (RuntimeException e) {
            // Nothing but MfaSessionException leaves this door, even from a plugin's code supplier or a bug of ours.
            String profile = arguments.containsKey(Setting.PROFILE.key()) ? "profile '" + arguments.get(Setting.PROFILE.key()) + "'"
                                                                          : "the default profile";
            throw MfaSessionException.create("Could not get credentials for " + profile + ": an unexpected " + e.getClass().getName()
                                             + " was thrown, a bug in a code supplier or in mfa-session-provider. Its details are in the"
                                             + " cause of this exception.", e);
        }
    }

    /** Closes the STS client this provider made, if it made one. */
    @Override
    public void close() {
        refresher.close();
    }

    @Override
    public String toString() {
        return ToString.builder("MfaSessionProvider")
                       .add("profile", arguments.get(Setting.PROFILE.key()))
                       .add("mfaSerial", arguments.get(Setting.MFA_SERIAL.key()))
                       .build();
    }

    /**
     * Builds an {@link MfaSessionProvider}. Anything not set here comes from system properties, the environment or the
     * profile. A null given to any method is reported, naming the method, by {@link MfaSessionProvider#resolveCredentials()}
     * as an {@link MfaSessionException}: building never throws, as hosts build providers before they use them.
     */
    public interface Builder {

        /** The base profile with the IAM user's long-term keys. Default: {@code aws.profile}, {@code AWS_PROFILE}, else {@code default}. */
        Builder profileName(String profileName);

        /**
         * The config and credentials files to read, used as the SDK parsed them. Default: {@code ~/.aws/config} and
         * {@code ~/.aws/credentials}, honouring {@code AWS_CONFIG_FILE} and {@code AWS_SHARED_CREDENTIALS_FILE}, read
         * as the AWS CLI reads them (see the README).
         */
        Builder profileFile(ProfileFile profileFile);

        /** As {@link #profileFile(ProfileFile)}, read when first needed. */
        Builder profileFile(Supplier<ProfileFile> profileFile);

        /** The MFA device's ARN or serial. Default: {@code aws.mfaSerial}, {@code AWS_MFA_SERIAL}, else the profile's {@code mfa_serial}. */
        Builder mfaSerial(String mfaSerial);

        /**
         * How long a session lasts, 15 minutes to 36 hours. Default: {@code aws.mfaDurationSeconds},
         * {@code AWS_MFA_DURATION_SECONDS}, the profile's {@code duration_seconds}, else 12 hours.
         */
        Builder sessionDuration(Duration sessionDuration);

        /**
         * Renew a session when less than this remains (the advisory window: if renewing fails, the current session is
         * still handed out until the last minute). Default: {@code aws.mfaRefreshBeforeSeconds},
         * {@code AWS_MFA_REFRESH_BEFORE_SECONDS}, the profile's {@code mfa_refresh_before_seconds}, else 5 minutes.
         */
        Builder refreshBefore(Duration refreshBefore);

        /**
         * The code supplier by name: {@code console}, {@code desktop}, {@code dialog}, {@code env}, {@code file}, {@code process} or a
         * plugin's. Default: {@code aws.mfaCodeSupplier}, {@code AWS_MFA_CODE_SUPPLIER}, the profile's
         * {@code mfa_code_supplier}, else chosen automatically.
         */
        Builder codeSupplier(String name);

        /** A code supplier instance, used instead of any named one. */
        Builder codeSupplier(MfaCodeSupplier codeSupplier);

        /**
         * {@code disk} (sessions shared by every process of the user) or {@code memory} (this process only).
         * Default: {@code aws.mfaCache}, {@code AWS_MFA_CACHE}, the profile's {@code mfa_cache}, else {@code disk}.
         */
        Builder cache(String mode);

        /**
         * The folder for cached sessions. Default: {@code aws.mfaCacheDir}, {@code AWS_MFA_CACHE_DIR}, the profile's
         * {@code mfa_cache_dir}, else {@code ~/.aws/mfa-session/cache}.
         */
        Builder cacheDirectory(Path cacheDirectory);

        /** The STS region. Default: the SDK's ({@code aws.region}, {@code AWS_REGION}, the profile's {@code region}), else us-east-1. */
        Builder region(Region region);

        /** The STS endpoint. Default: the SDK's ({@code AWS_ENDPOINT_URL_STS}, the profile's {@code endpoint_url}, ...), else the region's. */
        Builder stsEndpoint(URI endpoint);

        /** Any setting by its profile key, as the string constructors take it; also a plugin supplier's own keys. */
        Builder setting(String key, String value);

        MfaSessionProvider build();
    }

    static final class BuilderImpl implements Builder {
        private final Map<String, String> arguments = new LinkedHashMap<>();
        private MfaSessionException argumentProblem;
        private Supplier<ProfileFile> profileFile = ProfileFiles::readDefault;
        private MfaCodeSupplier codeSupplier;
        private Clock clock = Clock.systemUTC();
        private Properties systemProperties = System.getProperties();
        private Function<String, String> environment = System::getenv;

        /** Keeps the first problem with the arguments, for resolveCredentials() to report. */
        BuilderImpl problem(String message) {
            if (argumentProblem == null) {
                argumentProblem = MfaSessionException.create(message);
            }
            return this;
        }

        /** Whether the value was given; a null is kept as the problem, naming the call. */
        private boolean given(Object value, String method) {
            if (value == null) {
                problem("MfaSessionProvider.builder()." + method + "(null) was given no value: give one, or leave the call out to use the"
                        + " usual settings (a system property, an environment variable, the profile, then the default).");
            }
            return value != null;
        }

        static BuilderImpl fromArguments(String... values) {
            BuilderImpl builder = new BuilderImpl();
            for (int i = 0; i < values.length; i++) {
                String value = values[i] == null ? "" : values[i].trim();
                int equals = value.indexOf('=');
                if (value.isEmpty()) {
                    continue;
                }
                if (equals > 0) {
                    builder.put(value.substring(0, equals).trim(), value.substring(equals + 1).trim());
                } else if (i == 0 && equals < 0) {
                    builder.profileName(value);
                } else {
                    builder.problem("Provider argument " + (i + 1) + " is not key=value (for example mfa_serial=arn:aws:iam::123456789012:mfa/alice);"
                                    + " only the first argument may be a bare profile name.");
                }
            }
            return builder;
        }

        @Override
        public Builder profileName(String profileName) {
            return given(profileName, "profileName") ? put(Setting.PROFILE.key(), profileName) : this;
        }

        @Override
        public Builder profileFile(ProfileFile profileFile) {
            if (given(profileFile, "profileFile")) {
                this.profileFile = () -> profileFile;
            }
            return this;
        }

        @Override
        public Builder profileFile(Supplier<ProfileFile> profileFile) {
            if (given(profileFile, "profileFile")) {
                this.profileFile = profileFile;
            }
            return this;
        }

        @Override
        public Builder mfaSerial(String mfaSerial) {
            return given(mfaSerial, "mfaSerial") ? put(Setting.MFA_SERIAL.key(), mfaSerial) : this;
        }

        @Override
        public Builder sessionDuration(Duration sessionDuration) {
            return given(sessionDuration, "sessionDuration") ? put(Setting.DURATION.key(), Long.toString(sessionDuration.getSeconds())) : this;
        }

        @Override
        public Builder refreshBefore(Duration refreshBefore) {
            return given(refreshBefore, "refreshBefore") ? put(Setting.REFRESH.key(), Long.toString(refreshBefore.getSeconds())) : this;
        }

        @Override
        public Builder codeSupplier(String name) {
            return given(name, "codeSupplier") ? put(Setting.SUPPLIER.key(), name) : this;
        }

        @Override
        public Builder codeSupplier(MfaCodeSupplier codeSupplier) {
            if (given(codeSupplier, "codeSupplier")) {
                this.codeSupplier = codeSupplier;
            }
            return this;
        }

        @Override
        public Builder cache(String mode) {
            return given(mode, "cache") ? put(Setting.CACHE.key(), mode) : this;
        }

        @Override
        public Builder cacheDirectory(Path cacheDirectory) {
            return given(cacheDirectory, "cacheDirectory") ? put(Setting.CACHE_DIR.key(), cacheDirectory.toString()) : this;
        }

        @Override
        public Builder region(Region region) {
            return given(region, "region") ? put(Setting.REGION.key(), region.id()) : this;
        }

        @Override
        public Builder stsEndpoint(URI endpoint) {
            return given(endpoint, "stsEndpoint") ? put(Setting.ENDPOINT.key(), endpoint.toString()) : this;
        }

        @Override
        public Builder setting(String key, String value) {
            if (key == null) {
                return problem("MfaSessionProvider.builder().setting(null, ...) was given no key: name the setting as in a profile"
                               + " (mfa_serial, duration_seconds, ...).");
            }
            if (value == null) {
                return problem("MfaSessionProvider.builder().setting(\"" + key + "\", null) was given no value: give one, or leave the call"
                               + " out to use the usual settings.");
            }
            return put(key, value);
        }

        private Builder put(String key, String value) {
            arguments.put(key, value);
            return this;
        }

        /** The clock sessions are timed by; tests move it. */
        BuilderImpl clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** The environment settings are read from; tests give their own, as a running JVM's cannot change. */
        BuilderImpl environment(Map<String, String> environment) {
            this.environment = environment::get;
            return this;
        }

        /** The system properties settings are read from; tests give their own. */
        BuilderImpl systemProperties(Properties systemProperties) {
            this.systemProperties = systemProperties;
            return this;
        }

        @Override
        public MfaSessionProvider build() {
            return new MfaSessionProvider(this);
        }
    }
}
