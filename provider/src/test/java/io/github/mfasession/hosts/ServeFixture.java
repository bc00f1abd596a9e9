package io.github.mfasession.hosts;

import io.github.mfasession.internal.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * {@code serve} run as a user runs it, in processes of its own against the local STS emulator ({@link HostFixture}),
 * and the environment its clients get: no profile files of their own, only the container credentials variables.
 * Stops whatever server it started when closed.
 */
final class ServeFixture implements AutoCloseable {

    final HostFixture hosts;
    final Path folder;

    ServeFixture(Path folder, String moreConfig) throws IOException {
        this.folder = folder;
        this.hosts = new HostFixture(folder, moreConfig);
        Files.createDirectories(folder.resolve("client-home"));
    }

    /** The environment of {@code serve}: the profile files, cache, emulator, and (if asked) the code the device shows now. */
    Map<String, String> serveEnvironment(boolean withCode) {
        Map<String, String> environment = hosts.environment();
        if (!withCode) {
            environment.remove("AWS_MFA_CODE");
        }
        return environment;
    }

    HostProcess.Result serve(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        return serve(Map.of(), environment, args);
    }

    /** {@code serve} in a JVM started with these system properties ({@code -Dname=value}). */
    HostProcess.Result serve(Map<String, String> systemProperties, Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("serve"));
        command.addAll(List.of(args));
        return HostProcess.run(HostProcess.java(Main.class, systemProperties, command.toArray(String[]::new)), environment, folder);
    }

    HostProcess.Result main(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        return HostProcess.run(HostProcess.java(Main.class, Map.of(), args), environment, folder);
    }

    /** The environment of a client: a home and profile files with nothing in them, and the given variables. */
    Map<String, String> clientEnvironment(Map<String, String> variables) {
        Map<String, String> environment = new HashMap<>(variables);
        environment.put("HOME", folder.resolve("client-home").toString());
        environment.put("AWS_CONFIG_FILE", folder.resolve("client-home").resolve("no-config").toString());
        environment.put("AWS_SHARED_CREDENTIALS_FILE", folder.resolve("client-home").resolve("no-credentials").toString());
        return environment;
    }

    Path serverFolder() {
        return folder.resolve("cache").resolve("serve");
    }

    Path tokenFile() {
        return serverFolder().resolve("token");
    }

    Path stateFile() {
        return serverFolder().resolve("server.json");
    }

    String token() throws IOException {
        return Files.readString(tokenFile());
    }

    /** The process id in the state file, if there is one. */
    Optional<Long> serverPid() throws IOException {
        if (!Files.exists(stateFile())) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(JsonNode.parser().parse(Files.readString(stateFile())).field("pid").orElseThrow().asNumber()));
    }

    /** The processes whose working folder is this server folder: background servers started from here. */
    List<ProcessHandle> backgroundServers() {
        return ProcessHandle.allProcesses().filter(process -> {
            try {
                return Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd")).equals(serverFolder());
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }).collect(Collectors.toList());
    }

    /** The value a POSIX shell would give the variable from serve's lines. */
    static String exported(String lines, String variable) {
        Matcher matcher = Pattern.compile("^export " + variable + "='([^']*)'$", Pattern.MULTILINE).matcher(lines);
        if (!matcher.find()) {
            throw new AssertionError("no " + variable + " in: " + lines);
        }
        return matcher.group(1);
    }

    /** Stops the server this fixture's folder names, with serve --stop, and as a last resort by its process id. */
    @Override
    public void close() throws Exception {
        try {
            if (Files.exists(stateFile())) {
                serve(serveEnvironment(false), "--stop");
            }
            backgroundServers().forEach(ProcessHandle::destroyForcibly);
        } finally {
            hosts.close();
        }
    }
}
