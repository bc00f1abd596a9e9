package io.github.mfasession.internal.cli;

import io.github.mfasession.internal.cache.CacheFolder;
import java.io.PrintStream;
import java.nio.file.Path;

/** {@code clear}: forgets cached sessions, so the next use asks for a code. */
final class ClearCommand extends Command {

    ClearCommand() {
        super("clear", "clear [--profile P]", "forget cached sessions (all, or the profile's)", "profile");
    }

    @Override
    int run(Options options, PrintStream out, PrintStream err) {
        Path folder = CacheFolders.forOptions(options);
        int deleted = new CacheFolder(folder).clear(options.get("profile")).sessionFiles().size();
        out.println("Forgot " + deleted + " cached MFA session" + (deleted == 1 ? "" : "s")
                    + options.get("profile").map(p -> " of profile '" + p + "'").orElse("") + " in " + folder + ".");
        return Main.OK;
    }
}
