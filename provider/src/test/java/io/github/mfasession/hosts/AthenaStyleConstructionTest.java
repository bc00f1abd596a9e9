package io.github.mfasession.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.MfaSessionProvider;
import io.github.mfasession.testkit.RecordedCall;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hosts that build the provider by reflection with String arguments, as Athena JDBC 3 does, get a working MFA
 * session. The host JVM is configured as users configure theirs: profile files and cache folder as system
 * properties, the code in {@code AWS_MFA_CODE}.
 */
class AthenaStyleConstructionTest {

    @TempDir
    Path folder;

    @Test
    void aProviderBuiltFromTwoStringArgumentsSignsTheHostsCallsWithTheMfaSession() throws Exception {
        try (HostFixture fixture = new HostFixture(folder, "")) {
            Map<String, String> environment = fixture.environment();
            Map<String, String> systemProperties = Map.of(
                "aws.configFile", environment.remove("AWS_CONFIG_FILE"),
                "aws.sharedCredentialsFile", environment.remove("AWS_SHARED_CREDENTIALS_FILE"),
                "aws.mfaCacheDir", environment.remove("AWS_MFA_CACHE_DIR"));

            HostProcess.Result host = HostProcess.run(
                HostProcess.java(AthenaStyleHost.class, systemProperties, MfaSessionProvider.class.getName(), "dev,mfa_code_supplier=env"),
                environment, folder);

            assertEquals(0, host.exitCode(), host.toString());
            assertEquals(fixture.user.arn(), host.stdout().strip());
            assertEquals(fixture.device.serialNumber(), fixture.theOnlyGetSessionToken().serialNumber());
            List<RecordedCall> hostCalls = fixture.hostCalls();
            assertEquals(1, hostCalls.size(), hostCalls.toString());
            assertEquals("GetCallerIdentity", hostCalls.get(0).action());
            assertTrue(hostCalls.get(0).multiFactorAuthPresent(), hostCalls.toString());
        }
    }
}
