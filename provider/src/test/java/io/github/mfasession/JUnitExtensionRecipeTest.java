package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.mfasession.testkit.IamUser;
import io.github.mfasession.testkit.StsEmulator;
import io.github.mfasession.testkit.StsEmulatorExtension;
import io.github.mfasession.testkit.VirtualMfaDevice;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/** The README's recipe for users' own tests, as written there: the emulator from JUnit, the provider against it. */
class JUnitExtensionRecipeTest {

    @RegisterExtension
    static final StsEmulatorExtension STS = new StsEmulatorExtension();

    @Test
    void aProviderGetsAnMfaSessionFromTheEmulator() {
        StsEmulator sts = STS.emulator();
        IamUser alice = sts.addUser("alice");
        VirtualMfaDevice device = sts.addVirtualMfaDevice(alice);
        String keys = "[default]\naws_access_key_id = " + alice.accessKeyId() + "\naws_secret_access_key = " + alice.secretAccessKey() + "\n";

        try (MfaSessionProvider provider = MfaSessionProvider.builder()
                                                             .profileFile(ProfileFile.builder()
                                                                                     .content(new ByteArrayInputStream(keys.getBytes(StandardCharsets.UTF_8)))
                                                                                     .type(ProfileFile.Type.CREDENTIALS)
                                                                                     .build())
                                                             .mfaSerial(device.serialNumber())
                                                             .region(Region.US_EAST_1)
                                                             .stsEndpoint(sts.endpoint())
                                                             .cache("memory")
                                                             .codeSupplier("env")
                                                             .setting("mfa_code", sts.currentCode(device.serialNumber()))
                                                             .build();
             StsClient client = StsClient.builder()
                                         .endpointOverride(sts.endpoint())
                                         .region(Region.US_EAST_1)
                                         .credentialsProvider(provider)
                                         .build()) {
            assertEquals(alice.arn(), client.getCallerIdentity().arn());
        }
    }
}
