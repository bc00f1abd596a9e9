package io.github.mfasession.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mfasession.internal.cli.Main;
import io.github.mfasession.testkit.RecordedCall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients, with no code of ours, getting the MFA session from one {@code serve --background} for profiles
 * {@code dev} (MFA) and {@code prod} (a role assumed with dev's session), each calling {@code sts
 * get-caller-identity} against the local STS emulator: Debian's AWS CLI v2 ({@code /usr/bin/aws}), boto3, and
 * the AWS SDK for Java v2's default chain. Each client skips, saying why, where it is not installed.
 */
class ServeWithRealClientsTest {

    private static final Path DEBIAN_AWS_CLI = Path.of("/usr/bin/aws");
    /** The first botocore to read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (Amazon EKS User Guide, "Use pod identity with the AWS SDK"). */
    private static final List<Integer> BOTOCORE_WITH_TOKEN_FILE = List.of(1, 34, 41);

    @TempDir
    static Path folder;
    static ServeFixture fixture;
    static String prodRole;
    static String devUri;
    static String prodUri;

    @BeforeAll
    static void startTheServer() throws Exception {
        fixture = new ServeFixture(folder, "");
        prodRole = fixture.hosts.sts.addRole("prod-admin", true);
        Files.writeString(fixture.hosts.config(), "\n[profile prod]\nrole_arn = " + prodRole + "\nsource_profile = dev\nregion = us-east-1\n",
                          StandardOpenOption.APPEND);
        HostProcess.Result serve = fixture.serve(fixture.serveEnvironment(true), "--background", "--profile", "dev", "--profile", "prod");
        assertEquals(0, serve.exitCode(), serve.toString());
        devUri = ServeFixture.exported(serve.stdout(), "AWS_CONTAINER_CREDENTIALS_FULL_URI");
        prodUri = devUri.replace("/profiles/dev", "/profiles/prod");
        assertEquals(fixture.tokenFile().toString(), ServeFixture.exported(serve.stdout(), "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"));
        assertTrue(serve.stdout().contains("#   " + prodUri + "\n"), serve.stdout());
    }

    @AfterAll
    static void stopTheServer() throws Exception {
        fixture.close();
    }

    private static HostProcess.Result awsCli(Map<String, String> variables) throws Exception {
        assumeTrue(Files.isExecutable(DEBIAN_AWS_CLI), "Debian's AWS CLI v2 is not installed (apt-get install awscli); it is the CLI this test runs.");
        return HostProcess.run(List.of(DEBIAN_AWS_CLI.toString(), "sts", "get-caller-identity", "--region", "us-east-1",
                                       "--endpoint-url", fixture.hosts.sts.endpoint().toString(), "--output", "text", "--query", "Arn"),
                               fixture.clientEnvironment(variables), folder);
    }

    /** The GetCallerIdentity calls the emulator received after {@code mark} calls in all. */
    private static List<RecordedCall> callerIdentityCallsAfter(int mark) {
        return fixture.hosts.sts.calls().subList(mark, fixture.hosts.sts.calls().size()).stream()
                                .filter(call -> "GetCallerIdentity".equals(call.action()))
                                .collect(Collectors.toList());
    }

    private static RecordedCall theOnly(List<RecordedCall> calls) {
        assertEquals(1, calls.size(), calls.toString());
        return calls.get(0);
    }

