package io.github.mfasession.internal.settings;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import software.amazon.awssdk.profiles.Profile;

/**
 * Where setting values come from, in precedence order: explicit provider arguments, Java system
 * properties, the environment, then the profile. Kept as one value so that tests can substitute the
 * environment, which a running JVM cannot change.
 */
public final class SettingSources {

    private final Map<String, String> arguments;
    private final Properties systemProperties;
    private final Function<String, String> environment;

    public SettingSources(Map<String, String> arguments, Properties systemProperties,
                          Function<String, String> environment) {
        this.arguments = Map.copyOf(arguments);
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    /** The sources of a real process: its system properties and environment. */
    public static SettingSources of(Map<String, String> arguments) {
        return new SettingSources(arguments, System.getProperties(), System::getenv);
    }

    /**
     * These sources without the provider arguments of the given keys: for the profiles a role profile leads to,
     * which the arguments that describe the named role (its {@code role_arn}, {@code duration_seconds}, ...) do
     * not describe.
     */
    public SettingSources withoutArguments(Collection<String> keys) {
        Map<String, String> kept = new HashMap<>(arguments);
        kept.keySet().removeAll(keys);
        return new SettingSources(kept, systemProperties, environment);
    }

    /** The setting's value and where it came from, the profile last; empty when no source has it. */
    public Optional<Found> find(Setting setting, Optional<Profile> profile) {
        Optional<Found> found = nonBlank(arguments.get(setting.key()), "the provider argument " + setting.key());
        if (found.isEmpty() && setting.systemProperty().isPresent()) {
            String name = setting.systemProperty().get();
            found = nonBlank(systemProperties.getProperty(name), "the system property " + name);
        }
        if (found.isEmpty() && setting.environmentVariable().isPresent()) {
            String name = setting.environmentVariable().get();
            found = nonBlank(environment.apply(name), "the environment variable " + name);
        }
        if (found.isEmpty() && setting.readFromProfile() && profile.isPresent()) {
            found = nonBlank(profile.get().property(setting.key()).orElse(null),
                             setting.key() + " in profile '" + profile.get().name() + "'");
        }
        return found;
    }

    /**
     * A setting that is not in the table, such as a plugin's own key: the provider argument, then the
     * profile's property of that name.
     */
    public Optional<String> other(String key, Optional<Profile> profile) {
        Optional<String> argument = given(arguments.get(key));
        return argument.isPresent() ? argument : profile.flatMap(p -> p.property(key)).flatMap(SettingSources::given);
    }

    public String environmentVariable(String name) {
        return environment.apply(name);
    }

    private static Optional<Found> nonBlank(String value, String source) {
        return given(value).map(text -> new Found(text, source));
    }

    /**
     * The value without the spaces and control characters around it, if anything is left: a value of only
     * those counts as not given, never as an empty value that a later check would trip over.
     */
    private static Optional<String> given(String value) {
        String trimmed = value == null ? "" : value.trim();
        return trimmed.isBlank() ? Optional.empty() : Optional.of(trimmed);
    }

    /** A setting's value and a phrase naming where it was found, for error messages. */
    public static final class Found {
        private final String value;
        private final String source;

        Found(String value, String source) {
            this.value = value;
            this.source = source;
        }

        public String value() {
            return value;
        }

        public String source() {
            return source;
        }
    }
}
