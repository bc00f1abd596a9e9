package io.github.mfasession.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local AWS STS for tests and demos: GetSessionToken, AssumeRole and GetCallerIdentity over HTTP on
 * loopback, in the real query protocol, so the AWS SDK's own {@code StsClient} talks to it unchanged. Requests
 * are authenticated with SigV4 as AWS does; MFA codes are checked as RFC 6238 TOTP codes of the emulated
 * virtual devices and accepted once each.
 *
 * <p>To test hosts that call another service with the session, such as the Redshift JDBC driver, it also serves
 * the Redshift calls that fetch database credentials for the clusters added with
 * {@link #addRedshiftCluster(String, String, int)}, on the same endpoint and authenticated the same way.
 *
 * <pre>{@code
 * try (StsEmulator sts = StsEmulator.start()) {
 *     IamUser alice = sts.addUser("alice");
 *     VirtualMfaDevice device = sts.addVirtualMfaDevice(alice);
 *     StsClient client = StsClient.builder()
 *                                 .endpointOverride(sts.endpoint())
 *                                 .region(Region.US_EAST_1)
 *                                 .credentialsProvider(StaticCredentialsProvider.create(alice.credentials()))
 *                                 .build();
 *     client.getSessionToken(r -> r.serialNumber(device.serialNumber())
 *                                  .tokenCode(sts.currentCode(device.serialNumber())));
 * }
 * }</pre>
 *
 * <p>Safe for concurrent use: requests are served by a small pool of threads.
 */
public final class StsEmulator implements AutoCloseable {

    private static final int THREADS = 8;
    private static final int BACKLOG = 128;

    private final Clock clock;
    private final Directory directory;
    private final Faults faults = new Faults();
    private final RedshiftOperations redshift;
    private final StsHttpHandler handler;
    private final ExecutorService executor;
    private final HttpServer server;
    private final URI endpoint;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private StsEmulator(Builder builder) {
        this.clock = builder.clock;
        this.directory = new Directory(builder.accountId);
        this.redshift = new RedshiftOperations(clock);
        this.handler = new StsHttpHandler(clock, faults, new SigV4Verifier(directory, clock, builder.maxClockSkew),
                                          new StsOperations(directory, clock), redshift);
        this.executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), builder.port), BACKLOG);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException(builder.port == 0 ? "Could not listen on a loopback port for the STS emulator."
                                                             : "Could not listen on loopback port " + builder.port
                                                               + " for the STS emulator (" + e.getMessage() + "); is it in use?", e);
        }
        server.createContext("/", handler);
        server.setExecutor(executor);
        server.start();
        InetAddress address = server.getAddress().getAddress();
        String host = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        this.endpoint = URI.create("http://" + host + ":" + server.getAddress().getPort());
    }

    /** An emulator on the system clock, already listening. */
    public static StsEmulator start() {
        return builder().build();
    }

    /** A builder for an emulator with a chosen clock or clock-skew allowance. */
    public static Builder builder() {
        return new Builder();
    }

    /** Where the emulator listens, such as {@code http://127.0.0.1:50123}: the STS endpoint override for clients. */
    public URI endpoint() {
        return endpoint;
    }

    /** The 12-digit account every user of this emulator belongs to. */
    public String accountId() {
        return directory.accountId();
    }

    /**
     * Adds an IAM user with new long-term keys: an {@code AKIA} access key id and a 40-character secret.
     *
     * @param userName 1 to 64 of letters, digits and {@code +=,.@_-}; unique in this emulator
     * @throws IllegalArgumentException if the name is invalid or taken
     */
    public IamUser addUser(String userName) {
        return directory.addUser(userName);
    }

    /**
     * Adds an IAM user with the given long-term keys, for a test that has written them into a profile already.
     *
     * @param userName        1 to 64 of letters, digits and {@code +=,.@_-}; unique in this emulator
     * @param accessKeyId     16 to 128 letters and digits, unique in this emulator
     * @param secretAccessKey any non-empty secret
     * @throws IllegalArgumentException if the name or key id is invalid or taken
     */
    public IamUser addUser(String userName, String accessKeyId, String secretAccessKey) {
        return directory.addUser(userName, Objects.requireNonNull(accessKeyId, "accessKeyId"),
                                 Objects.requireNonNull(secretAccessKey, "secretAccessKey"));
    }

    /** Adds long-term keys of the account's root user, whose sessions STS limits to one hour. */
    public IamUser addRootUser() {
        return directory.addRootUser();
    }

    /**
     * Assigns a new virtual MFA device with a random secret to a user. Its serial number is
     * {@code arn:aws:iam::<account>:mfa/<userName>} ({@code mfa/root-account-mfa-device} for the root user).
     *
     * @throws IllegalArgumentException if the user has that device already, or is not from this emulator
     */
    public VirtualMfaDevice addVirtualMfaDevice(IamUser user) {
        return directory.addVirtualMfaDevice(user, null, null);
    }

    /**
     * Assigns a new virtual MFA device named {@code deviceName} to a user, for a user with more than one device:
     * serial number {@code arn:aws:iam::<account>:mfa/<deviceName>}.
     *
     * @throws IllegalArgumentException if a device of that name exists, or the user is not from this emulator
     */
    public VirtualMfaDevice addVirtualMfaDevice(IamUser user, String deviceName) {
        return directory.addVirtualMfaDevice(user, Objects.requireNonNull(deviceName, "deviceName"), null);
    }

    /**
     * Assigns a virtual MFA device with a secret of your choosing to a user, so that its codes are the same from one
     * emulator to the next (or match an authenticator app holding the secret). Serial number
     * {@code arn:aws:iam::<account>:mfa/<deviceName>}.
     *
     * @param secret the raw TOTP secret (not base32), for example 20 random bytes as AWS makes them
     * @throws IllegalArgumentException if a device of that name exists, the secret is empty, or the user is not
     *                                  from this emulator
     */
    public VirtualMfaDevice addVirtualMfaDevice(IamUser user, String deviceName, byte[] secret) {
        return directory.addVirtualMfaDevice(user, Objects.requireNonNull(deviceName, "deviceName"),
                                             Objects.requireNonNull(secret, "secret").clone());
    }

    /**
     * Adds an IAM role that every identity of the account may assume, and returns its ARN,
     * {@code arn:aws:iam::<account>:role/<roleName>}. With {@code requireMfa} its trust policy demands
     * {@code aws:MultiFactorAuthPresent}: AssumeRole is refused ({@code AccessDenied}) unless the caller signs with
     * a session that MFA authenticated (GetSessionToken with a code, or a role session assumed with one) or the
     * request brings a device's code itself. The role's maximum session duration is AWS's default, one hour: see
     * {@link #addRole(String, boolean, Duration, String)}.
     *
     * @param roleName 1 to 64 of letters, digits and {@code +=,.@_-}; unique in this emulator
     * @throws IllegalArgumentException if the name is invalid or taken
     */
    public String addRole(String roleName, boolean requireMfa) {
        return addRole(roleName, requireMfa, Duration.ofSeconds(StsOperations.ROLE_DEFAULT_MAX_SESSION_SECONDS), null);
    }

    /**
     * Adds an IAM role as {@link #addRole(String, boolean)} does, with the role's maximum session duration and an
     * external id. AssumeRole then refuses, as STS does: a DurationSeconds above the maximum session duration
     * ({@code ValidationError}); above one hour when the caller signs with temporary credentials, a GetSessionToken
     * session or another role's, whatever the maximum (role chaining, {@code ValidationError}); and, for a role with
     * an external id, a request without that {@code ExternalId} ({@code AccessDenied}, worded as for a role that
     * does not trust the caller).
     *
     * @param maxSessionDuration the role's {@code MaxSessionDuration}, whole seconds from one to twelve hours (AWS's
     *                           default is one hour)
     * @param externalId         the {@code sts:ExternalId} its trust policy asks for, or {@code null} for none
     * @throws IllegalArgumentException if the name is invalid or taken, or the duration is out of IAM's range
     */
    public String addRole(String roleName, boolean requireMfa, Duration maxSessionDuration, String externalId) {
        Objects.requireNonNull(roleName, "roleName");
        long seconds = maxSessionDuration.getSeconds();
        if (seconds < StsOperations.ROLE_MIN_MAX_SESSION_SECONDS || seconds > StsOperations.ROLE_MAX_DURATION_SECONDS
            || maxSessionDuration.getNano() != 0) {
            throw new IllegalArgumentException("A role's maximum session duration is whole seconds from one to twelve hours, not "
                                               + maxSessionDuration + ".");
        }
        return directory.addRole(roleName, requireMfa, (int) seconds, externalId).arn;
    }

    /**
     * Adds a provisioned Redshift cluster whose database listens at {@code host:port}. The emulator then answers
     * DescribeClusters with that endpoint, and GetClusterCredentials and GetClusterCredentialsWithIAM with a
     * database user and a random password, to any caller it authenticates: point a Redshift client's endpoint
     * (the JDBC driver's {@code endpointUrl}) at {@link #endpoint()}.
     *
     * @throws IllegalArgumentException if a cluster of that name exists
     */
    public void addRedshiftCluster(String clusterIdentifier, String host, int port) {
        Objects.requireNonNull(clusterIdentifier, "clusterIdentifier");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1 to 65535, not " + port + ".");
        }
        redshift.addCluster(clusterIdentifier, host, port);
    }

    /**
     * The code a device shows now, by the emulator's clock.
     *
     * @throws IllegalArgumentException if the emulator has no device with this serial number
     */
    public String currentCode(String serialNumber) {
        return code(serialNumber, clock.instant());
    }

    /**
     * The code a device shows at a given time; STS accepts the codes of the current 30-second step and of one
     * step either side, each once.
     *
     * @throws IllegalArgumentException if the emulator has no device with this serial number
     */
    public String code(String serialNumber, Instant at) {
        VirtualMfaDevice device = directory.device(serialNumber);
        if (device == null) {
            throw new IllegalArgumentException("The STS emulator has no MFA device " + serialNumber + ".");
        }
        return Totp.code(device.secret(), at);
    }

    /**
     * How many GetSessionToken requests arrived: answered with a session, refused, or answered by a planned
     * fault. The number a test checks to prove "exactly one STS call".
     */
    public int getSessionTokenCalls() {
        return handler.getSessionTokenCalls();
    }

    /** How many AssumeRole requests arrived: answered with a role session, refused, or answered by a planned fault. */
    public int assumeRoleCalls() {
        return handler.assumeRoleCalls();
    }

    /** Every request received so far, oldest first; a snapshot. */
    public List<RecordedCall> calls() {
        return handler.calls();
    }

    /**
     * Answers the next {@code count} requests with an STS error before checking anything, so an MFA code in
     * them is not used up. For example {@code (1, 500, "InternalFailure")}, {@code (2, 503, "ServiceUnavailable")}
     * or {@code (1, 400, "Throttling")}, which the SDK retries.
     */
    public void failNext(int count, int httpStatus, String errorCode) {
        requirePositive(count);
        Objects.requireNonNull(errorCode, "errorCode");
        String message = faultMessage(errorCode);
        faults.replyNext(count, requestId -> Reply.error(new StsError(httpStatus, errorCode, message), requestId));
    }

    /**
     * Holds each of the next {@code count} requests for {@code delay} before answering it as usual: for
     * testing timeouts. A request that timed out on the client is still processed afterwards, as at AWS.
     */
    public void delayNext(int count, Duration delay) {
        requirePositive(count);
        if (delay.isNegative()) {
            throw new IllegalArgumentException("The delay must not be negative.");
        }
        faults.delayNext(count, delay);
    }

    /**
     * Processes each of the next {@code count} requests as usual (an MFA code in it is used up, a session issued)
     * and then closes the connection without answering: the network failing after STS received the request. The
     * client cannot tell whether STS processed it; AWS documents that a code is accepted once (IAM User Guide,
     * "Using MFA devices", and the GetSessionToken {@code TokenCode} parameter), so a resent code is refused.
     */
    public void loseAnswerToNext(int count) {
        requirePositive(count);
        faults.afterProcessingNext(count, Faults.Aftermath.dropConnection());
    }

    /**
     * Processes each of the next {@code count} requests as usual and then holds its answer for {@code delay}: with
     * a delay longer than the client's read timeout, an answer that arrives too late, for a request STS processed.
     */
    public void answerLateNext(int count, Duration delay) {
        requirePositive(count);
        if (delay.isNegative()) {
            throw new IllegalArgumentException("The delay must not be negative.");
        }
        faults.afterProcessingNext(count, Faults.Aftermath.delay(delay));
    }

    /**
     * Processes each of the next {@code count} requests as usual and then answers with an STS error instead of
     * the result: a server error after STS did the work, such as {@code (1, 500, "InternalFailure")}. An HTTP 5xx
     * does not say that a request was not processed.
     */
    public void failAfterProcessingNext(int count, int httpStatus, String errorCode) {
        requirePositive(count);
        Objects.requireNonNull(errorCode, "errorCode");
        String message = faultMessage(errorCode);
        faults.afterProcessingNext(count, Faults.Aftermath.replace(
            requestId -> Reply.error(new StsError(httpStatus, errorCode, message), requestId)));
    }

    /**
     * Answers the next {@code count} requests with this status and body (served as {@code text/xml}) before
     * checking anything: for malformed or unexpected responses.
     */
    public void respondNextWithRaw(int count, int status, String body) {
        requirePositive(count);
        Objects.requireNonNull(body, "body");
        faults.replyNext(count, requestId -> new Reply(status, body, RecordedCall.RAW));
    }

    /**
     * Closes the listening socket: new connections are refused from now on. Users, devices and codes stay
     * available. It cannot be undone.
     */
    public void stopAccepting() {
        if (stopped.compareAndSet(false, true)) {
            server.stop(0);
        }
    }

    /** Stops serving: new connections are refused and requests in progress are dropped. */
    @Override
    public void close() {
        stopAccepting();
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "StsEmulator(" + endpoint + ", account " + directory.accountId() + ")";
    }

    private static String faultMessage(String errorCode) {
        switch (errorCode) {
            case "Throttling":
                return "Rate exceeded";
            case "InternalFailure":
                return "An internal error has occurred.";
            case "ServiceUnavailable":
                return "Service is unavailable. Please try again later.";
            default:
                return "The STS emulator was asked to fail this request with " + errorCode + ".";
        }
    }

    private static void requirePositive(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, not " + count + ".");
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "sts-emulator-" + number.incrementAndGet());
            // The emulator never keeps a test JVM or the demo alive on its own.
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Options of an {@link StsEmulator}; {@link #build()} starts it. */
    public static final class Builder {

        private Clock clock = Clock.systemUTC();
        private Duration maxClockSkew = SigV4Verifier.DEFAULT_MAX_SKEW;
        private int port;
        private String accountId;

        private Builder() {
        }

        /**
         * The emulator's clock, used for MFA codes, session expirations and the signature clock-skew check.
         * Default: {@link Clock#systemUTC()}. Pass a clock you can move, such as a {@link MutableClock}, to test
         * expiry. The SDK signs requests with the real time: to move this clock more than 15 minutes away from
         * it, widen {@link #maxClockSkew(Duration)} too.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How far a request's signing time ({@code X-Amz-Date}) may be from the emulator's clock before STS
         * answers {@code SignatureDoesNotMatch} "Signature expired". Default 15 minutes, as AWS. The SDK signs
         * with the real time, so a test that moves the emulator's clock further than this widens it.
         */
        public Builder maxClockSkew(Duration maxClockSkew) {
            if (maxClockSkew.isNegative()) {
                throw new IllegalArgumentException("maxClockSkew must not be negative.");
            }
            this.maxClockSkew = maxClockSkew;
            return this;
        }

        /**
         * The loopback port to listen on, for an endpoint that stays the same from one run to the next. Default 0:
         * a free port, which {@link #endpoint()} tells.
         *
         * @param port 0, or 1 to 65535; {@link #build()} fails if it is in use
         */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0 (a free one) or 1 to 65535, not " + port + ".");
            }
            this.port = port;
            return this;
        }

        /**
         * The 12-digit account of every user, device and role of the emulator. Default: a random account for each
         * emulator.
         *
         * @throws IllegalArgumentException if it is not 12 digits
         */
        public Builder accountId(String accountId) {
            if (!Objects.requireNonNull(accountId, "accountId").matches("\\d{12}")) {
                throw new IllegalArgumentException("'" + accountId + "' is not an AWS account id: use 12 digits.");
            }
            this.accountId = accountId;
            return this;
        }

        /** Starts the emulator, on a free loopback port unless {@link #port(int)} names one. */
        public StsEmulator build() {
            return new StsEmulator(this);
        }
    }
}