    @Test
    void theDebianAwsCliCallsStsWithTheServedMfaSessionGivenTheTokenVariable() throws Exception {
        int mark = fixture.hosts.sts.calls().size();

        HostProcess.Result cli = awsCli(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", devUri, "AWS_CONTAINER_AUTHORIZATION_TOKEN", fixture.token()));

        assertEquals(0, cli.exitCode(), cli.toString());
        assertEquals(fixture.hosts.user.arn(), cli.stdout().strip());
        RecordedCall call = theOnly(callerIdentityCallsAfter(mark));
        assertTrue(call.accessKeyId().startsWith("ASIA") && call.multiFactorAuthPresent(), call.toString());
        assertEquals(1, fixture.hosts.sts.getSessionTokenCalls(), "the one session the server got at start");
    }

    @Test
    void theDebianAwsCliReadsOnlyTheTokenVariableSoWithTheTokenFileAloneItIsRefused() throws Exception {
        int mark = fixture.hosts.sts.calls().size();

        HostProcess.Result cli = awsCli(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", devUri,
                                               "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", fixture.tokenFile().toString()));

        assertNotEquals(0, cli.exitCode(), cli.toString());
        assertTrue(cli.stderr().contains("403"), cli.stderr());
        assertEquals(0, callerIdentityCallsAfter(mark).size());
    }

