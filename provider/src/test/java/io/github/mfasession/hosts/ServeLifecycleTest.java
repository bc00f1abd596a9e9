package io.github.mfasession.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.internal.cli.Main;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} as a user starts and stops it, each command a process of its own: one server per user however many
 * start at once, a second {@code serve} reusing it, {@code status} showing it, and a stopped or crashed server
 * leaving nothing a client or a later {@code serve} could take for a live one.
 */
class ServeLifecycleTest {

    @TempDir
    Path folder;
    ServeFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new ServeFixture(folder, "");
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private HostProcess.Result startInBackground(boolean withCode) throws Exception {
        return fixture.serve(fixture.serveEnvironment(withCode), "--background", "--profile", "dev");
    }

    @Test
    void twoBackgroundServesStartedAtOnceMakeOneServerAndAskForOneCode() throws Exception {
        ExecutorService users = Executors.newFixedThreadPool(2);
        Future<HostProcess.Result> first = users.submit(() -> startInBackground(true));
        Future<HostProcess.Result> second = users.submit(() -> startInBackground(true));
        users.shutdown();

        HostProcess.Result one = first.get(120, TimeUnit.SECONDS);
        HostProcess.Result other = second.get(120, TimeUnit.SECONDS);

        assertEquals(0, one.exitCode(), one.toString());
        assertEquals(0, other.exitCode(), other.toString());
        assertEquals(one.stdout(), other.stdout(), "the same server's lines");
        assertEquals(1, fixture.hosts.sts.getSessionTokenCalls());
        List<ProcessHandle> servers = fixture.backgroundServers();
        assertEquals(1, servers.size(), servers.toString());
        assertEquals(servers.get(0).pid(), fixture.serverPid().orElseThrow());
    }

    @Test
    void aSecondBackgroundServeReusesTheRunningServerWithoutAskingForACode() throws Exception {
        HostProcess.Result first = startInBackground(true);

        HostProcess.Result second = startInBackground(false);

        assertEquals(0, second.exitCode(), second.toString());
        assertEquals(first.stdout(), second.stdout());
        assertTrue(second.stderr().contains("Using the server already running"), second.stderr());
        assertEquals(1, fixture.hosts.sts.getSessionTokenCalls());
    }

    @Test
    void serveStopEndsTheServerAndLeavesNoStateOrTokenFile() throws Exception {
        assertEquals(0, startInBackground(true).exitCode());
        ProcessHandle server = ProcessHandle.of(fixture.serverPid().orElseThrow()).orElseThrow();

        HostProcess.Result stop = fixture.serve(fixture.serveEnvironment(false), "--stop");

        assertEquals(0, stop.exitCode(), stop.toString());
        assertTrue(stop.stderr().startsWith("Stopped the server"), stop.stderr());
        assertFalse(server.isAlive());
        assertFalse(Files.exists(fixture.stateFile()));
        assertFalse(Files.exists(fixture.tokenFile()), "no token left for a client to send to whatever takes the port");
    }

