package io.github.mfasession.internal.cli;

import io.github.mfasession.MfaSessionException;
import io.github.mfasession.MfaSessionProvider;
import io.github.mfasession.internal.serve.BackgroundServer;
import io.github.mfasession.internal.serve.LocalServer;
import io.github.mfasession.internal.serve.RunningServer;
import io.github.mfasession.internal.serve.ServerFolder;
import io.github.mfasession.internal.serve.ShellLines;
import io.github.mfasession.internal.settings.ProfileFiles;
import io.github.mfasession.internal.settings.Setting;
import io.github.mfasession.internal.settings.SettingSources;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.profiles.Profile;

/**
 * {@code serve}: the session of one or more profiles for every SDK and the AWS CLI on this machine, through the
 * container credentials protocol on loopback. In the foreground it asks for codes on this terminal and runs until
 * stopped; with {@code --background} it gets the sessions here, then leaves a server running (or reuses the one that
 * runs) and prints the lines to evaluate. {@code --stop} stops it. Standard output carries only those lines.
 */
final class ServeCommand extends Command {

    /** A second serve waits this long for one that is starting (which may be waiting for a code). */
    private static final Duration LOCK_WAIT = Duration.ofSeconds(120);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    /** Profile keys that give the AWS CLI and SDKs credentials of their own, before they look at the container variables. */
    private static final List<String> CREDENTIAL_KEYS = List.of(
        "aws_access_key_id", "credential_process", "role_arn", "sso_session", "sso_start_url", "web_identity_token_file");

    ServeCommand() {
        super("serve", "serve [--profile P]... [--port N] [--background|--stop] [--shell sh|powershell] [--token-variable]",
              "serve the sessions to every SDK and the AWS CLI on this machine (container credentials on loopback)",
              "profile", "port", "shell");
    }

    @Override
    Set<String> flags() {
        return Set.of("background", "stop", "token-variable");
    }

    @Override
    List<String> description() {
        return List.of("Serve the sessions of the profiles to every SDK and the AWS CLI on this machine: a server on"
                       + " loopback that speaks the container credentials protocol, renewing ahead of expiry. Prints the"
                       + " lines to eval (AWS_CONTAINER_CREDENTIALS_FULL_URI and the token file) on standard output.");
    }

    @Override
    List<Map.Entry<String, String>> optionHelp() {
        return List.of(Map.entry("--profile P", "a profile to serve (default: AWS_PROFILE, else default); repeat for more"),
                       Map.entry("--port N", "the loopback port (default: a free one)"),
                       Map.entry("--background", "get the sessions here, then leave a server running (or reuse the running"
                                                 + " one) and print its lines"),
                       Map.entry("--stop", "stop the running server"),
                       Map.entry("--shell sh|powershell", "the form of the lines (default: this system's)"),
                       Map.entry("--token-variable", "also set AWS_CONTAINER_AUTHORIZATION_TOKEN, for clients that do not"
                                                     + " read the token file"));
    }

    @Override
    int run(Options options, PrintStream out, PrintStream err) {
        ServerFolder folder = ServerFolder.forUser();
        if (options.has("stop")) {
            return stop(folder, err);
        }
        List<String> profiles = profiles(options);
        int port = port(options);
        ShellLines.Shell shell = options.get("shell")
                                        .map(name -> ShellLines.Shell.named(name).orElseThrow(
                                            () -> new Options.UsageException("Unknown shell '" + name + "': use sh or powershell.")))
                                        .orElse(ShellLines.Shell.forThisSystem());
        boolean tokenVariable = options.has("token-variable");
        warnAboutCredentialsThatComeFirst(err);
        if (options.has("background")) {
            return background(folder, profiles, port, shell, tokenVariable, out, err);
        }
        return foreground(folder, profiles, port, shell, tokenVariable, out, err);
    }

