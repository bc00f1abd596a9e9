package io.github.mfasession;

import io.github.mfasession.internal.settings.ProfileFiles;
import io.github.mfasession.testkit.IamUser;
import io.github.mfasession.testkit.MutableClock;
import io.github.mfasession.testkit.StsEmulator;
import io.github.mfasession.testkit.VirtualMfaDevice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A local STS with one IAM user and virtual MFA device, and profile files for them in a temporary folder:
 * {@code [dev]} holds the user's keys, {@code [profile dev]} the device and the emulator's endpoint.
 */
final class StsFixture implements AutoCloseable {

    final MutableClock clock = MutableClock.atSystemTime();
    // The provider's clock is moved hours ahead to reach renewals; the SDK still signs with the real time.
    final StsEmulator sts = StsEmulator.builder().clock(clock).maxClockSkew(Duration.ofDays(30)).build();
    final IamUser user;
    final VirtualMfaDevice device;
    final Map<String, String> environment = new HashMap<>();
    final Path folder;
    final Path config;
    final Path credentials;

    StsFixture(Path folder) {
        this(folder, false);
    }

    StsFixture(Path folder, boolean root) {
        this.folder = folder;
        this.user = root ? sts.addRootUser() : sts.addUser("alice");
        this.device = sts.addVirtualMfaDevice(user);
        this.config = folder.resolve("config");
        this.credentials = folder.resolve("credentials");
        writeConfig("");
        write(credentials, "[dev]\naws_access_key_id = " + user.accessKeyId() + "\naws_secret_access_key = " + user.secretAccessKey() + "\n");
    }

    String serial() {
        return device.serialNumber();
    }

    /** Rewrites {@code [profile dev]} with the device, the emulator's endpoint and the given extra lines. */
    void writeConfig(String extraLines) {
        write(config, "[profile dev]\nregion = us-east-1\nendpoint_url = " + sts.endpoint() + "\nmfa_serial = " + serial() + "\n" + extraLines);
    }

    void writeCredentials(String content) {
        write(credentials, content);
    }

    /** The fixture's files, read as the provider reads the default ones. */
    ProfileFile profileFile() {
        return ProfileFiles.read(config, credentials);
    }

    /** A provider builder for {@code dev} reading this fixture's files, environment and clock, caching in its folder. */
    MfaSessionProvider.BuilderImpl builder() {
        MfaSessionProvider.BuilderImpl builder = new MfaSessionProvider.BuilderImpl();
        builder.profileName("dev")
               .profileFile(this::profileFile)
               .cacheDirectory(folder.resolve("cache"));
        return builder.environment(environment).clock(clock);
    }

    /**
     * The environment of another process (a command, a launcher, a tool running credential_process) reading this
     * fixture's profile files and caching in its folder, with the {@code env} supplier, and the code the device shows
     * now in {@code AWS_MFA_CODE} when asked.
     */
    Map<String, String> childEnvironment(boolean withCode) {
        Map<String, String> environment = new HashMap<>();
        environment.put("AWS_CONFIG_FILE", config.toString());
        environment.put("AWS_SHARED_CREDENTIALS_FILE", credentials.toString());
        environment.put("AWS_MFA_CACHE_DIR", folder.resolve("cache").toString());
        environment.put("AWS_MFA_CODE_SUPPLIER", "env");
        if (withCode) {
            environment.put("AWS_MFA_CODE", code());
        }
        return environment;
    }

    /** The code the device shows now. */
    String code() {
        return sts.currentCode(serial());
    }

    /** The code the device shows {@code steps} 30-second steps from now; STS accepts one step either side. */
    String code(int steps) {
        return sts.code(serial(), clock.instant().plusSeconds(30L * steps));
    }

    /** A real STS client calling the emulator with the given credentials. */
    StsClient stsClientFor(AwsCredentials credentials) {
        return StsClient.builder()
                        .endpointOverride(sts.endpoint())
                        .region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(credentials))
                        .httpClient(UrlConnectionHttpClient.create())
                        .build();
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        sts.close();
    }
}
