package io.github.mfasession.benchmarks;

import io.github.mfasession.MfaSessionProvider;
import io.github.mfasession.testkit.StsEmulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;

/**
 * Prepares a throwaway home folder for the whole-process comparisons: {@code ~/.aws/config} and
 * {@code ~/.aws/credentials} with a profile {@code dev} (long-term keys of a local STS emulator user and its
 * MFA device) and a profile {@code plain} (a key pair only, for the AWS CLI), then gets one session for
 * {@code dev} from the emulator into {@code ~/.aws/mfa-session/cache}, where
 * {@code credential-process --profile dev} finds it.
 *
 * <p>The emulator stops when this program ends. The profile's {@code endpoint_url} points at a closed
 * loopback port, so a run that misses the cache fails instead of reaching AWS.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.github.mfasession.benchmarks.WarmCache <home folder>}
 */
public final class WarmCache {

    private WarmCache() {
    }

    public static void main(String[] args) throws IOException {
        // No SLF4J binding here, on purpose: nothing to log, and no warning about it either.
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        if (args.length != 1) {
            System.err.println("Usage: WarmCache <home folder>");
            System.exit(2);
        }
        Path aws = Paths.get(args[0]).toAbsolutePath().resolve(".aws");
        try (StsEmulator sts = StsEmulator.start()) {
            warm(aws, sts, "http://127.0.0.1:9",
                 "[profile plain]\nregion = us-east-1\n",
                 "[plain]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
        }
    }

    /**
     * Writes {@code config} and {@code credentials} in the folder with profile {@code dev} (a new emulator user's keys
     * and MFA device, STS at {@code endpointUrl}) followed by the given sections, then gets one session for
     * {@code dev} from the emulator into {@code mfa-session/cache} beside them.
     */
    static void warm(Path aws, StsEmulator sts, String endpointUrl, String moreConfig, String moreCredentials) throws IOException {
        Files.createDirectories(aws);
        EmulatedIdentity dev = EmulatedIdentity.create(sts, "dev");
        Path config = aws.resolve("config");
        Path credentials = aws.resolve("credentials");
        Files.write(config, ("[profile dev]\n"
                             + "region = us-east-1\n"
                             + "mfa_serial = " + dev.serialNumber() + "\n"
                             + "endpoint_url = " + endpointUrl + "\n"
                             + "\n"
                             + moreConfig).getBytes(StandardCharsets.UTF_8));
        Files.write(credentials, ("[dev]\n"
                                  + "aws_access_key_id = " + dev.user.accessKeyId() + "\n"
                                  + "aws_secret_access_key = " + dev.user.secretAccessKey() + "\n"
                                  + "\n"
                                  + moreCredentials).getBytes(StandardCharsets.UTF_8));
        ProfileFile profiles = ProfileFile.aggregator()
                                          .addFile(ProfileFile.builder().content(config).type(ProfileFile.Type.CONFIGURATION).build())
                                          .addFile(ProfileFile.builder().content(credentials).type(ProfileFile.Type.CREDENTIALS).build())
                                          .build();
        try (MfaSessionProvider provider = MfaSessionProvider.builder()
                                                             .profileName("dev")
                                                             .profileFile(profiles)
                                                             .region(Region.US_EAST_1)
                                                             .stsEndpoint(sts.endpoint())
                                                             .cache("disk")
                                                             .cacheDirectory(aws.resolve("mfa-session").resolve("cache"))
                                                             .codeSupplier(EmulatedIdentity.fixedCode(sts.currentCode(dev.serialNumber())))
                                                             .build()) {
            provider.resolveCredentials();
        }
    }
}
