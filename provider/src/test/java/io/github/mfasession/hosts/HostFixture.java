package io.github.mfasession.hosts;

import io.github.mfasession.testkit.IamUser;
import io.github.mfasession.testkit.RecordedCall;
import io.github.mfasession.testkit.StsEmulator;
import io.github.mfasession.testkit.VirtualMfaDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A local STS with one IAM user and virtual MFA device, and what a host process needs to use them from a
 * temporary folder: {@code [dev]} in the credentials file holds the user's keys, {@code [profile dev]} in the
 * config file the device, followed by any profiles a test adds.
 */
final class HostFixture implements AutoCloseable {

    final StsEmulator sts = StsEmulator.start();
    final IamUser user = sts.addUser("alice");
    final VirtualMfaDevice device = sts.addVirtualMfaDevice(user);
    final Path folder;

    HostFixture(Path folder, String moreConfig) throws IOException {
        this.folder = folder;
        Files.writeString(config(), "[profile dev]\nregion = us-east-1\nmfa_serial = " + device.serialNumber() + "\n\n" + moreConfig);
        Files.writeString(folder.resolve("credentials"),
                          "[dev]\naws_access_key_id = " + user.accessKeyId() + "\naws_secret_access_key = " + user.secretAccessKey() + "\n");
        Files.createDirectories(folder.resolve("home"));
    }

    Path config() {
        return folder.resolve("config");
    }

    /**
     * The environment of a host process: these profile files, a cache folder and home of its own, the emulator as
     * STS, and the code the device shows now in {@code AWS_MFA_CODE}.
     */
    Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("HOME", folder.resolve("home").toString());
        environment.put("AWS_CONFIG_FILE", config().toString());
        environment.put("AWS_SHARED_CREDENTIALS_FILE", folder.resolve("credentials").toString());
        environment.put("AWS_MFA_CACHE_DIR", folder.resolve("cache").toString());
        environment.put("AWS_ENDPOINT_URL_STS", sts.endpoint().toString());
        environment.put("AWS_MFA_CODE", sts.currentCode(device.serialNumber()));
        return environment;
    }

    /** The calls the emulator received other than GetSessionToken: the ones the host made with the session. */
    List<RecordedCall> hostCalls() {
        return sts.calls().stream().filter(call -> !"GetSessionToken".equals(call.action())).collect(Collectors.toList());
    }

    /** The one GetSessionToken call, after checking there was exactly one. */
    RecordedCall theOnlyGetSessionToken() {
        List<RecordedCall> calls = sts.calls().stream().filter(call -> "GetSessionToken".equals(call.action())).collect(Collectors.toList());
        if (calls.size() != 1) {
            throw new AssertionError("expected exactly one GetSessionToken call, got " + sts.calls());
        }
        return calls.get(0);
    }

    @Override
    public void close() {
        sts.close();
    }
}