    private static int foreground(ServerFolder folder, List<String> profiles, int port, ShellLines.Shell shell, boolean tokenVariable,
                                  PrintStream out, PrintStream err) {
        LocalServer server;
        try (ServerFolder.Lock lock = folder.lock(LOCK_WAIT)) {
            RunningServer.Lookup found = RunningServer.find(folder);
            sayStale(found, err);
            server = LocalServer.builder()
                                .folder(folder)
                                .profiles(profiles)
                                .port(port)
                                .providers(MfaSessionProvider::create)
                                .log(err::println)
                                .whereCodesAreAsked("in the terminal where serve runs")
                                .start();
        }
        try {
            server.obtainSessions();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        out.print(ShellLines.of(shell, server.state(), folder.tokenFile(), profiles, tokenVariable));
        out.flush();
        err.println("Serving " + String.join(", ", profiles) + " at " + server.state().address() + "; renewals ask for codes here."
                    + " Stop with Ctrl-C, or serve --stop from another terminal.");
        server.startRenewals();
        try {
            server.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.close();
        }
        return Main.OK;
    }

    private static int background(ServerFolder folder, List<String> profiles, int port, ShellLines.Shell shell, boolean tokenVariable,
                                  PrintStream out, PrintStream err) {
        Optional<RunningServer> running = RunningServer.find(folder).live();
        if (running.isEmpty()) {
            if (port != 0) {
                LocalServer.requirePortFree(port);
            }
            // The first code is asked for here, on this terminal; the server finds the session in the disk cache.
            for (String profile : profiles) {
                try (MfaSessionProvider provider = MfaSessionProvider.create(profile)) {
                    provider.resolveCredentials();
                }
            }
            try (ServerFolder.Lock lock = folder.lock(LOCK_WAIT)) {
                RunningServer.Lookup found = RunningServer.find(folder);
                running = found.live();
                if (running.isEmpty()) {
                    sayStale(found, err);
                    found.removeStale();
                    RunningServer started = BackgroundServer.launch(folder, profiles, port);
                    printLines(started, folder, profiles, shell, tokenVariable, out);
                    err.println("Serving " + String.join(", ", profiles) + " in the background: " + started.describe()
                                + ". Log: " + folder.logFile() + ". Stop it with serve --stop.");
                    warnAboutProblems(started, err);
                    return Main.OK;
                }
            }
        }
        RunningServer server = running.get();
        List<String> missing = new ArrayList<>(profiles);
        missing.removeAll(server.state().profiles());
        if (!missing.isEmpty()) {
            throw MfaSessionException.create("A server is already running for this user (" + server.describe() + ") and does not serve "
                                             + String.join(", ", missing) + ". Stop it with serve --stop, then start one with every profile"
                                             + " you need (--profile once for each).");
        }
        if (port != 0 && port != server.state().port()) {
            throw MfaSessionException.create("A server is already running for this user on port " + server.state().port() + ", not " + port
                                             + " (" + server.describe() + "). Use it, or stop it with serve --stop and start it again with --port " + port + ".");
        }
        printLines(server, folder, profiles, shell, tokenVariable, out);
        err.println("Using the server already running: " + server.describe() + ".");
        warnAboutProblems(server, err);
        return Main.OK;
    }

    private static int stop(ServerFolder folder, PrintStream err) {
        RunningServer.Lookup found = RunningServer.find(folder);
        if (found.live().isPresent()) {
            found.live().get().stop(STOP_WAIT);
            err.println("Stopped the server (" + found.live().get().describe() + ").");
        } else if (found.stale().isPresent()) {
            found.removeStale();
            err.println("No server was running; removed the files left by process " + found.stale().get().pid() + ", which had stopped.");
        } else {
            err.println("No server is running.");
        }
        return Main.OK;
    }

    private static void printLines(RunningServer server, ServerFolder folder, List<String> profiles, ShellLines.Shell shell,
                                   boolean tokenVariable, PrintStream out) {
        out.print(ShellLines.of(shell, server.state(), folder.tokenFile(), profiles, tokenVariable));
        out.flush();
    }

    private static void sayStale(RunningServer.Lookup found, PrintStream err) {
        found.stale().ifPresent(state -> err.println("A server (process " + state.pid() + ") stopped without cleaning up; its files are replaced."));
    }

    private static void warnAboutProblems(RunningServer server, PrintStream err) {
        for (RunningServer.ProfileStatus profile : server.profiles()) {
            profile.problem().ifPresent(problem -> err.println("Profile '" + profile.name() + "' has no session yet: " + problem));
        }
    }

    /**
     * Says so when the AWS CLI and SDKs would find credentials before they look at the container variables: the
     * environment's keys or profile, or credentials in profile {@code default} (their chains read those first).
     */
    private static void warnAboutCredentialsThatComeFirst(PrintStream err) {
        for (String variable : List.of("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_DEFAULT_PROFILE")) {
            if (System.getenv(variable) != null) {
                err.println(variable + " is set here: the AWS CLI and SDKs use it before the server. Unset it in the shells that should use the server.");
            }
        }
        if (System.getenv("AWS_PROFILE") != null || System.getenv("AWS_DEFAULT_PROFILE") != null) {
            return;
        }
        try {
            Optional<Profile> fallback = ProfileFiles.readDefault().profile("default");
            fallback.flatMap(profile -> CREDENTIAL_KEYS.stream().filter(key -> profile.property(key).isPresent()).findFirst())
                    .ifPresent(key -> err.println("Profile 'default' has " + key + ": the AWS CLI and SDKs use it before the server."
                                                  + " Move it to a named profile for the server to be used."));
        } catch (RuntimeException e) {
            // Unreadable config files: the provider reports them when it reads them.
        }
    }

    private static List<String> profiles(Options options) {
        List<String> profiles = new ArrayList<>();
        for (String profile : options.all("profile")) {
            if (!profiles.contains(profile)) {
                profiles.add(profile);
            }
        }
        if (profiles.isEmpty()) {
            profiles.add(SettingSources.of(Map.of()).find(Setting.PROFILE, Optional.empty())
                                       .map(SettingSources.Found::value)
                                       .orElse(Setting.PROFILE.defaultValue().orElseThrow()));
        }
        return profiles;
    }

    private static int port(Options options) {
        Optional<String> given = options.get("port");
        if (given.isEmpty()) {
            return 0;
        }
        try {
            int port = Integer.parseInt(given.get());
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new Options.UsageException("--port must be a port number, 1 to 65535 (0 or none: any free port), not '" + given.get() + "'.");
    }
}
