package io.github.mfasession.internal.code;

import java.util.List;
import java.util.StringJoiner;

/**
 * GNOME's {@code zenity}: an entry dialog with the typed text hidden. It prints the entry on standard output and exits
 * with 1 when cancelled (Cancel, Escape, the window closed); GTK exits with 1 too when it cannot open or loses the
 * display, saying so on standard error.
 */
final class Zenity implements DesktopProgram {

    private final String path;

    Zenity(String path) {
        this.path = path;
    }

    @Override
    public String name() {
        return "zenity";
    }

    @Override
    public List<String> command(String title, String text) {
        // "--option=value": a value that starts with "-" is never taken for an option.
        return List.of(path, "--entry", "--hide-text", "--title=" + title, "--text=" + label(wrapped(text)), "--width=460");
    }

    /** Columns per line of the label: zenity's entry label does not wrap, so a long line widens the window past the screen. */
    static final int LABEL_COLUMNS = 64;

    /** The text with each line broken at spaces to at most {@link #LABEL_COLUMNS} (a longer word stays whole). */
    static String wrapped(String text) {
        StringJoiner lines = new StringJoiner("\n");
        for (String line : text.split("\n", -1)) {
            StringBuilder out = new StringBuilder(line.length() + 4);
            int column = 0;
            for (String word : line.split(" ", -1)) {
                if (column == 0 && out.length() == 0) {
                    out.append(word);
                    column = word.length();
                } else if (column + 1 + word.length() > LABEL_COLUMNS) {
                    out.append('\n').append(word);
                    column = word.length();
                } else {
                    out.append(' ').append(word);
                    column += 1 + word.length();
                }
            }
            lines.add(out);
        }
        return lines.toString();
    }

    /**
     * The entry dialog's label reads backslash escapes ({@code g_strcompress}) and takes "_" as a mnemonic mark
     * ({@code gtk_label_set_text_with_mnemonic}); doubling both shows them as typed. It reads no markup.
     */
    static String label(String text) {
        return text.replace("\\", "\\\\").replace("_", "__");
    }

    @Override
    public boolean cancelled(int exitStatus, String errorOutput) {
        return exitStatus == 1 && !errorOutput.contains("display");
    }
}
