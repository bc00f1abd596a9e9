package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.internal.serve.LocalServer;
import io.github.mfasession.internal.serve.ServerFolder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The server of {@code serve} in this JVM, with providers reading the fixture's profile files and clock and the
 * local STS emulator behind them, asked with a plain HTTP client: what a request gets, who is refused, and that no
 * request ever waits on a renewal or a person.
 */
class ServeTest {

    @TempDir
    Path folder;
    StsFixture fixture;
    ServerFolder serverFolder;
    final List<LocalServer> servers = new ArrayList<>();
    final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        fixture = new StsFixture(folder);
        serverFolder = new ServerFolder(folder.resolve("cache"));
    }

    @AfterEach
    void stop() {
        servers.forEach(LocalServer::close);
        fixture.close();
    }

    private LocalServer server(MfaCodeSupplier codes, Function<MfaSessionProvider.BuilderImpl, MfaSessionProvider.Builder> settings) {
        LocalServer server = LocalServer.builder()
                                        .folder(serverFolder)
                                        .profiles(List.of("dev"))
                                        .providers(profile -> settings.apply(fixture.builder()).profileName(profile).codeSupplier(codes).build())
                                        .clock(fixture.clock)
                                        .log(log::add)
                                        .whereCodesAreAsked("in the test")
                                        .renewalPace(Duration.ofMillis(20), Duration.ofMillis(50))
                                        .start();
        servers.add(server);
        return server;
    }

    /** A server for {@code dev} with its session already obtained, renewing in the background. */
    private LocalServer servingDev() {
        LocalServer server = server(ScriptedCodes.machine(request -> fixture.code()), builder -> builder);
        server.obtainSessions();
        server.startRenewals();
        return server;
    }

    private String token() throws IOException {
        return Files.readString(serverFolder.tokenFile());
    }

    private LoopbackHttp.Response getDev(LocalServer server) throws IOException {
        return LoopbackHttp.get(server.state().port(), "/profiles/dev", token());
    }

    private static JsonNode json(LoopbackHttp.Response response) {
        return JsonNode.parser().parse(response.body());
    }

    @Test
    void aRequestWithTheTokenGetsTheSessionAsContainerCredentialsJson() throws Exception {
        LocalServer server = servingDev();

        LoopbackHttp.Response response = getDev(server);

        assertEquals(200, response.status(), response.toString());
        assertEquals("application/json", response.headers().get("content-type"));
        assertEquals("no-store", response.headers().get("cache-control"));
        JsonNode json = json(response);
        assertTrue(json.field("AccessKeyId").orElseThrow().text().startsWith("ASIA"));
        assertFalse(json.field("SecretAccessKey").orElseThrow().text().isEmpty());
        assertFalse(json.field("Token").orElseThrow().text().isEmpty());
        String expiration = json.field("Expiration").orElseThrow().text();
        assertTrue(expiration.endsWith("Z"), expiration);
        assertTrue(Instant.parse(expiration).isAfter(fixture.clock.instant().plusSeconds(43_000)), expiration);
        assertEquals(1, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void aRequestWithoutTheTokenIsRefusedWith403() throws Exception {
        LocalServer server = servingDev();
        int port = server.state().port();

        LoopbackHttp.Response response = LoopbackHttp.request(port, "GET", "/profiles/dev", Map.of("Host", "127.0.0.1:" + port));

        assertEquals(403, response.status(), response.toString());
        assertFalse(response.body().contains("AccessKeyId"), response.body());
    }

    @Test
    void aWrongTokenGetsTheSame403AsNoTokenSayingNothingOfWhy() throws Exception {
        LocalServer server = servingDev();
        int port = server.state().port();
        String token = token();
        String wrong = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");

        LoopbackHttp.Response wrongToken = LoopbackHttp.get(port, "/profiles/dev", wrong);
        LoopbackHttp.Response noToken = LoopbackHttp.request(port, "GET", "/profiles/dev", Map.of("Host", "127.0.0.1:" + port));

        assertEquals(403, wrongToken.status(), wrongToken.toString());
        assertEquals(noToken.body(), wrongToken.body());
    }

    @Test
    void aRequestNamingAnotherHostIsRefusedAsAPageReachingItThroughDnsRebindingWould() throws Exception {
        LocalServer server = servingDev();
        int port = server.state().port();

        LoopbackHttp.Response response = LoopbackHttp.request(port, "GET", "/profiles/dev",
                                                               Map.of("Host", "attacker.example:" + port, "Authorization", token()));

        assertEquals(403, response.status(), response.toString());
        assertFalse(response.body().contains("AccessKeyId"), response.body());
    }

    @Test
    void aRequestWithoutAHostIsRefused() throws Exception {
        LocalServer server = servingDev();

        LoopbackHttp.Response response = LoopbackHttp.request(server.state().port(), "GET", "/profiles/dev", Map.of("Authorization", token()));

        assertEquals(403, response.status(), response.toString());
    }

    @Test
    void everyLoopbackNameOfThisPortIsAccepted() throws Exception {
        LocalServer server = servingDev();
        int port = server.state().port();

        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port)) {
            LoopbackHttp.Response response = LoopbackHttp.request(port, "GET", "/profiles/dev", Map.of("Host", host, "Authorization", token()));
            assertEquals(200, response.status(), host + ": " + response);
        }
        LoopbackHttp.Response otherPort = LoopbackHttp.request(port, "GET", "/profiles/dev", Map.of("Host", "127.0.0.1:1", "Authorization", token()));
        assertEquals(403, otherPort.status(), otherPort.toString());
    }

    @Test
    void onlyGetIsAnswered() throws Exception {
        LocalServer server = servingDev();
        int port = server.state().port();

        for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS", "PATCH")) {
            LoopbackHttp.Response response = LoopbackHttp.request(port, method, "/profiles/dev",
                                                                   Map.of("Host", "127.0.0.1:" + port, "Authorization", token(), "Content-Length", "0"));
            assertEquals(405, response.status(), method + ": " + response);
            assertEquals("GET", response.headers().get("allow"), method + ": " + response);
            assertFalse(response.body().contains("AccessKeyId"), method);
        }
    }

    @Test
    void noAnswerCarriesACorsHeaderSoNoWebPageMayReadIt() throws Exception {
        LocalServer server = servingDev();
        int port = server.state().port();
        Map<String, String> preflight = Map.of("Host", "127.0.0.1:" + port, "Origin", "https://attacker.example",
                                               "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization");
        Map<String, String> fromAPage = Map.of("Host", "127.0.0.1:" + port, "Origin", "https://attacker.example", "Authorization", token());

        List<LoopbackHttp.Response> responses = List.of(LoopbackHttp.request(port, "OPTIONS", "/profiles/dev", preflight),
                                                        LoopbackHttp.request(port, "GET", "/profiles/dev", fromAPage));

        for (LoopbackHttp.Response response : responses) {
            assertTrue(response.headers().keySet().stream().noneMatch(name -> name.startsWith("access-control-")), response.toString());
        }
    }

    @Test
    void aPathThatNamesNoServedProfileIsNotFoundAndTheAnswerNamesTheServedOnes() throws Exception {
        LocalServer server = servingDev();

        LoopbackHttp.Response response = LoopbackHttp.get(server.state().port(), "/profiles/prod", token());

        assertEquals(404, response.status(), response.toString());
        assertTrue(json(response).field("message").orElseThrow().text().contains("dev"), response.body());
    }

    @Test
    void whileTheFirstSessionWaitsForACodeARequestIsAnsweredAtOnceSayingSo() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch typed = new CountDownLatch(1);
        LocalServer server = server(ScriptedCodes.person(request -> {
            asked.countDown();
            awaitQuietly(typed);
            return fixture.code();
        }), builder -> builder);
        server.startRenewals();
        assertTrue(asked.await(10, TimeUnit.SECONDS));

        LoopbackHttp.Response response = getDev(server);
        typed.countDown();

        assertEquals(503, response.status(), response.toString());
        String message = json(response).field("message").orElseThrow().text();
        assertTrue(message.contains("profile 'dev'") && message.contains("waiting for an MFA code in the test"), message);
    }

    @Test
    void whenNoSessionCanBeHadARequestIsAnsweredWithTheReasonAndWhatToDo() throws Exception {
        LocalServer server = server(ScriptedCodes.machine(request -> {
            throw MfaSessionException.create("No way to get an MFA code for profile 'dev' in this test.");
        }), builder -> builder);
        server.startRenewals();
        awaitLogLine("could not get a session");

        LoopbackHttp.Response response = getDev(server);

        assertEquals(503, response.status(), response.toString());
        String message = json(response).field("message").orElseThrow().text();
        assertTrue(message.contains("no MFA session for profile 'dev' yet"), message);
        assertTrue(message.contains("No way to get an MFA code for profile 'dev' in this test."), message);
        assertTrue(message.contains("serve --stop"), message);
    }

    @Test
    void aFailedRenewalKeepsTheCurrentSessionServedUntilItEndsAndNeverAfter() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        LocalServer server = server(ScriptedCodes.machine(request -> {
            if (asked.getAndIncrement() == 0) {
                return fixture.code();
            }
            throw MfaSessionException.create("The test has no code for a renewal.");
        }), builder -> builder.sessionDuration(Duration.ofSeconds(900)).refreshBefore(Duration.ofSeconds(300)));
        server.obtainSessions();
        server.startRenewals();
        String first = json(getDev(server)).field("AccessKeyId").orElseThrow().text();

        // 30 s left: inside the renew margin, and inside the last minute in which a renewal must succeed, so that any
        // refresh policy of the provider tries it and reports its failure.
        fixture.clock.advance(Duration.ofSeconds(870));
        awaitLogLine("The test has no code for a renewal.");
        LoopbackHttp.Response beforeTheEnd = getDev(server);
        fixture.clock.advance(Duration.ofSeconds(31));
        LoopbackHttp.Response afterTheEnd = getDev(server);

        assertEquals(200, beforeTheEnd.status(), beforeTheEnd.toString());
        assertEquals(first, json(beforeTheEnd).field("AccessKeyId").orElseThrow().text());
        assertTrue(log.stream().anyMatch(line -> line.contains("Still serving the current session, which ends at")), log.toString());
        assertEquals(503, afterTheEnd.status(), afterTheEnd.toString());
        String message = json(afterTheEnd).field("message").orElseThrow().text();
        assertTrue(message.contains("the last one ended at"), message);
        assertTrue(message.contains("The test has no code for a renewal."), message);
    }

    @Test
    void aRenewalHappensInTheBackgroundWhileClientsKeepBeingAnsweredAndNoneWaits() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        CountDownLatch renewalAsks = new CountDownLatch(1);
        CountDownLatch personTypes = new CountDownLatch(1);
        LocalServer server = server(ScriptedCodes.person(request -> {
            if (asked.getAndIncrement() > 0) {
                // The renewal's code: a person who takes their time.
                renewalAsks.countDown();
                awaitQuietly(personTypes);
            }
            return fixture.code();
        }), builder -> builder.sessionDuration(Duration.ofSeconds(900)).refreshBefore(Duration.ofSeconds(300)));
        server.obtainSessions();
        server.startRenewals();
        String first = json(getDev(server)).field("AccessKeyId").orElseThrow().text();

        // 250 s left: inside the 300 s before expiry in which the provider renews.
        fixture.clock.advance(Duration.ofSeconds(650));
        assertTrue(renewalAsks.await(10, TimeUnit.SECONDS), "the server started the renewal by itself");
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<List<String>>> calls = new ArrayList<>();
        for (int client = 0; client < 4; client++) {
            calls.add(clients.submit(() -> {
                List<String> keys = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    LoopbackHttp.Response response = getDev(server);
                    assertEquals(200, response.status(), response.toString());
                    keys.add(json(response).field("AccessKeyId").orElseThrow().text());
                }
                return keys;
            }));
        }
        clients.shutdown();
        // Every call ends while the person has still not typed: no request waits on the renewal.
        assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));
        for (Future<List<String>> call : calls) {
            assertTrue(call.get().stream().allMatch(first::equals), "the current session, until the new one arrives");
        }
        personTypes.countDown();
        String renewed = awaitNewAccessKey(server, first);

        assertNotEquals(first, renewed);
        assertEquals(2, fixture.sts.getSessionTokenCalls());
        assertTrue(log.stream().anyMatch(line -> line.contains("renewed")), log.toString());
    }

    @Test
    void theStateIsPrivateAndTheTokenFileHoldsTheTokenAlone() throws Exception {
        LocalServer server = servingDev();

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(serverFolder.path())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(serverFolder.tokenFile())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(serverFolder.path().resolve("server.json"))));
        String token = token();
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), "256 random bits, no line break");
        assertFalse(Files.readString(serverFolder.path().resolve("server.json")).contains(token));
        assertEquals(200, getDev(server).status());
    }

    @Test
    void aStoppedServerLeavesNoStateOrTokenFile() throws Exception {
        LocalServer server = servingDev();
        int port = server.state().port();

        server.close();

        assertFalse(Files.exists(serverFolder.tokenFile()));
        assertFalse(Files.exists(serverFolder.path().resolve("server.json")));
        assertThrows(IOException.class, () -> LoopbackHttp.get(port, "/profiles/dev", "any"));
    }

    @Test
    void aSecondServerForTheSameUserIsRefusedWhileTheFirstRuns() {
        LocalServer first = servingDev();

        MfaSessionException refused = assertThrows(MfaSessionException.class, this::servingDev);

        assertTrue(refused.getMessage().contains("already running") && refused.getMessage().contains(first.state().address()), refused.getMessage());
    }

    @Test
    void aPortInUseIsOneClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            MfaSessionException refused = assertThrows(MfaSessionException.class, () -> LocalServer.builder()
                .folder(serverFolder)
                .profiles(List.of("dev"))
                .port(taken.getLocalPort())
                .providers(profile -> fixture.builder().build())
                .start());

            assertTrue(refused.getMessage().startsWith("Port " + taken.getLocalPort() + " on 127.0.0.1 is in use"), refused.getMessage());
            assertTrue(refused.getMessage().contains("--port"), refused.getMessage());
            assertFalse(Files.exists(serverFolder.tokenFile()), "nothing left behind");
        }
    }

    private String awaitNewAccessKey(LocalServer server, String old) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String key = json(getDev(server)).field("AccessKeyId").orElseThrow().text();
            if (!key.equals(old)) {
                return key;
            }
            Thread.sleep(10);
        }
        return old;
    }

    private void awaitLogLine(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (log.stream().noneMatch(line -> line.contains(text))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no log line with '" + text + "': " + log);
            }
            Thread.sleep(10);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
