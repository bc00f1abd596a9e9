package io.github.mfasession.internal.serve;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * A server as the user's other processes see it ({@code status}, a second {@code serve}, {@code serve --stop}): the
 * state left in the folder, and whether a live server stands behind it. A server is live only if its process is
 * alive and its port answers {@code /status} with its token and its process id; state files left by a server that
 * crashed or was killed are recognised as such, whoever holds the port now.
 */
public final class RunningServer {

    /** Long enough for a loaded machine, short enough for a prompt; the server answers from memory. */
    private static final int TIMEOUT_MILLIS = 2_000;
    private static final int MAX_STATUS_BYTES = 64 * 1024;

    private final ServerFolder folder;
    private final ServerState state;
    private final long refusedRequests;
    private final List<ProfileStatus> profiles;

    private RunningServer(ServerFolder folder, ServerState state, long refusedRequests, List<ProfileStatus> profiles) {
        this.folder = folder;
        this.state = state;
        this.refusedRequests = refusedRequests;
        this.profiles = List.copyOf(profiles);
    }

    /** What the folder holds: nothing, the files of a server that no longer answers, or a live server. */
    public static Lookup find(ServerFolder folder) {
        Optional<ServerState> state = folder.read();
        return new Lookup(folder, state, state.flatMap(s -> ask(folder, s)));
    }

    private static Optional<RunningServer> ask(ServerFolder folder, ServerState state) {
        if (!ProcessHandle.of(state.pid()).map(ProcessHandle::isAlive).orElse(false)) {
            return Optional.empty();
        }
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) new URL(state.address() + ServerState.STATUS_PATH).openConnection(Proxy.NO_PROXY);
            connection.setConnectTimeout(TIMEOUT_MILLIS);
            connection.setReadTimeout(TIMEOUT_MILLIS);
            connection.setRequestProperty("Authorization", state.token());
            if (connection.getResponseCode() != 200) {
                return Optional.empty();
            }
            String body;
            try (InputStream in = connection.getInputStream()) {
                body = new String(in.readNBytes(MAX_STATUS_BYTES), StandardCharsets.UTF_8);
            }
            JsonNode json = JsonNode.parser().parse(body);
            if (Long.parseLong(json.field("pid").orElseThrow().asNumber()) != state.pid()) {
                return Optional.empty();
            }
            List<ProfileStatus> profiles = new ArrayList<>();
            for (JsonNode profile : json.field("profiles").orElseThrow().asArray()) {
                profiles.add(new ProfileStatus(profile.field("name").orElseThrow().text(),
                                               profile.field("expiration").map(end -> Instant.parse(end.text())),
                                               profile.field("problem").map(JsonNode::text),
                                               profile.field("attempting").map(JsonNode::asBoolean).orElse(false),
                                               profile.field("settled").map(JsonNode::asBoolean).orElse(false)));
            }
            long refused = json.field("refused").map(n -> Long.parseLong(n.asNumber())).orElse(0L);
            return Optional.of(new RunningServer(folder, state, refused, profiles));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    public ServerState state() {
        return state;
    }

    public List<ProfileStatus> profiles() {
        return profiles;
    }

    /** Requests refused for a missing or wrong token or a Host that is not a loopback name, since the server started. */
    public long refusedRequests() {
        return refusedRequests;
    }

    /** Whether every profile has had its first attempt, ended with a session or a problem. */
    boolean settled() {
        return profiles.stream().allMatch(ProfileStatus::settled);
    }

    /** "process 1234 at http://127.0.0.1:43123, serving dev, prod" */
    public String describe() {
        return "process " + state.pid() + " at " + state.address() + ", serving " + String.join(", ", state.profiles());
    }

    /**
     * Stops the server: SIGTERM (on Windows, the process is ended), after which the server removes its own state; then
     * whatever a server that could not clean up left behind is removed here.
     */
    public void stop(Duration wait) {
        Optional<ProcessHandle> process = ProcessHandle.of(state.pid()).filter(p -> p.pid() != ProcessHandle.current().pid());
        if (process.isPresent()) {
            process.get().destroy();
            if (!awaitExit(process.get(), wait)) {
                process.get().destroyForcibly();
                awaitExit(process.get(), wait);
            }
        }
        folder.remove(state.pid());
    }

    private static boolean awaitExit(ProcessHandle process, Duration wait) {
        try {
            process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** What {@link #find} found. */
    public static final class Lookup {
        private final ServerFolder folder;
        private final Optional<ServerState> left;
        private final Optional<RunningServer> live;

        Lookup(ServerFolder folder, Optional<ServerState> left, Optional<RunningServer> live) {
            this.folder = folder;
            this.left = left;
            this.live = live;
        }

        public Optional<RunningServer> live() {
            return live;
        }

        /** The state of a server that no longer answers (it crashed or was killed); empty when there is none or it is live. */
        public Optional<ServerState> stale() {
            return live.isPresent() ? Optional.empty() : left;
        }

        /** Removes the files of a server that no longer answers, so no client reads its token; nothing when there are none. */
        public void removeStale() {
            stale().ifPresent(state -> folder.remove(state.pid()));
        }
    }

    /** One served profile as the server reports it; no secrets. */
    public static final class ProfileStatus {
        private final String name;
        private final Optional<Instant> expiration;
        private final Optional<String> problem;
        private final boolean attempting;
        private final boolean settled;

        ProfileStatus(String name, Optional<Instant> expiration, Optional<String> problem, boolean attempting, boolean settled) {
            this.name = name;
            this.expiration = expiration;
            this.problem = problem;
            this.attempting = attempting;
            this.settled = settled;
        }

        public String name() {
            return name;
        }

        /** When the session being served ends; empty before the first. */
        public Optional<Instant> expiration() {
            return expiration;
        }

        /** Why the last attempt to get or renew the session failed, if it did. */
        public Optional<String> problem() {
            return problem;
        }

        /** Whether the server is asking the provider now (and may be waiting for a code). */
        public boolean attempting() {
            return attempting;
        }

        boolean settled() {
            return settled;
        }
    }
}
