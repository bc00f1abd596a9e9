package io.github.mfasession.internal.cli;

import io.github.mfasession.internal.cache.DiskSessionStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/** {@code clear}: forgets cached sessions, so the next use asks for a code. */
final class ClearCommand implements Command {

    @Override
    public String name() {
        return "clear";
    }

    @Override
    public String usage() {
        return "clear [--profile P]";
    }

    @Override
    public String summary() {
        return "forget cached sessions (all, or the profile's)";
    }

    @Override
    public Set<String> options() {
        return Set.of("profile");
    }

    @Override
    public int run(Options options, PrintStream out, PrintStream err) {
        Path folder = CacheFolders.forOptions(options);
        int deleted = new DiskSessionStore(folder, Duration.ZERO).clear(options.get("profile"));
        out.println("Forgot " + deleted + " cached MFA session" + (deleted == 1 ? "" : "s")
                    + options.get("profile").map(p -> " of profile '" + p + "'").orElse("") + " in " + folder + ".");
        return Main.OK;
    }
}
