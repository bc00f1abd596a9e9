package io.github.mfasession.benchmarks;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaCodeSupplier;
import io.github.mfasession.testkit.IamUser;
import io.github.mfasession.testkit.StsEmulator;
import io.github.mfasession.testkit.VirtualMfaDevice;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * An IAM user of the local STS emulator with a fresh virtual MFA device, and a credentials file holding the
 * user's long-term keys, parsed in memory. Each code is accepted once, so a benchmark that gets a new session
 * per invocation makes a new identity per invocation.
 */
final class EmulatedIdentity {

    final IamUser user;
    final VirtualMfaDevice device;
    final ProfileFile credentialsFile;
    final String profileName;

    private EmulatedIdentity(StsEmulator sts, String profileName) {
        this.profileName = profileName;
        this.user = sts.addUser(profileName);
        this.device = sts.addVirtualMfaDevice(user);
        String content = "[" + profileName + "]\n"
                         + "aws_access_key_id = " + user.accessKeyId() + "\n"
                         + "aws_secret_access_key = " + user.secretAccessKey() + "\n";
        this.credentialsFile = ProfileFile.builder()
                                          .content(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)))
                                          .type(ProfileFile.Type.CREDENTIALS)
                                          .build();
    }

    /** A new user and device named after the profile, which must be unique in the emulator. */
    static EmulatedIdentity create(StsEmulator sts, String profileName) {
        return new EmulatedIdentity(sts, profileName);
    }

    String serialNumber() {
        return device.serialNumber();
    }

    /** A non-interactive supplier that answers with the code given, as {@code env} does with AWS_MFA_CODE. */
    static MfaCodeSupplier fixedCode(String code) {
        return new MfaCodeSupplier() {
            @Override
            public String name() {
                return "benchmark";
            }

            @Override
            public String code(MfaCodeRequest request) {
                return code;
            }
        };
    }
}
