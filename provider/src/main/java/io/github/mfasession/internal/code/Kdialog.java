package io.github.mfasession.internal.code;

import java.util.List;

/**
 * KDE's {@code kdialog}: a password dialog, so the typed text is hidden. It prints the entry on standard output and
 * exits with 1 when cancelled (Cancel, Escape, the window closed).
 */
final class Kdialog implements DesktopProgram {

    private final String path;

    Kdialog(String path) {
        this.path = path;
    }

    @Override
    public String name() {
        return "kdialog";
    }

    @Override
    public List<String> command(String title, String text) {
        return List.of(path, "--title=" + title, "--password=" + label(text));
    }

    /**
     * kdialog reads backslash escapes in its text, and Qt shows the text as HTML when it looks like HTML. So the text is
     * always given as escaped HTML, with backslashes doubled: a profile name such as {@code <b>dev} is shown as typed.
     */
    static String label(String text) {
        String html = text.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>");
        return "<qt>" + html + "</qt>";
    }

    @Override
    public boolean cancelled(int exitStatus, String errorOutput) {
        return exitStatus == 1;
    }
}
