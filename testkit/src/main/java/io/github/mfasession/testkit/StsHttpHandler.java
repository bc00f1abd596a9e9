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

/**
 * Answers each HTTP request: planned faults first, then authentication, then the action, STS's or, by the
 * request's {@code Version}, Redshift's, then what a planned fault makes of the answer. Every request is recorded, with nothing secret in the record.
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
    private final RedshiftOperations redshift;
    private final List<RecordedCall> calls = Collections.synchronizedList(new ArrayList<>());

    StsHttpHandler(Clock clock, Faults faults, SigV4Verifier verifier, StsOperations operations, RedshiftOperations redshift) {
        this.clock = clock;
        this.faults = faults;
        this.verifier = verifier;
        this.operations = operations;
        this.redshift = redshift;
    }

    int getSessionTokenCalls() {
        return count(GET_SESSION_TOKEN);
    }

    int assumeRoleCalls() {
        return count(ASSUME_ROLE);
    }

    private int count(String action) {
        synchronized (calls) {
            return (int) calls.stream().filter(call -> action.equals(call.action())).count();
        }
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
            boolean processed = reply == null;
            Caller caller = null;
            if (processed) {
                try {
                    caller = verifier.verify(request, isRedshift(request) ? RedshiftOperations.SERVICE : "sts");
                    reply = answer(caller, request, requestId);
                } catch (StsError e) {
                    reply = Reply.error(e, requestId);
                } catch (RuntimeException e) {
                    // A bug in the emulator still gets an answer, so no client waits for its timeout.
                    reply = Reply.error(new StsError(500, "InternalFailure", "The emulator failed: " + e), requestId);
                }
            }
            // Recorded as processed: what the test sees is what STS did, whatever becomes of the answer.
            record(arrived, request, reply, caller);
            Faults.Aftermath aftermath = processed ? faults.takeAftermath() : null;
            if (aftermath != null) {
                if (aftermath.dropConnection) {
                    // Closing the exchange before any response headers closes the connection unanswered.
                    return;
                }
                Thread.sleep(aftermath.delay.toMillis());
                if (aftermath.replacement != null) {
                    reply = aftermath.replacement.apply(requestId);
                }
            }
            send(exchange, reply, requestId);
        } catch (InterruptedException e) {
            // The emulator is closing: drop the connection unanswered.
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    /** One emulator serves both APIs on one endpoint; AWS tells them apart by host, the emulator by version. */
    private static boolean isRedshift(StsRequest request) {
        return RedshiftOperations.VERSION.equals(request.param("Version"));
    }

    private Reply answer(Caller caller, StsRequest request, String requestId) {
        String action = request.param("Action");
        String version = request.param("Version");
        if (action == null) {
            throw new StsError(400, "MissingAction", "The request must contain the parameter Action.");
        }
        if (isRedshift(request)) {
            return redshift.perform(action, caller, request, requestId);
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
    }

    /** {@code caller} is who signed the request, {@code null} when it was not authenticated. */
    private void record(Instant arrived, StsRequest request, Reply reply, Caller caller) {
        calls.add(new RecordedCall(arrived, request.param("Action"), SigV4Verifier.claimedAccessKeyId(request),
                                   integerOrNull(request.param("DurationSeconds")), request.param("SerialNumber"),
                                   request.param("RoleArn"), request.param("RoleSessionName"), request.param("ExternalId"),
                                   reply.outcome, caller != null && caller.hasMfa()));
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
