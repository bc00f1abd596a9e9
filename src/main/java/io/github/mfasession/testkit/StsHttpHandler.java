package io.github.mfasession.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.mfasession.testkit.Directory.Caller;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers each HTTP request: planned faults first, then authentication, then the action. Every request
 * is recorded, with nothing secret in the record.
 */
final class StsHttpHandler implements HttpHandler {

    static final String VERSION = "2011-06-15";
    static final String GET_SESSION_TOKEN = "GetSessionToken";
    static final String GET_CALLER_IDENTITY = "GetCallerIdentity";
    static final String ASSUME_ROLE = "AssumeRole";

    /** Query-protocol bodies are small; a bound keeps a broken client from filling the heap. */
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final Clock clock;
    private final Faults faults;
    private final SigV4Verifier verifier;
    private final StsOperations operations;
    private final List<RecordedCall> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger getSessionTokenCalls = new AtomicInteger();
    private final AtomicInteger assumeRoleCalls = new AtomicInteger();

    StsHttpHandler(Clock clock, Faults faults, SigV4Verifier verifier, StsOperations operations) {
        this.clock = clock;
        this.faults = faults;
        this.verifier = verifier;
        this.operations = operations;
    }

    int getSessionTokenCalls() {
        return getSessionTokenCalls.get();
    }

    int assumeRoleCalls() {
        return assumeRoleCalls.get();
    }

    List<RecordedCall> calls() {
        synchronized (calls) {
            return Collections.unmodifiableList(new ArrayList<>(calls));
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            Instant arrived = clock.instant();
            String requestId = UUID.randomUUID().toString();
            StsRequest request = read(exchange);
            Duration delay = faults.takeDelay();
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis());
            }
            Reply reply = faults.takeReply(requestId);
            if (reply == null) {
                reply = answer(request, requestId);
            }
            record(arrived, request, reply);
            send(exchange, reply, requestId);
        } catch (InterruptedException e) {
            // The emulator is closing: drop the connection unanswered.
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private Reply answer(StsRequest request, String requestId) {
        try {
            Caller caller = verifier.verify(request);
            String action = request.param("Action");
            String version = request.param("Version");
            if (action == null) {
                throw new StsError(400, "MissingAction", "The request must contain the parameter Action.");
            }
            if (!VERSION.equals(version)) {
                throw StsError.invalidAction(action, String.valueOf(version));
            }
            switch (action) {
                case GET_SESSION_TOKEN:
                    return operations.getSessionToken(caller, request, requestId);
                case ASSUME_ROLE:
                    return operations.assumeRole(caller, request, requestId);
                case GET_CALLER_IDENTITY:
                    return operations.getCallerIdentity(caller, requestId);
                default:
                    throw StsError.invalidAction(action, version);
            }
        } catch (StsError e) {
            return Reply.error(e, requestId);
        } catch (RuntimeException e) {
            // A bug in the emulator still gets an answer, so no client waits for its timeout.
            return Reply.error(new StsError(500, "InternalFailure", "The emulator failed: " + e), requestId);
        }
    }

    private void record(Instant arrived, StsRequest request, Reply reply) {
        String action = request.param("Action");
        if (GET_SESSION_TOKEN.equals(action)) {
            getSessionTokenCalls.incrementAndGet();
        } else if (ASSUME_ROLE.equals(action)) {
            assumeRoleCalls.incrementAndGet();
        }
        calls.add(new RecordedCall(arrived, action, SigV4Verifier.claimedAccessKeyId(request),
                                   integerOrNull(request.param("DurationSeconds")), request.param("SerialNumber"),
                                   request.param("RoleArn"), request.param("RoleSessionName"), request.param("ExternalId"),
                                   reply.outcome));
    }

    private static Integer integerOrNull(String value) {
        try {
            return value == null ? null : Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static StsRequest read(HttpExchange exchange) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (InputStream in = exchange.getRequestBody()) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (body.size() + n > MAX_BODY_BYTES) {
                    throw new IOException("Request body larger than " + MAX_BODY_BYTES + " bytes.");
                }
                body.write(buffer, 0, n);
            }
        }
        return new StsRequest(exchange.getRequestMethod(),
                              exchange.getRequestHeaders().getFirst("Host"),
                              exchange.getRequestURI().getRawPath(),
                              exchange.getRequestURI().getRawQuery(),
                              exchange.getRequestHeaders(),
                              body.toByteArray());
    }

    private static void send(HttpExchange exchange, Reply reply, String requestId) throws IOException {
        byte[] body = reply.body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml");
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        exchange.sendResponseHeaders(reply.status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
