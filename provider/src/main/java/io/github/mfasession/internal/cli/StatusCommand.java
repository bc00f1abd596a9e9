package io.github.mfasession.internal.cli;

import io.github.mfasession.internal.cache.CacheFolder;
import io.github.mfasession.internal.cache.StoredSession;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** {@code status}: the cached sessions and the time they have left; never a secret. */
final class StatusCommand extends Command {

    StatusCommand() {
        super("status", "status [--profile P]", "list cached sessions and the time they have left (no secrets)", "profile");
    }

    @Override
    int run(Options options, PrintStream out, PrintStream err) {
        Path folder = CacheFolders.forOptions(options);
        List<StoredSession> sessions = new CacheFolder(folder).list();
        options.get("profile").ifPresent(profile -> sessions.removeIf(s -> !s.profile().equals(profile)));
        if (sessions.isEmpty()) {
            out.println("No cached MFA sessions in " + folder + ".");
            return Main.OK;
        }
        out.println("Cached MFA sessions in " + folder + ":");
        Instant now = Instant.now();
        for (StoredSession session : sessions) {
            out.printf("  %-20s %-50s %s%n", session.profile(), session.mfaSerial(), timeLeft(session.expiration(), now));
        }
        return Main.OK;
    }

    static String timeLeft(Instant expiration, Instant now) {
        if (!expiration.isAfter(now)) {
            return "expired at " + expiration;
        }
        Duration left = Duration.between(now, expiration);
        return String.format("expires %s (%dh %02dm left)", expiration, left.toHours(), left.toMinutesPart());
    }
}
