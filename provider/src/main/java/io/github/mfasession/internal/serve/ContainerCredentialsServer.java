package io.github.mfasession.internal.serve;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.mfasession.MfaSessionException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * The container credentials endpoint every AWS SDK and the AWS CLI read through
 * {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}: {@code GET /profiles/<name>} answers
 * {@code {"AccessKeyId","SecretAccessKey","Token","Expiration"}} as the SDKs' container providers parse it
 * (<a href="https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html">AWS SDKs and Tools
 * Reference Guide, "Container credential provider"</a>), from memory, without waiting on anything.
 *
 * <p>Who may ask: it listens on the loopback addresses only (127.0.0.1, and ::1 where there is one); a request must
 * carry the server's token in {@code Authorization} (compared in constant time) and name this server by a loopback
 * name in {@code Host}, which a web page reaching it through DNS rebinding cannot; anything else gets the same 403
 * with no detail. Only {@code GET} is answered; no CORS header is ever sent, so no web page may read an answer.
 */
final class ContainerCredentialsServer implements AutoCloseable {

    private static final ServedProfile.Answer FORBIDDEN = ServedProfile.Answer.json(403, "Forbidden",
        "Forbidden. Requests need the server's token: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (or, for older AWS CLI and"
        + " SDK versions, AWS_CONTAINER_AUTHORIZATION_TOKEN) as printed by serve.");
    private static final ServedProfile.Answer NOT_GET = ServedProfile.Answer.json(405, "MethodNotAllowed", "Only GET is answered here.");
    /** Requests are answered from memory in microseconds; a few threads keep one slow client from holding up the rest. */
    private static final int THREADS = 4;

    static {
        // The JDK's server reads these once, when it first starts, so they are set before any server here is made
        // (unless the process already made one). A response goes out as two writes, headers then body; without
        // TCP_NODELAY, Nagle's algorithm and the client's delayed ACK hold the body back about 40 ms on Linux. A
        // request that takes longer than 10 s to arrive is dropped, so a stalled client does not hold a thread.
        setUnlessSet("sun.net.httpserver.nodelay", "true");
        setUnlessSet("sun.net.httpserver.maxReqTime", "10");
    }

    private final List<HttpServer> listeners = new ArrayList<>();
    private final ExecutorService executor;
    private final byte[] token;
    private final int port;
    private final Set<String> loopbackHosts;
    private final Map<String, ServedProfile> byPath = new HashMap<>();
    private final List<ServedProfile> profiles;
    private final long pid = ProcessHandle.current().pid();
    private final AtomicLong refused = new AtomicLong();
    private final Consumer<String> log;

