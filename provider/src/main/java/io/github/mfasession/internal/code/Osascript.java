package io.github.mfasession.internal.code;

import java.util.ArrayList;
import java.util.List;

/**
 * macOS's {@code osascript} running AppleScript's {@code display dialog} with a hidden answer. The title and text are
 * the script's arguments ({@code argv} of its run handler), never part of its source, so no AppleScript string is ever
 * built from them and no quoting can break out. Cancelling raises AppleScript error -128 ("User canceled."), which
 * osascript reports on standard error with exit status 1.
 */
final class Osascript implements DesktopProgram {

    static final String PATH = "/usr/bin/osascript";
    /** One statement per {@code -e}; {@code activate} brings the dialog in front of the host's windows. */
    static final List<String> SCRIPT = List.of(
        "on run argv",
        "activate",
        "set answer to display dialog (item 2 of argv) with title (item 1 of argv) default answer \"\" with hidden answer"
        + " buttons {\"Cancel\", \"OK\"} default button \"OK\" cancel button \"Cancel\"",
        "return text returned of answer",
        "end run");

    @Override
    public String name() {
        return "osascript";
    }

    @Override
    public List<String> command(String title, String text) {
        List<String> command = new ArrayList<>();
        command.add(PATH);
        SCRIPT.forEach(line -> {
            command.add("-e");
            command.add(line);
        });
        // The title goes first: it is fixed text, so the first argument after the script never looks like an option.
        command.add(title);
        command.add(text);
        return List.copyOf(command);
    }

    @Override
    public boolean cancelled(int exitStatus, String errorOutput) {
        return exitStatus == 1 && errorOutput.contains("(-128)");
    }
}