    @Test
    void aForegroundServerEndedWithSigtermLikeCtrlCLeavesNoStateOrTokenFile() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(HostProcess.java(Main.class, Map.of(), "serve", "--profile", "dev"));
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().putAll(fixture.serveEnvironment(true));
        Path out = folder.resolve("foreground.out");
        Process serve = builder.redirectInput(new File("/dev/null")).redirectOutput(out.toFile()).redirectError(folder.resolve("foreground.err").toFile()).start();
        try {
            awaitFile(fixture.tokenFile());
            awaitLines(out);
            assertTrue(Files.exists(fixture.stateFile()));

            serve.destroy();

            assertTrue(serve.waitFor(30, TimeUnit.SECONDS));
            assertFalse(Files.exists(fixture.stateFile()));
            assertFalse(Files.exists(fixture.tokenFile()));
        } finally {
            serve.destroyForcibly();
        }
    }

    @Test
    void statusShowsTheRunningServerItsProfilesAndTheirTimeLeftWithoutSecrets() throws Exception {
        assertEquals(0, startInBackground(true).exitCode());

        HostProcess.Result status = fixture.main(fixture.serveEnvironment(false), "status");

        assertEquals(0, status.exitCode(), status.toString());
        long pid = fixture.serverPid().orElseThrow();
        assertTrue(status.stdout().contains("Server: process " + pid + " at http://127.0.0.1:"), status.stdout());
        assertTrue(status.stdout().lines().anyMatch(line -> line.matches("  dev +expires .* \\(11h 5\\dm left\\)")), status.stdout());
        assertFalse(status.stdout().contains(fixture.token()), "status never shows the token");
    }

    @Test
    void aServerKilledWithoutCleaningUpIsRecognisedAsStoppedAndReplaced() throws Exception {
        assertEquals(0, startInBackground(true).exitCode());
        ProcessHandle killed = ProcessHandle.of(fixture.serverPid().orElseThrow()).orElseThrow();
        killed.destroyForcibly();
        killed.onExit().get(30, TimeUnit.SECONDS);

        HostProcess.Result status = fixture.main(fixture.serveEnvironment(false), "status");
        HostProcess.Result again = startInBackground(false);

        assertTrue(status.stdout().contains("No server running: process " + killed.pid() + " stopped without cleaning up"), status.stdout());
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.stderr().contains("A server (process " + killed.pid() + ") stopped without cleaning up"), again.stderr());
        assertNotEquals(killed.pid(), fixture.serverPid().orElseThrow());
        assertEquals(1, fixture.hosts.sts.getSessionTokenCalls(), "the new server found the session in the disk cache");
    }

    @Test
    void aPortInUseIsOneClearErrorBeforeAnyCodeIsAskedForAndLeavesNoServer() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            HostProcess.Result serve = fixture.serve(fixture.serveEnvironment(true), "--background", "--profile", "dev",
                                                     "--port", Integer.toString(taken.getLocalPort()));

            assertEquals(1, serve.exitCode(), serve.toString());
            assertTrue(serve.stderr().contains("Port " + taken.getLocalPort() + " on 127.0.0.1 is in use by another program"), serve.stderr());
            assertEquals("", serve.stdout());
            assertFalse(Files.exists(fixture.stateFile()));
            assertTrue(fixture.backgroundServers().isEmpty());
            assertEquals(0, fixture.hosts.sts.getSessionTokenCalls(), "no code spent on a server that cannot start");
        }
    }

    @Test
    void serveWarnsWhenTheEnvironmentNamesCredentialsTheClientsWouldUseFirst() throws Exception {
        Map<String, String> environment = fixture.serveEnvironment(true);
        environment.put("AWS_PROFILE", "dev");

        HostProcess.Result serve = fixture.serve(environment, "--background");

        assertEquals(0, serve.exitCode(), serve.toString());
        assertTrue(serve.stderr().contains("AWS_PROFILE is set here: the AWS CLI and SDKs use it before the server."), serve.stderr());
        assertTrue(serve.stdout().contains("/profiles/dev'"), "AWS_PROFILE still chooses the profile to serve");
    }

    @Test
    void secretSystemPropertiesReachTheBackgroundServerInItsEnvironmentNeverOnItsCommandLine() throws Exception {
        // Made up, in the shape of a secret access key; the base profile's own keys are what the server signs with.
        String secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETVALUE";
        String token = "IQoJb3JpZ2luX2VjSESSIONTOKENVALUE";
        Map<String, String> properties = Map.of("aws.secretAccessKey", secret, "aws.sessionToken", token,
                                                "aws.mfaRefreshBeforeSeconds", "301");

        HostProcess.Result serve = fixture.serve(properties, fixture.serveEnvironment(true), "--background", "--profile", "dev");

        assertEquals(0, serve.exitCode(), serve.toString());
        long pid = fixture.serverPid().orElseThrow();
        String commandLine = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
        assertFalse(commandLine.contains(secret), "every local user can read a command line: " + commandLine);
        assertFalse(commandLine.contains(token), commandLine);
        assertTrue(commandLine.contains("-Daws.mfaRefreshBeforeSeconds=301"), "settings without secrets still pass: " + commandLine);
        List<String> environment = List.of(Files.readString(Path.of("/proc", Long.toString(pid), "environ")).split("\0"));
        assertTrue(environment.contains("AWS_SECRET_ACCESS_KEY=" + secret), "the SDK's variable for the same setting, readable by the owner only");
        assertTrue(environment.contains("AWS_SESSION_TOKEN=" + token));
    }

    @Test
    void stoppingWhenNoServerRunsSaysSo() throws Exception {
        HostProcess.Result stop = fixture.serve(fixture.serveEnvironment(false), "--stop");

        assertEquals(0, stop.exitCode(), stop.toString());
        assertEquals("No server is running.", stop.stderr().strip());
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(file), file + " never appeared");
    }

    private static void awaitLines(Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(out) && Files.readString(out).contains("AWS_CONTAINER_AUTHORIZATION_TOKEN")) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("serve printed no lines: " + (Files.exists(out) ? Files.readString(out) : ""));
    }
}
