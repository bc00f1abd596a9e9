package io.github.mfasession.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mfasession.internal.cli.Main;
import io.github.mfasession.testkit.RecordedCall;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS CLI, a real host, getting the MFA session from our command line through {@code credential_process}:
 * {@code [profile dev-mfa]} runs {@code credential-process --profile dev}. Skipped where {@code aws} is not
 * installed.
 */
class AwsCliCredentialProcessTest {

    private static final Optional<Path> AWS = HostProcess.onPath("aws");

    @TempDir
    Path folder;

    @BeforeEach
    void needsTheAwsCli() {
        assumeTrue(AWS.isPresent(), "The AWS CLI (aws) is not on the PATH; install it (apt-get install awscli) to run this test.");
    }

    @Test
    void theCliCallsAwsWithTheMfaSessionFromCredentialProcess() throws Exception {
        try (HostFixture fixture = cliFixture()) {
            HostProcess.Result cli = getCallerIdentity(fixture, fixture.environment());

            assertEquals(0, cli.exitCode(), cli.toString());
            assertTrue(cli.stdout().contains("\"" + fixture.user.arn() + "\""), cli.toString());
            assertEquals(fixture.device.serialNumber(), fixture.theOnlyGetSessionToken().serialNumber());
            RecordedCall identity = theOnly(fixture.hostCalls());
            assertEquals("GetCallerIdentity", identity.action());
            assertTrue(identity.accessKeyId().startsWith("ASIA"), identity.toString());
            assertTrue(identity.multiFactorAuthPresent(), identity.toString());
        }
    }

    @Test
    void aSecondCliRunReusesTheCachedSessionWithoutCallingGetSessionToken() throws Exception {
        try (HostFixture fixture = cliFixture()) {
            Map<String, String> environment = fixture.environment();
            getCallerIdentity(fixture, environment);
            // The same environment again: its code is spent, so only the cache can serve this run.
            HostProcess.Result second = getCallerIdentity(fixture, environment);

            assertEquals(0, second.exitCode(), second.toString());
            fixture.theOnlyGetSessionToken();
            List<RecordedCall> calls = fixture.hostCalls();
            assertEquals(2, calls.size(), calls.toString());
            assertEquals(calls.get(0).accessKeyId(), calls.get(1).accessKeyId());
            assertTrue(calls.get(1).multiFactorAuthPresent(), calls.toString());
        }
    }

    private HostFixture cliFixture() throws Exception {
        String command = String.join(" ", HostProcess.javaCommand()) + " " + Main.class.getName() + " credential-process --profile dev";
        return new HostFixture(folder, "[profile dev-mfa]\ncredential_process = " + command + "\n");
    }

    private HostProcess.Result getCallerIdentity(HostFixture fixture, Map<String, String> environment) throws Exception {
        return HostProcess.run(List.of(AWS.get().toString(), "sts", "get-caller-identity", "--profile", "dev-mfa",
                                       "--endpoint-url", fixture.sts.endpoint().toString(), "--region", "us-east-1",
                                       "--output", "json"),
                               environment, folder);
    }

    private static RecordedCall theOnly(List<RecordedCall> calls) {
        assertEquals(1, calls.size(), calls.toString());
        return calls.get(0);
    }
}
