package io.github.mfasession.internal.serve;

import io.github.mfasession.internal.settings.ProfileFiles;
import io.github.mfasession.internal.settings.Setting;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.profiles.ProfileFileSystemSetting;

/**
 * Which of this JVM's {@code aws.*} system properties the background server's JVM gets, and how.
 *
 * <p>A command line is readable by every local user ({@code /proc/PID/cmdline}) for as long as the server runs, so
 * only an allow-list of settings that hold no secret goes there as {@code -D}: the properties of SPEC's settings
 * table, the profile files, the region and the endpoints. The SDK's secret-bearing properties ({@code
 * aws.accessKeyId}, {@code aws.secretAccessKey}, {@code aws.sessionToken}, {@code aws.containerAuthorizationToken})
 * go into the child's environment instead, as the SDK's own variables for the same settings: a process's environment
 * is readable only by its owner and root ({@code /proc/PID/environ} is 0400), and nothing is written to disk (a file
 * would put the long-term secret on disk, which the provider never does). The SDK reads the property before the
 * variable, so the child sees the value this JVM saw. Any other {@code aws.*} property is not passed.
 */
final class ChildJvmSettings {

    private static final List<SdkSystemSetting> SECRETS = List.of(
        SdkSystemSetting.AWS_ACCESS_KEY_ID,
        SdkSystemSetting.AWS_SECRET_ACCESS_KEY,
        SdkSystemSetting.AWS_SESSION_TOKEN,
        SdkSystemSetting.AWS_CONTAINER_AUTHORIZATION_TOKEN);

    private static final Set<String> ALLOWED = Stream.of(
        Stream.of(Setting.values()).map(Setting::systemProperty).flatMap(Optional::stream),
        Stream.of(ProfileFileSystemSetting.AWS_CONFIG_FILE.property(),
                  ProfileFileSystemSetting.AWS_SHARED_CREDENTIALS_FILE.property(),
                  SdkSystemSetting.AWS_REGION.property(),
                  SdkSystemSetting.AWS_USE_FIPS_ENDPOINT.property(),
                  SdkSystemSetting.AWS_USE_DUALSTACK_ENDPOINT.property(),
                  SdkSystemSetting.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS.property()))
        .flatMap(names -> names)
        .collect(Collectors.toUnmodifiableSet());

    /** Our own properties ({@code aws.mfaSessionProvider.configFile}, ...), and the SDK's endpoint URLs ({@code aws.endpointUrl}, {@code aws.endpointUrlSts}). */
    private static final List<String> ALLOWED_PREFIXES = List.of(ProfileFiles.PROPERTY_PREFIX, "aws.endpointUrl");

    private ChildJvmSettings() {
    }

    /** The {@code -Dname=value} arguments for the allowed properties, sorted by name. */
    static List<String> commandLineProperties(Properties properties) {
        List<String> arguments = new ArrayList<>();
        properties.stringPropertyNames().stream()
                  .filter(ChildJvmSettings::allowed)
                  .sorted()
                  .forEach(name -> arguments.add("-D" + name + "=" + properties.getProperty(name)));
        return arguments;
    }

    /** The SDK's environment variables for the secret-bearing properties that are set. */
    static Map<String, String> secretsAsEnvironment(Properties properties) {
        Map<String, String> environment = new HashMap<>();
        for (SdkSystemSetting secret : SECRETS) {
            String value = properties.getProperty(secret.property());
            if (value != null) {
                environment.put(secret.environmentVariable(), value);
            }
        }
        return environment;
    }

    private static boolean allowed(String name) {
        return ALLOWED.contains(name) || ALLOWED_PREFIXES.stream().anyMatch(name::startsWith);
    }
}
