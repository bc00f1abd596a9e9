package io.github.mfasession.internal.code;

import java.util.List;
import java.util.Map;

/**
 * One of the desktop's own dialog programs, run as a child process to ask for a code: {@link Zenity}, {@link Kdialog},
 * {@link Osascript}, {@link WindowsPowerShell}. Each says how to ask and how to read the answer; running it is
 * {@link DesktopCodeSupplier}'s job.
 *
 * <p>The title and text hold the profile name and device, which a user (or whoever wrote the profile file) chose: they
 * are passed as separate arguments or environment variables, never through a shell or into a script's source, and
 * escaped for what the program itself interprets.
 */
interface DesktopProgram {

    /** The program's name, for messages: {@code zenity}, {@code kdialog}, {@code osascript}, {@code PowerShell}. */
    String name();

    /** The command line, the program's absolute path first and each argument on its own. */
    List<String> command(String title, String text);

    /** Variables the program reads the title and text from, for a program that cannot take them as arguments. */
    default Map<String, String> environment(String title, String text) {
        return Map.of();
    }

    /** Whether the program ended this way because the person cancelled (a button, Escape, closing the window). */
    boolean cancelled(int exitStatus, String errorOutput);
}