    @Test
    void theAwsCliWithAWrongTokenIsRefusedAndCallsNothing() throws Exception {
        int mark = fixture.hosts.sts.calls().size();

        HostProcess.Result cli = awsCli(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", devUri, "AWS_CONTAINER_AUTHORIZATION_TOKEN", "not-the-token"));

        assertNotEquals(0, cli.exitCode(), cli.toString());
        assertTrue(cli.stderr().contains("403"), cli.stderr());
        assertEquals(0, callerIdentityCallsAfter(mark).size());
    }

    @Test
    void aRoleProfileIsServedAsTheRoleAssumedWithTheMfaSession() throws Exception {
        int mark = fixture.hosts.sts.calls().size();

        HostProcess.Result cli = awsCli(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", prodUri, "AWS_CONTAINER_AUTHORIZATION_TOKEN", fixture.token()));

        assertEquals(0, cli.exitCode(), cli.toString());
        String assumedRole = "arn:aws:sts::" + fixture.hosts.sts.accountId() + ":assumed-role/prod-admin/";
        assertTrue(cli.stdout().strip().startsWith(assumedRole), cli.stdout());
        theOnly(callerIdentityCallsAfter(mark));
        assertEquals(1, fixture.hosts.sts.getSessionTokenCalls(), "one code served both profiles");
        assertEquals(1, fixture.hosts.sts.assumeRoleCalls());
    }

    @Test
    void boto3ReadsTheTokenFromTheTokenFile() throws Exception {
        Optional<String> python = pythonWithBoto3(true);
        assumeTrue(python.isPresent(), "No python3 here has boto3 with botocore 1.34.41 or later (the first to read"
                                       + " AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE); pip install boto3 to run this test.");
        int mark = fixture.hosts.sts.calls().size();

        HostProcess.Result boto3 = boto3GetCallerIdentity(python.get(), Map.of(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI", devUri, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", fixture.tokenFile().toString()));

        assertEquals(0, boto3.exitCode(), boto3.toString());
        assertEquals(fixture.hosts.user.arn(), boto3.stdout().strip());
        RecordedCall call = theOnly(callerIdentityCallsAfter(mark));
        assertTrue(call.accessKeyId().startsWith("ASIA") && call.multiFactorAuthPresent(), call.toString());
    }

    @Test
    void anOlderBoto3GetsTheSessionWithTheTokenVariable() throws Exception {
        Optional<String> python = pythonWithBoto3(false);
        assumeTrue(python.isPresent(), "No python3 here has a boto3 older than botocore 1.34.41 (Debian 12's python3-boto3 is one);"
                                       + " apt-get install python3-boto3 to run this test.");
        int mark = fixture.hosts.sts.calls().size();

        HostProcess.Result boto3 = boto3GetCallerIdentity(python.get(), Map.of(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI", devUri, "AWS_CONTAINER_AUTHORIZATION_TOKEN", fixture.token()));

        assertEquals(0, boto3.exitCode(), boto3.toString());
        assertEquals(fixture.hosts.user.arn(), boto3.stdout().strip());
        theOnly(callerIdentityCallsAfter(mark));
    }

    @Test
    void theJavaSdksDefaultChainGetsTheServedSessionThroughItsContainerProviderFromTheTokenFile() throws Exception {
        int mark = fixture.hosts.sts.calls().size();

        HostProcess.Result java = HostProcess.run(
            HostProcess.java(ContainerCredentialsHost.class, Map.of(), fixture.hosts.sts.endpoint().toString()),
            fixture.clientEnvironment(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", devUri,
                                             "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", fixture.tokenFile().toString())),
            folder);

        assertEquals(0, java.exitCode(), java.toString());
        assertEquals(fixture.hosts.user.arn(), java.stdout().strip());
        RecordedCall call = theOnly(callerIdentityCallsAfter(mark));
        assertTrue(call.accessKeyId().startsWith("ASIA") && call.multiFactorAuthPresent(), call.toString());
    }

    @Test
    void theReadmeRecipeEvalInAPosixShellThenTheCliInThatShellUsesTheRunningServerWithoutACode() throws Exception {
        assumeTrue(Files.isExecutable(DEBIAN_AWS_CLI), "Debian's AWS CLI v2 is not installed (apt-get install awscli).");
        int mark = fixture.hosts.sts.calls().size();
        String serve = String.join(" ", HostProcess.java(Main.class, Map.of(), "serve", "--background", "--profile", "dev", "--token-variable"));
        // The same shell, with the user's profile files: the CLI's chain finds no default profile, then the server.
        String script = "eval \"$(" + serve + ")\" && exec " + DEBIAN_AWS_CLI + " sts get-caller-identity --region us-east-1"
                        + " --endpoint-url " + fixture.hosts.sts.endpoint() + " --output text --query Arn";

        HostProcess.Result shell = HostProcess.run(List.of("sh", "-c", script), fixture.serveEnvironment(false), folder);

        assertEquals(0, shell.exitCode(), shell.toString());
        assertEquals(fixture.hosts.user.arn(), shell.stdout().strip());
        assertTrue(shell.stderr().contains("Using the server already running"), shell.stderr());
        theOnly(callerIdentityCallsAfter(mark));
        assertEquals(1, fixture.hosts.sts.getSessionTokenCalls());
    }

    /**
     * A python3 with boto3 whose botocore does (or does not) read the token file, as its full path (pyenv's shims
     * need their own HOME): the first on the PATH, then Debian's.
     */
    private static Optional<String> pythonWithBoto3(boolean readsTheTokenFile) throws Exception {
        List<Path> candidates = new ArrayList<>();
        HostProcess.onPath("python3").ifPresent(candidates::add);
        candidates.add(Path.of("/usr/bin/python3"));
        for (Path python : candidates) {
            if (!Files.isExecutable(python)) {
                continue;
            }
            HostProcess.Result probe = HostProcess.run(
                List.of(python.toString(), "-c", "import sys, botocore, boto3; print(sys.executable); print(botocore.__version__)"),
                Map.of(), folder);
            if (probe.exitCode() != 0) {
                continue;
            }
            List<String> lines = probe.stdout().lines().collect(Collectors.toList());
            if (atLeast(lines.get(1), BOTOCORE_WITH_TOKEN_FILE) == readsTheTokenFile) {
                return Optional.of(lines.get(0));
            }
        }
        return Optional.empty();
    }

    private static boolean atLeast(String version, List<Integer> minimum) {
        String[] parts = version.split("\\.");
        for (int i = 0; i < minimum.size(); i++) {
            int compared = Integer.compare(i < parts.length ? Integer.parseInt(parts[i].replaceAll("\\D.*", "")) : 0, minimum.get(i));
            if (compared != 0) {
                return compared > 0;
            }
        }
        return true;
    }

    private static HostProcess.Result boto3GetCallerIdentity(String python, Map<String, String> variables) throws Exception {
        return HostProcess.run(
            List.of(python, "-c", "import boto3, sys; print(boto3.client('sts', region_name='us-east-1', endpoint_url=sys.argv[1])"
                                  + ".get_caller_identity()['Arn'])", fixture.hosts.sts.endpoint().toString()),
            fixture.clientEnvironment(variables), folder);
    }
}
