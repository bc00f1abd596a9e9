package io.github.mfasession.internal.serve;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;
import software.amazon.awssdk.utils.ToString;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * What a running server leaves for the user's other processes: its process id, port, profiles, when it started,
 * and the token a request must carry. {@link ServerFolder} keeps it on disk: the token alone in the token file
 * (as {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE} wants it), the rest in a small JSON file beside it.
 */
public final class ServerState {

    /** The address every client is given: the SDKs and the AWS CLI accept plain HTTP only to a loopback host, and the older CLIs only to this one or {@code localhost}. */
    public static final String HOST = "127.0.0.1";
    static final String PROFILES_PATH = "/profiles/";
    static final String STATUS_PATH = "/status";

    private final long pid;
    private final int port;
    private final List<String> profiles;
    private final Instant started;
    private final String token;

    ServerState(long pid, int port, List<String> profiles, Instant started, String token) {
        this.pid = pid;
        this.port = port;
        this.profiles = List.copyOf(profiles);
        this.started = started;
        this.token = token;
    }

    public long pid() {
        return pid;
    }

    public int port() {
        return port;
    }

    public List<String> profiles() {
        return profiles;
    }

    public Instant started() {
        return started;
    }

    String token() {
        return token;
    }

    /** {@code http://127.0.0.1:<port>} */
    public String address() {
        return "http://" + HOST + ":" + port;
    }

    /** The URI to give {@code AWS_CONTAINER_CREDENTIALS_FULL_URI} for the profile. */
    public URI credentialsUri(String profile) {
        return URI.create(address() + profilePath(profile));
    }

    /** The path of a profile's credentials: {@code /profiles/<name>}, the name percent-encoded as RFC 3986 says. */
    static String profilePath(String profile) {
        return PROFILES_PATH + SdkHttpUtils.urlEncode(profile);
    }

    /** Whether the state names this profile. */
    public boolean serves(String profile) {
        return profiles.contains(profile);
    }

    byte[] toJson() {
        JsonWriter json = JsonWriter.create();
        json.writeStartObject()
            .writeFieldName("pid").writeValue(pid)
            .writeFieldName("port").writeValue(port)
            .writeFieldName("started").writeValue(started.toString())
            .writeFieldName("profiles").writeStartArray();
        for (String profile : profiles) {
            json.writeValue(profile);
        }
        json.writeEndArray().writeEndObject();
        return json.getBytes();
    }

    /** The state from its JSON and the token file's text; empty when either is not what a server writes. */
    static Optional<ServerState> fromJson(byte[] bytes, String token) {
        try {
            JsonNode json = JsonNode.parser().parse(new String(bytes, StandardCharsets.UTF_8));
            long pid = Long.parseLong(json.field("pid").orElseThrow().asNumber());
            int port = Integer.parseInt(json.field("port").orElseThrow().asNumber());
            Instant started = Instant.parse(json.field("started").orElseThrow().text());
            List<String> profiles = new ArrayList<>();
            for (JsonNode profile : json.field("profiles").orElseThrow().asArray()) {
                profiles.add(profile.text());
            }
            if (pid <= 0 || port <= 0 || port > 65_535 || profiles.isEmpty() || token.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new ServerState(pid, port, profiles, started, token));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return ToString.builder("ServerState").add("pid", pid).add("address", address()).add("profiles", profiles).build();
    }
}
