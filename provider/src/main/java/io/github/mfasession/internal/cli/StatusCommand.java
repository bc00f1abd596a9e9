package io.github.mfasession.internal.cli;

import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.cache.CacheFolder;
import io.github.mfasession.internal.cache.CachedFile;
import io.github.mfasession.internal.cache.StoredSession;
import io.github.mfasession.internal.refresh.RefreshPolicy;
import io.github.mfasession.internal.serve.RunningServer;
import io.github.mfasession.internal.serve.ServerFolder;
import io.github.mfasession.internal.session.SessionKey;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code status}: every file of the cache folder with what it holds or why it is not used, the time each session
 * has left and the refresh window it is in, and the running server; never a secret. Files that are not used are
 * also warned about on standard error, as the provider warns when it meets them.
 */
final class StatusCommand extends Command {

    private static final String FINDING = "    ";
    private static final String MORE = "      ";

    StatusCommand() {
        super("status", "status [--profile P]",
              "list the cached sessions with their time left, the files not used and why, and the running server (no secrets)", "profile");
    }

    @Override
    List<Map.Entry<String, String>> optionHelp() {
        return List.of(Map.entry("--profile P", "show only that profile's files (default: every profile; AWS_PROFILE is not used)"));
    }

    @Override
    int run(Options options, PrintStream out, PrintStream err) {
        CacheFolders folders = CacheFolders.forOptions(options, "see every cached session");
        Path folder = folders.folder();
        CacheFolder.Listing listing = new CacheFolder(folder).inspect();
        // Made here, not when Main registers the command: SLF4J picks its provider at the first logger, after Main sets it.
        Logger log = LoggerFactory.getLogger(StatusCommand.class);
        Instant now = Instant.now();
        List<CachedFile> files = new ArrayList<>(listing.files());
        folders.profile().ifPresent(profile -> files.removeIf(file -> !ofProfile(file, profile)));
        // By name: a session file and its lock file side by side.
        files.sort(Comparator.comparing(file -> file.file().getFileName().toString()));
        if (listing.problem().isPresent()) {
            log.warn("Ignoring the MFA session cache folder {}: {}.", folder, listing.problem().get());
            out.print(HelpText.wrap("", "  ", "The MFA session cache folder " + folder + " is not used: " + listing.problem().get() + "."));
        } else {
            String of = folders.profile().map(p -> " of profile '" + p + "'").orElse("") + " in " + folder;
            out.println(files.isEmpty() ? "No cached MFA sessions" + of + "."
                                        : files.stream().anyMatch(file -> file.session().isPresent()) ? "Cached MFA sessions" + of + ":"
                                                                                                       : "No cached MFA sessions" + of + "; found:");
        }
        for (CachedFile file : files) {
            out.println("  " + file.file().getFileName());
            out.print(findings(file, folders, now));
            if (file.kind() == CachedFile.Kind.SESSION && file.problem().isPresent()) {
                log.warn("Ignoring the MFA session cache file {}: it {}.", file.file(), file.problem().get());
            }
        }
        server(out, err, now);
        return Main.OK;
    }

    /** The file is the profile's: by the session it holds, or by its name when it cannot be read or is a lock file. */
    private static boolean ofProfile(CachedFile file, String profile) {
        if (file.session().isPresent()) {
            return file.session().get().profile().equals(profile);
        }
        String name = file.file().getFileName().toString();
        String sessionName = file.kind() == CachedFile.Kind.LOCK ? name.substring(0, name.length() - ".lock".length()) : name;
        return file.kind() != CachedFile.Kind.OTHER && file.kind() != CachedFile.Kind.TEMPORARY && SessionKey.isFileNameOf(profile, sessionName);
    }

    /** What the file is and whether it is used, in indented lines of at most 80 columns. */
    private static String findings(CachedFile file, CacheFolders folders, Instant now) {
        StringBuilder text = new StringBuilder();
        if (file.session().isPresent()) {
            StoredSession session = file.session().get();
            if (session.roleArn().isPresent()) {
                text.append(line("role session of profile " + session.profile()))
                    .append(line("role " + session.roleArn().get()))
                    .append(line("assumed with the MFA session"
                                 + folders.mfaProfileOf(session.profile()).map(p -> " of profile " + p).orElse("")
                                 + ", device " + session.mfaSerial()));
            } else {
                text.append(line("MFA session of profile " + session.profile())).append(line("device " + session.mfaSerial()));
            }
            return text.append(line(window(session, folders.policyFor(session.profile()), now))).toString();
        }
        String problem = file.problem().orElse(null);
        switch (file.kind()) {
            case SESSION:
                return line(file.trouble().map(StatusCommand::describe).orElse("not used") + ", not used: it " + problem);
            case LOCK:
                return line(problem == null ? "lock file: processes take turns on it to get that session"
                                            : "lock file, not trusted: it " + problem + "; replaced, never opened, at its next use");
            case TEMPORARY:
                return line("a session being written, or left by a process ended while writing it");
            default:
                return line(file.file().getFileName().toString().equals("serve") ? "the serve command's folder (the server is below)"
                                                                                 : "not a file of the cache; left alone");
        }
    }

    private static String describe(CachedFile.Trouble trouble) {
        switch (trouble) {
            case UNTRUSTED:
                return "not trusted";
            case CORRUPT:
                return "corrupt";
            default:
                return "unreadable";
        }
    }

    /** The session's time left and what the refresh policy does with it now. */
    private static String window(StoredSession session, RefreshPolicy policy, Instant now) {
        if (session.isExpiredAt(now)) {
            return "expired at " + session.expiration().truncatedTo(ChronoUnit.SECONDS) + ": not used, the next use gets a new session";
        }
        long expiration = session.expiration().toEpochMilli();
        long lifetime = session.obtained().map(o -> expiration - o.toEpochMilli()).filter(l -> l > 0).orElse(Long.MAX_VALUE);
        long retryAfter = session.retryAfter().map(Instant::toEpochMilli).orElse(Long.MIN_VALUE);
        String left = timeLeft(session.expiration(), now) + "\n";
        switch (policy.judge(expiration, lifetime, retryAfter, now.toEpochMilli())) {
            case RENEW_OR_FAIL:
                return left + "in the mandatory refresh window: the next use must get a new one";
            case RENEW_OR_USE:
                return left + "in the advisory refresh window: the next use tries for a new one";
            default:
                return left + (retryAfter > now.toEpochMilli() && policy.judge(expiration, lifetime, Long.MIN_VALUE, now.toEpochMilli())
                                                                  != RefreshPolicy.Decision.USE
                               ? "in the advisory refresh window, but a renewal failed: used as it is until\n"
                                 + session.retryAfter().get().truncatedTo(ChronoUnit.SECONDS) + ", then the next use tries again"
                               : "valid: used as it is");
        }
    }

    /** One finding, indented, wrapped at 80 columns; a line break in it starts another finding. */
    private static String line(String text) {
        StringBuilder lines = new StringBuilder();
        for (String one : text.split("\n")) {
            lines.append(HelpText.wrap(FINDING, MORE, one));
        }
        return lines.toString();
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
        String shown = left.toHours() > 0 ? String.format("%dh %02dm", left.toHours(), left.toMinutesPart())
                                          : String.format("%dm %02ds", left.toMinutes(), left.toSecondsPart());
        return "expires " + expiration.truncatedTo(ChronoUnit.SECONDS) + " (" + shown + " left)";
    }
}
