package io.github.mfasession.internal.cli;

import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.cache.CacheFolder;
import io.github.mfasession.internal.cache.StoredSession;
import io.github.mfasession.internal.serve.RunningServer;
import io.github.mfasession.internal.serve.ServerFolder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** {@code status}: the cached sessions and the time they have left, and the running server; never a secret. */
final class StatusCommand extends Command {

    StatusCommand() {
        super("status", "status [--profile P]", "list cached sessions and the time they have left, and the running server (no secrets)", "profile");
    }

    @Override
    int run(Options options, PrintStream out, PrintStream err) {
        Path folder = CacheFolders.forOptions(options);
        List<StoredSession> sessions = new CacheFolder(folder).list();
        options.get("profile").ifPresent(profile -> sessions.removeIf(s -> !s.profile().equals(profile)));
        Instant now = Instant.now();
        if (sessions.isEmpty()) {
            out.println("No cached MFA sessions in " + folder + ".");
        } else {
            out.println("Cached MFA sessions in " + folder + ":");
            for (StoredSession session : sessions) {
                out.printf("  %-20s %-50s %s%n", session.profile(), session.mfaSerial(), timeLeft(session.expiration(), now));
            }
        }
        server(out, err, now);
        return Main.OK;
    }

    /** The server {@code serve} started for this user, if one runs: where, which profiles, their time left. */
    private static void server(PrintStream out, PrintStream err, Instant now) {
        ServerFolder folder = ServerFolder.forUser();
        RunningServer.Lookup found;
        try {
            found = RunningServer.find(folder);
        } catch (MfaSessionException e) {
            err.println(e.getMessage());
            return;
        }
        if (found.live().isEmpty()) {
            out.println(found.stale().map(state -> "No server running: process " + state.pid() + " stopped without cleaning up;"
                                                   + " the next serve replaces its files in " + folder.path() + ".")
                             .orElse("No server running (serve starts one)."));
            return;
        }
        RunningServer server = found.live().get();
        out.println("Server: " + server.describe() + ", token file " + folder.tokenFile() + ":");
        for (RunningServer.ProfileStatus profile : server.profiles()) {
            String state = profile.expiration().map(end -> timeLeft(end, now)).orElse("no session yet")
                           + (profile.attempting() ? "; getting a session now" : "")
                           + profile.problem().map(problem -> "; last attempt failed: " + problem).orElse("");
            out.printf("  %-20s %s%n", profile.name(), state);
        }
        if (server.refusedRequests() > 0) {
            out.println("  refused " + server.refusedRequests() + " request(s) without the token, or with a Host that is not a loopback name");
        }
    }

    static String timeLeft(Instant expiration, Instant now) {
        if (!expiration.isAfter(now)) {
            return "expired at " + expiration;
        }
        Duration left = Duration.between(now, expiration);
        return String.format("expires %s (%dh %02dm left)", expiration, left.toHours(), left.toMinutesPart());
    }
}