    private ContainerCredentialsServer(HttpServer ipv4, String token, List<ServedProfile> profiles, Consumer<String> log) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.port = ipv4.getAddress().getPort();
        this.profiles = List.copyOf(profiles);
        this.log = log;
        for (ServedProfile profile : profiles) {
            byPath.put(ServerState.profilePath(profile.name()), profile);
        }
        this.loopbackHosts = port == 80 ? Set.of("127.0.0.1:80", "localhost:80", "[::1]:80", "127.0.0.1", "localhost", "[::1]")
                                        : Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port);
        this.executor = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "mfa-session-serve-http");
            thread.setDaemon(true);
            return thread;
        });
        listeners.add(ipv4);
    }

    /**
     * Listens on 127.0.0.1 at the port (0: any free one), and on ::1 at the same port where this machine has IPv6.
     * A program of another user already listening on ::1 at that port would receive the token of every client that
     * says {@code localhost} or {@code [::1]}, so then the server does not start there: with a port given that is an
     * error, with any free port another port is taken.
     *
     * @throws MfaSessionException when the port is taken or cannot be used
     */
    static ContainerCredentialsServer start(int port, String token, List<ServedProfile> profiles, Consumer<String> log) {
        for (int attempt = 1; ; attempt++) {
            HttpServer ipv4;
            try {
                ipv4 = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 50);
            } catch (BindException e) {
                throw portInUse(port, e);
            } catch (IOException e) {
                throw MfaSessionException.create("Could not listen on 127.0.0.1 port " + port + " (" + e + ").", e);
            }
            ContainerCredentialsServer server = new ContainerCredentialsServer(ipv4, token, profiles, log);
            try {
                server.listeners.add(HttpServer.create(new InetSocketAddress(InetAddress.getByName("::1"), server.port), 50));
            } catch (IOException e) {
                if (someoneListensOnIpv6Loopback(server.port)) {
                    server.executor.shutdownNow();
                    // Started first: a server never started keeps its socket open after stop (the channel is closed
                    // only by the dispatcher's next select), so its port would stay taken.
                    ipv4.start();
                    ipv4.stop(0);
                    if (port != 0 || attempt == 10) {
                        throw MfaSessionException.create("Port " + server.port + " on ::1 is in use by another program, which would"
                                                         + " receive the token of clients that ask localhost. Choose another with --port"
                                                         + (port != 0 ? ", or leave --port out to take a free one." : "."), e);
                    }
                    continue;
                }
                // No IPv6 loopback here: clients can reach only 127.0.0.1, the address they are given.
            }
            for (HttpServer listener : server.listeners) {
                listener.createContext("/", server::handle);
                listener.setExecutor(server.executor);
                listener.start();
            }
            return server;
        }
    }

    private static boolean someoneListensOnIpv6Loopback(int port) {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(InetAddress.getByName("::1"), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Checks that the port on 127.0.0.1 is free now, so that no code is asked for before a server that could not
     * start; a program may still take it before the server does, which {@link #start} reports the same way.
     */
    static void requireFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            probe.getLocalPort();
        } catch (BindException e) {
            throw portInUse(port, e);
        } catch (IOException e) {
            throw MfaSessionException.create("Could not listen on 127.0.0.1 port " + port + " (" + e + ").", e);
        }
    }

    private static MfaSessionException portInUse(int port, BindException e) {
        return MfaSessionException.create("Port " + port + " on 127.0.0.1 is in use by another program (" + e.getMessage() + ")."
                                          + " Choose another with --port, or leave --port out to take a free one.", e);
    }

    private static void setUnlessSet(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    int port() {
        return port;
    }

    long refusedRequests() {
        return refused.get();
    }

    private void handle(HttpExchange exchange) {
        try {
            send(exchange, answer(exchange));
        } catch (IOException | RuntimeException e) {
            // The client went away mid-answer; nothing to do but close.
        } finally {
            exchange.close();
        }
    }

    private ServedProfile.Answer answer(HttpExchange exchange) {
        Headers headers = exchange.getRequestHeaders();
        if (!loopbackHost(headers.getFirst("Host")) || !carriesToken(headers.getFirst("Authorization"))) {
            if (refused.getAndIncrement() == 0) {
                log.accept("Refused a request without the server's token or with a Host that is not a loopback name;"
                           + " further refusals are counted in status.");
            }
            return FORBIDDEN;
        }
        if (!"GET".equals(exchange.getRequestMethod())) {
            return NOT_GET;
        }
        String path = exchange.getRequestURI().getRawPath();
        ServedProfile profile = byPath.get(path);
        if (profile != null) {
            return profile.answer();
        }
        if (ServerState.STATUS_PATH.equals(path)) {
            return status();
        }
        List<String> names = new ArrayList<>();
        profiles.forEach(p -> names.add(p.name()));
        return ServedProfile.Answer.json(404, "NotFound", "No profile is served at " + path + "; this server serves "
                                         + String.join(", ", names) + " at " + ServerState.PROFILES_PATH + "<profile>.");
    }

    private boolean loopbackHost(String host) {
        return host != null && loopbackHosts.contains(host.toLowerCase(Locale.ROOT));
    }

    private boolean carriesToken(String authorization) {
        return authorization != null && MessageDigest.isEqual(token, authorization.getBytes(StandardCharsets.UTF_8));
    }

    /** What {@code status} and a second {@code serve} read: no secrets, only whether and until when each profile is served. */
    private ServedProfile.Answer status() {
        JsonWriter json = JsonWriter.create();
        json.writeStartObject()
            .writeFieldName("pid").writeValue(pid)
            .writeFieldName("refused").writeValue(refused.get())
            .writeFieldName("profiles").writeStartArray();
        for (ServedProfile profile : profiles) {
            json.writeStartObject().writeFieldName("name").writeValue(profile.name());
            profile.expiration().ifPresent(end -> json.writeFieldName("expiration").writeValue(end.toString()));
            profile.problem().ifPresent(problem -> json.writeFieldName("problem").writeValue(problem));
            json.writeFieldName("attempting").writeValue(profile.attempting())
                .writeFieldName("settled").writeValue(profile.settled())
                .writeEndObject();
        }
        json.writeEndArray().writeEndObject();
        return new ServedProfile.Answer(200, json.getBytes());
    }

    private static void send(HttpExchange exchange, ServedProfile.Answer answer) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Cache-Control", "no-store");
        if (answer.status == 405) {
            headers.set("Allow", "GET");
        }
        if ("HEAD".equals(exchange.getRequestMethod())) {
            // A HEAD answer has no body (RFC 9110, 9.3.2).
            exchange.sendResponseHeaders(answer.status, -1);
            return;
        }
        exchange.sendResponseHeaders(answer.status, answer.body.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(answer.body);
        }
    }

    @Override
    public void close() {
        for (HttpServer listener : listeners) {
            listener.stop(0);
        }
        executor.shutdownNow();
    }
}
