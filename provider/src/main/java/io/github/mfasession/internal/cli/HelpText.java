package io.github.mfasession.internal.cli;

/** Text for a terminal: paragraphs and two-column lists wrapped to 80 columns at spaces. */
final class HelpText {

    static final int WIDTH = 80;
    /** Where the second column of a list starts. */
    static final int COLUMN = 22;
    private static final char NO_BREAK = '\u00a0';

    private HelpText() {
    }

    /**
     * The text wrapped at spaces; the first line starts with {@code first}, the others with {@code indent}. A
     * {@code first} that ends a line of its own (a term too long for its column) is followed by a line that starts there.
     */
    static String wrap(String first, String indent, String text) {
        StringBuilder out = new StringBuilder(first);
        int lineStart = first.lastIndexOf('\n') + 1;
        boolean lineEmpty = true;
        for (String word : text.split(" ")) {
            if (word.isEmpty()) {
                continue;
            }
            if (!lineEmpty && out.length() - lineStart + 1 + word.length() > WIDTH) {
                out.append('\n');
                lineStart = out.length();
                out.append(indent);
                lineEmpty = true;
            }
            if (!lineEmpty) {
                out.append(' ');
            }
            out.append(word);
            lineEmpty = false;
        }
        return out.append('\n').toString();
    }

    /** {@code Usage: java -jar JAR <usage>}, wrapped between options, never inside one ({@code [--profile P]}). */
    static String usage(String jar, String usage) {
        StringBuilder unbroken = new StringBuilder(usage);
        int depth = 0;
        for (int i = 0; i < unbroken.length(); i++) {
            char c = unbroken.charAt(i);
            depth += c == '[' ? 1 : c == ']' ? -1 : 0;
            if (c == ' ' && depth > 0) {
                unbroken.setCharAt(i, NO_BREAK);
            }
        }
        return wrap("Usage: java -jar " + jar + " ", "         ", unbroken.toString()).replace(NO_BREAK, ' ');
    }

    /** A paragraph wrapped to the full width; its leading spaces indent every line. */
    static String paragraph(String text) {
        int indent = 0;
        while (indent < text.length() && text.charAt(indent) == ' ') {
            indent++;
        }
        return wrap(text.substring(0, indent), text.substring(0, indent), text.substring(indent));
    }

    /** One row of a two-column list: {@code "  term   what it is"}, wrapped under the second column. */
    static String row(String term, String text) {
        String first = "  " + term;
        String indent = " ".repeat(COLUMN);
        first = first.length() < COLUMN ? first + " ".repeat(COLUMN - first.length()) : first + "\n" + indent;
        return wrap(first, indent, text);
    }
}
