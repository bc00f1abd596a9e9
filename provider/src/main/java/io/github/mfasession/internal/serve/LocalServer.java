package io.github.mfasession.internal.serve;

import io.github.mfasession.MfaSessionException;
import io.github.mfasession.MfaSessionProvider;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A server running in this process: the container credentials endpoint, a {@link ServedProfile} and
 * {@link RenewalLoop} thread per profile, and the {@link ServerState} left in the {@link ServerFolder}. Stopping it
 * ({@link #close()}, Ctrl-C, SIGTERM) removes that state, so nothing is left that could pass for a live server.
 *
 * <p>Built on the public provider API only ({@code resolveCredentials()}, {@code close()}): the provider decides
 * when a session is renewed; the server decides only that it happens here and not in a client's request.
 */
public final class LocalServer implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** 256 bits, as a header value: URL-safe Base64 without padding. */
    private static final int TOKEN_BYTES = 32;

    private final ServerFolder folder;
    private final ServerState state;
    private final ContainerCredentialsServer http;
    private final List<ServedProfile> profiles;
    private final Consumer<String> log;
    private final Duration checkEvery;
    private final Duration firstRetry;
    private final List<RenewalLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private LocalServer(Builder builder, List<ServedProfile> profiles, ContainerCredentialsServer http, ServerState state) {
        this.folder = builder.folder;
        this.log = builder.log;
        this.checkEvery = builder.checkEvery;
        this.firstRetry = builder.firstRetry;
        this.profiles = profiles;
        this.http = http;
        this.state = state;
        this.shutdownHook = new Thread(this::close, "mfa-session-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks that the port is free on 127.0.0.1 now, before any code is asked for.
     *
     * @throws MfaSessionException when another program has it
     */
    public static void requirePortFree(int port) {
        ContainerCredentialsServer.requireFree(port);
    }

    public ServerState state() {
        return state;
    }

    /**
     * Gets each profile's session now, asking for a code where one is needed (in the foreground, on the terminal).
     *
     * @throws MfaSessionException the first profile's failure, as its provider said it
     */
    public void obtainSessions() {
        for (ServedProfile profile : profiles) {
            profile.refreshOrThrow();
        }
    }

    /** Starts the background renewal of every profile; a profile without a session yet gets its first one there. */
    public void startRenewals() {
        for (ServedProfile profile : profiles) {
            RenewalLoop loop = new RenewalLoop(profile, checkEvery, firstRetry, log);
            Thread thread = new Thread(loop, "mfa-session-serve-renew-" + profile.name());
            thread.setDaemon(true);
            loops.add(loop);
            threads.add(thread);
            thread.start();
        }
    }

    /** Blocks until the server is stopped. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Stops listening and renewing, closes the providers, and removes the state this server left. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            http.close();
            loops.forEach(RenewalLoop::stop);
            // A renewal may be waiting on a person: the interrupt ends that wait.
            threads.forEach(Thread::interrupt);
            profiles.forEach(ServedProfile::close);
            folder.remove(state.pid());
        } finally {
            stopped.countDown();
            if (Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException e) {
                    // The JVM is already shutting down; the hook finds this server closed.
                }
            }
        }
    }

    private static String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What a server is made of; {@link #start()} binds it and leaves its state. */
    public static final class Builder {
        private ServerFolder folder;
        private List<String> profiles = List.of();
        private int port;
        private Function<String, MfaSessionProvider> providers;
        private Clock clock = Clock.systemUTC();
        private Consumer<String> log = line -> { };
        private String whereCodesAreAsked = "where the server asks for codes";
        private Duration checkEvery = RenewalLoop.CHECK_EVERY;
        private Duration firstRetry = RenewalLoop.FIRST_RETRY;

        public Builder folder(ServerFolder folder) {
            this.folder = folder;
            return this;
        }

        /** The profiles to serve, each at {@code /profiles/<name>}. */
        public Builder profiles(List<String> profiles) {
            this.profiles = List.copyOf(profiles);
            return this;
        }

        /** The port on 127.0.0.1; 0 (the default) takes a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Makes the provider of a profile; called once per profile when the server starts. */
        public Builder providers(Function<String, MfaSessionProvider> providers) {
            this.providers = providers;
            return this;
        }

        /** The clock a session's end is judged by. Default: the system's. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Where the server's own messages go, a line each: renewals and their failures. None of them holds a secret. */
        public Builder log(Consumer<String> log) {
            this.log = log;
            return this;
        }

        /** Where a code is asked for, as a client's error message says it: "in the terminal where serve runs", ... */
        public Builder whereCodesAreAsked(String whereCodesAreAsked) {
            this.whereCodesAreAsked = whereCodesAreAsked;
            return this;
        }

        /** How often the renewal threads ask the providers, and how long they first wait after a failure; tests shorten them. */
        public Builder renewalPace(Duration checkEvery, Duration firstRetry) {
            this.checkEvery = checkEvery;
            this.firstRetry = firstRetry;
            return this;
        }

        /**
         * Refuses to start beside a live server of the same folder, then listens and leaves the state for other
         * processes. The caller holds the folder's lock, or is a background server its launcher started holding it.
         *
         * @throws MfaSessionException when a server is already running, the port is taken, or the folder cannot be written
         */
        public LocalServer start() {
            Objects.requireNonNull(folder, "folder");
            Objects.requireNonNull(providers, "providers");
            if (profiles.isEmpty()) {
                throw new IllegalArgumentException("no profiles");
            }
            Optional<RunningServer> running = RunningServer.find(folder).live();
            if (running.isPresent()) {
                throw MfaSessionException.create("A server is already running for this user: " + running.get().describe()
                                                 + ". Use it (serve --background prints its lines), or stop it with serve --stop.");
            }
            List<ServedProfile> served = new ArrayList<>();
            for (String name : profiles) {
                served.add(new ServedProfile(name, providers.apply(name), clock, whereCodesAreAsked));
            }
            String token = newToken();
            ContainerCredentialsServer http;
            try {
                http = ContainerCredentialsServer.start(port, token, served, log);
            } catch (RuntimeException e) {
                served.forEach(ServedProfile::close);
                throw e;
            }
            ServerState state = new ServerState(ProcessHandle.current().pid(), http.port(), profiles, Instant.now(), token);
            try {
                folder.write(state);
            } catch (RuntimeException e) {
                http.close();
                served.forEach(ServedProfile::close);
                throw e;
            }
            return new LocalServer(this, served, http, state);
        }
    }
}
