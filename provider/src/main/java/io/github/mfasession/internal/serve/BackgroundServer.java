package io.github.mfasession.internal.serve;

import io.github.mfasession.MfaSessionException;
import io.github.mfasession.MfaSessionProvider;
import io.github.mfasession.internal.logging.CommandLogging;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code serve --background}: a server in a JVM of its own, started without a terminal (in a new session, where
 * {@code setsid} exists) and left running when the command ends. The command gets the sessions first, on the
 * user's terminal; this JVM then finds them in the shared disk cache, and later renews them with the profile's code
 * supplier, which here cannot be the terminal: the desktop's dialog program, a Swing dialog, {@code mfa_process},
 * {@code mfa_code_file}. Its messages
 * go to {@code server.log} in the server folder.
 */
public final class BackgroundServer {

    /** How long the command waits for the server to listen and to have tried each profile once. */
    static final Duration STARTUP = Duration.ofSeconds(60);
    private static final String WHERE_CODES_ARE_ASKED =
        "from the profile's code supplier (the background server has no terminal: the desktop's dialog program, a dialog,"
        + " mfa_process or mfa_code_file)";

    private BackgroundServer() {
    }

    /** The background JVM: {@code --port N --profile P [--profile Q ...]}. */
    public static void main(String[] args) {
        // Before any logger is made: the provider's warnings (a cache file not trusted, a renewal that failed) go to
        // standard error, which is server.log, like the server's own lines.
        CommandLogging.toStandardError(false);
        PrintStream err = System.err;
        Consumer<String> log = line -> err.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + line);
        int port = 0;
        List<String> profiles = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--port")) {
                port = Integer.parseInt(args[i + 1]);
            } else if (args[i].equals("--profile")) {
                profiles.add(args[i + 1]);
            }
        }
        LocalServer server;
        try {
            server = LocalServer.builder()
                                .folder(ServerFolder.forUser())
                                .profiles(profiles)
                                .port(port)
                                .providers(MfaSessionProvider::create)
                                .log(log)
                                .whereCodesAreAsked(WHERE_CODES_ARE_ASKED)
                                .start();
        } catch (MfaSessionException e) {
            log.accept(e.getMessage());
            System.exit(1);
            return;
        }
        log.accept("Serving " + String.join(", ", profiles) + " at " + server.state().address() + " (process " + server.state().pid() + ").");
        server.startRenewals();
        try {
            server.awaitStop();
        } catch (InterruptedException e) {
            server.close();
        }
    }

    /**
     * Starts a background server and waits until it listens and has tried each profile once (from the disk cache,
     * that takes milliseconds). The caller holds the folder's lock, so no other server starts meanwhile.
     *
     * @throws MfaSessionException with the end of the server's log, when it stopped or did not start in time
     */
    public static RunningServer launch(ServerFolder folder, List<String> profiles, int port) {
        Path log = folder.startLog();
        ProcessBuilder builder = new ProcessBuilder(command(profiles, port))
            .directory(folder.path().toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File(isWindows() ? "NUL" : "/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectErrorStream(true);
        // A code in the environment is good for one session, which the command has just used.
        builder.environment().remove("AWS_MFA_CODE");
        builder.environment().putAll(ChildJvmSettings.secretsAsEnvironment(System.getProperties()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw MfaSessionException.create("Could not start the background server (" + e.getMessage() + ").", e);
        }
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            Optional<RunningServer> live = RunningServer.find(folder).live();
            if (live.isPresent() && live.get().settled()) {
                return live.get();
            }
            if (!process.isAlive() && process.exitValue() != 0) {
                throw MfaSessionException.create("The background server stopped as it started: " + folder.logTail(1000));
            }
            if (System.nanoTime() > deadline) {
                if (live.isPresent()) {
                    // Listening, still waiting for a code from a dialog or a command: the clients are told so meanwhile.
                    return live.get();
                }
                process.destroy();
                throw MfaSessionException.create("The background server did not start within " + STARTUP.getSeconds() + " s; see " + log + ".");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw MfaSessionException.create("Interrupted while waiting for the background server to start; see " + log + ".", e);
            }
        }
    }

    private static List<String> command(List<String> profiles, int port) {
        List<String> command = new ArrayList<>();
        // A new session: no controlling terminal to prompt on, and no hang-up when the user's terminal closes.
        Stream.of("/usr/bin/setsid", "/bin/setsid").map(Paths::get).filter(Files::isExecutable).findFirst()
              .ifPresent(setsid -> command.add(setsid.toString()));
        command.add(Paths.get(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java").toString());
        command.add("-cp");
        command.add(Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                          .map(entry -> Paths.get(entry).toAbsolutePath().toString())
                          .collect(Collectors.joining(File.pathSeparator)));
        // A small, long-lived process whose work is a few microseconds a request: no parallel GC, no C2 compiler.
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xmx64m");
        // Settings given as system properties (aws.mfaCacheDir, aws.mfaCodeSupplier, ...) hold for the server too;
        // secrets never go on a command line, which every local user can read.
        command.addAll(ChildJvmSettings.commandLineProperties(System.getProperties()));
        command.add(BackgroundServer.class.getName());
        if (port != 0) {
            command.add("--port");
            command.add(Integer.toString(port));
        }
        for (String profile : profiles) {
            command.add("--profile");
            command.add(profile);
        }
        return command;
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }
}
