package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * {@code emulator} driven by real clients, with the profiles it printed: the AWS CLI (Debian's, /usr/bin/aws) and
 * boto3. Every AWS CLI call names the emulator with {@code --endpoint-url}: this CLI predates {@code endpoint_url}
 * in profiles and would otherwise call AWS.
 */
class AllJarEmulatorIT {

    private static final Path AWS_CLI = Path.of("/usr/bin/aws");

    @TempDir
    Path folder;
    Path home;

    @BeforeEach
    void makeHome() throws Exception {
        home = Files.createDirectories(folder.resolve("home"));
    }

    private Map<String, String> profiles(EmulatorProcess emulator) throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("HOME", home.toString());
        environment.put("AWS_CONFIG_FILE", emulator.writeConfig(folder.resolve("config")).toString());
        environment.put("AWS_SHARED_CREDENTIALS_FILE", emulator.writeCredentials(folder.resolve("credentials")).toString());
        return environment;
    }

    private ChildJvm.Result awsCli(EmulatorProcess emulator, Map<String, String> environment, String... args) throws Exception {
        assumeTrue(Files.isExecutable(AWS_CLI), "needs the AWS CLI at /usr/bin/aws (Debian package awscli); not installed here");
        List<String> command = new ArrayList<>(List.of(AWS_CLI.toString(), "--endpoint-url", emulator.endpoint.toString(), "--output", "json"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().putAll(environment);
        return ChildJvm.run(builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))), folder);
    }

    private String emulatorCode(String user) throws Exception {
        ChildJvm.Result code = ChildJvm.run(ChildJvm.allJar(Map.of("HOME", home.toString()), "emulator", "code", "--user", user), folder);
        assertEquals(0, code.exitCode(), code.stderr());
        return code.stdout().trim();
    }

    /** The code command as mfa_process: how the printed profile gets codes with no person at a terminal. */
    private String codeCommand() {
        return "java -jar '" + ChildJvm.allJarPath() + "' emulator code --user alice";
    }

    @Test
    void theAwsCliGetsASessionTokenWithTheCodeThatEmulatorCodePrints() throws Exception {
        try (EmulatorProcess emulator = EmulatorProcess.start(home)) {
            Map<String, String> environment = profiles(emulator);
            String code = emulatorCode("alice");
            assertTrue(code.matches("\\d{6}"), code);

            ChildJvm.Result session = awsCli(emulator, environment, "--profile", "emulator-alice", "sts", "get-session-token",
                                             "--serial-number", emulator.serial("alice"), "--token-code", code);

            assertEquals(0, session.exitCode(), session.stderr());
            assertTrue(JsonNode.parser().parse(session.stdout()).field("Credentials").orElseThrow().field("AccessKeyId").orElseThrow()
                               .text().startsWith("ASIA"), session.stdout());
        }
    }

    @Test
    void theAwsCliGetsTheCallerIdentityThroughThePrintedCredentialProcessProfile() throws Exception {
        try (EmulatorProcess emulator = EmulatorProcess.start(home)) {
            Map<String, String> environment = profiles(emulator);
            environment.put("AWS_MFA_PROCESS", codeCommand());

            ChildJvm.Result identity = awsCli(emulator, environment, "--profile", "emulator-alice-mfa", "sts", "get-caller-identity");

            assertEquals(0, identity.exitCode(), identity.stderr());
            assertEquals("arn:aws:iam::" + emulator.accountId + ":user/alice",
                         JsonNode.parser().parse(identity.stdout()).field("Arn").orElseThrow().text());
        }
    }

    @Test
    void aRoleThatRequiresMfaIsAssumedWithTheMfaSession() throws Exception {
        try (EmulatorProcess emulator = EmulatorProcess.start(home, "--role", "admin")) {
            Map<String, String> environment = profiles(emulator);
            environment.put("AWS_MFA_PROCESS", codeCommand());

            ChildJvm.Result identity = awsCli(emulator, environment, "--profile", "emulator-alice-admin-mfa", "sts", "get-caller-identity");

            assertEquals(0, identity.exitCode(), identity.stderr());
            assertTrue(JsonNode.parser().parse(identity.stdout()).field("Arn").orElseThrow().text()
                               .startsWith("arn:aws:sts::" + emulator.accountId + ":assumed-role/admin/"), identity.stdout());
        }
    }

    @Test
    void boto3GetsTheCallerIdentityThroughThePrintedProfile() throws Exception {
        String python = pythonWithBoto3();
        try (EmulatorProcess emulator = EmulatorProcess.start(home)) {
            Map<String, String> environment = profiles(emulator);
            environment.put("AWS_MFA_PROCESS", codeCommand());
            // boto3 before 1.28 reads no endpoint_url from the profile and would call AWS: then it is given in code.
            String script = "import boto3, botocore\n"
                            + "old = tuple(int(n) for n in botocore.__version__.split('.')[:2]) < (1, 31)\n"
                            + "session = boto3.Session(profile_name='emulator-alice-mfa')\n"
                            + "sts = session.client('sts', endpoint_url='" + emulator.endpoint + "') if old else session.client('sts')\n"
                            + "print(sts.get_caller_identity()['Arn'])\n";
            ProcessBuilder builder = new ProcessBuilder(python, "-c", script);
            builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
            builder.environment().putAll(environment);

            ChildJvm.Result identity = ChildJvm.run(builder, folder);

            assertEquals(0, identity.exitCode(), identity.stderr());
            assertEquals("arn:aws:iam::" + emulator.accountId + ":user/alice", identity.stdout().trim());
        }
    }

    @Test
    void ctrlCStopsItCleanlyAndTheSameIdentitiesComeBackAtTheNextStart() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String first;
        try (EmulatorProcess emulator = EmulatorProcess.start(home, "--port", Integer.toString(port))) {
            first = emulator.printed;
            assertEquals(130, emulator.interrupt(), "the status of a program ended by Ctrl-C");
            assertTrue(emulator.stderr().contains("mfa-session-provider: the STS emulator at " + emulator.endpoint + " has stopped."),
                       emulator.stderr());
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", emulator.endpoint.getPort()).close());
        }
        try (EmulatorProcess again = EmulatorProcess.start(home, "--port", Integer.toString(port))) {
            assertEquals(first, again.printed);
        }
    }

    @Test
    void aPortInUseIsAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ChildJvm.Result result = ChildJvm.run(ChildJvm.allJar(Map.of("HOME", home.toString()), "emulator", "--port",
                                                                  Integer.toString(taken.getLocalPort())), folder);

            assertEquals(1, result.exitCode());
            assertTrue(result.stderr().startsWith("mfa-session-provider: error: Could not listen on loopback port " + taken.getLocalPort()),
                       result.stderr());
            assertTrue(result.stderr().contains("Choose another with --port, or leave it out for a free one."), result.stderr());
        }
    }

    @Test
    void emulatorCodeBeforeTheFirstStartIsAClearError() throws Exception {
        ChildJvm.Result result = ChildJvm.run(ChildJvm.allJar(Map.of("HOME", home.toString()), "emulator", "code"), folder);

        assertEquals(1, result.exitCode());
        assertEquals("", result.stdout());
        assertTrue(result.stderr().startsWith("mfa-session-provider: error: The emulator has no devices yet: "), result.stderr());
    }

    /** A python3 with boto3: the first on PATH, else Debian's; the test is skipped, saying so, where neither has it. */
    private static String pythonWithBoto3() throws Exception {
        for (String python : List.of("python3", "/usr/bin/python3")) {
            try {
                Process probe = new ProcessBuilder(python, "-c", "import boto3").redirectErrorStream(true).start();
                if (probe.waitFor() == 0) {
                    return python;
                }
            } catch (java.io.IOException e) {
                // Not installed: try the next.
            }
        }
        assumeTrue(false, "needs python3 with boto3; neither python3 on PATH nor /usr/bin/python3 has it here");
        return null;
    }
}
