package io.github.mfasession.internal.cli;

import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.cache.CacheFolder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code clear}: forgets cached sessions, so the next use asks for a code, and removes the lock files no process
 * holds; says what it removed and what it left, by file name.
 */
final class ClearCommand extends Command {

    ClearCommand() {
        super("clear", "clear [--profile P]", "forget cached sessions (all, or the profile's) and the lock files no process holds", "profile");
    }

    @Override
    List<Map.Entry<String, String>> optionHelp() {
        return List.of(Map.entry("--profile P", "forget only that profile's sessions (default: every profile; AWS_PROFILE is not used)"));
    }

    @Override
    int run(Options options, PrintStream out, PrintStream err) {
        CacheFolders folders = CacheFolders.forOptions(options, "forget every cached session");
        Path folder = folders.folder();
        CacheFolder.Cleared cleared = new CacheFolder(folder).clear(options.get("profile"));
        if (cleared.problem().isPresent()) {
            throw MfaSessionException.create("The MFA session cache folder " + folder + " cannot be used: " + cleared.problem().get()
                                             + ". Nothing was cleared.");
        }
        int forgotten = cleared.sessionFiles().size();
        out.println("Forgot " + forgotten + " cached MFA session" + (forgotten == 1 ? "" : "s")
                    + options.get("profile").map(p -> " of profile '" + p + "'").orElse("") + " in " + folder + ".");
        for (Path file : cleared.sessionFiles()) {
            out.println("  removed " + file.getFileName());
        }
        for (Path file : cleared.lockFiles()) {
            out.println("  removed " + file.getFileName() + " (a lock file no process held)");
        }
        for (Path file : cleared.lockFilesInUse()) {
            out.print(HelpText.wrap("  kept " + file.getFileName() + ": ", "    ",
                                    "another process holds it, getting that session now; it goes at the next clear"));
        }
        for (Map.Entry<Path, String> file : cleared.left().entrySet()) {
            out.print(HelpText.wrap("  left " + file.getKey().getFileName() + ": ", "    ", file.getValue() + "; remove it by hand"));
        }
        return Main.OK;
    }
}
