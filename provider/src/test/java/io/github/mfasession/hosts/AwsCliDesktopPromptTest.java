package io.github.mfasession.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mfasession.internal.cli.Main;
import io.github.mfasession.internal.code.DesktopDriver;
import io.github.mfasession.testkit.RecordedCall;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS CLI run with no terminal (as an editor or a GUI tool runs it) on a desktop: its {@code credential_process}
 * asks for the code with zenity, and the CLI's call is made with the MFA session.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "zenity runs on Linux desktops")
class AwsCliDesktopPromptTest {

    /** Debian's AWS CLI v2; the one first on PATH may be an old v1 from pyenv. */
    private static final Path AWS = Path.of("/usr/bin/aws");

    @TempDir
    Path folder;
    private AutoCloseable display;
    private Process cli;

    @BeforeEach
    void needsTheAwsCliAndADisplay() throws Exception {
        assumeTrue(Files.isExecutable(AWS), "The AWS CLI is not at /usr/bin/aws; install it (apt-get install awscli) to run this test.");
        DesktopDriver.assumeAvailable("zenity");
        display = DesktopDriver.holdDisplay();
    }

    @AfterEach
    void nothingLeftWaiting() throws Exception {
        if (cli != null) {
            cli.descendants().forEach(ProcessHandle::destroyForcibly);
            cli.destroyForcibly();
        }
        if (display != null) {
            display.close();
        }
    }

    @Test
    void theCliWithoutATerminalGetsTheCodeFromZenityAndCallsAwsWithTheSession() throws Exception {
        String command = String.join(" ", HostProcess.javaCommand()) + " " + Main.class.getName() + " credential-process --profile dev";
        try (HostFixture fixture = new HostFixture(folder, "[profile dev-mfa]\ncredential_process = " + command + "\n")) {
            Map<String, String> environment = fixture.environment();
            environment.remove("AWS_MFA_CODE");
            ProcessBuilder builder = new ProcessBuilder("setsid", "-w", AWS.toString(), "sts", "get-caller-identity", "--profile", "dev-mfa",
                                                       "--endpoint-url", fixture.sts.endpoint().toString(), "--region", "us-east-1",
                                                       "--output", "json");
            builder.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.equals("XDG_CURRENT_DESKTOP"));
            builder.environment().putAll(environment);
            cli = builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                         .redirectOutput(folder.resolve("stdout").toFile())
                         .redirectError(folder.resolve("stderr").toFile())
                         .start();

            DesktopDriver.await(cli.toHandle(), "zenity", null, Duration.ofSeconds(60)).enter(fixture.sts.currentCode(fixture.device.serialNumber()));

            assertTrue(cli.waitFor(60, TimeUnit.SECONDS), "the CLI ended");
            assertEquals(0, cli.exitValue(), Files.readString(folder.resolve("stderr")));
            assertTrue(Files.readString(folder.resolve("stdout")).contains("\"" + fixture.user.arn() + "\""));
            fixture.theOnlyGetSessionToken();
            List<RecordedCall> calls = fixture.hostCalls();
            assertEquals(1, calls.size(), calls.toString());
            assertTrue(calls.get(0).multiFactorAuthPresent(), calls.toString());
        }
    }
}
