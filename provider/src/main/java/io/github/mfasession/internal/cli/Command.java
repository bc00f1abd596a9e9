package io.github.mfasession.internal.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One command of the command line: its name, how it is used, and what it does. */
abstract class Command {

    /** {@code --profile}, as every command that takes it explains it. */
    static final Map.Entry<String, String> PROFILE_HELP = Map.entry("--profile P", "the profile (default: AWS_PROFILE, else default)");

    private final String name;
    private final String usage;
    private final String summary;
    private final Set<String> options;

    /**
     * @param usage   the command with its options, as shown by {@code --help}
     * @param summary what it does, in a few words, for the list of commands
     * @param options the options it takes, without their leading dashes
     */
    Command(String name, String usage, String summary, String... options) {
        this.name = name;
        this.usage = usage;
        this.summary = summary;
        this.options = Set.of(options);
    }

    final String name() {
        return name;
    }

    final String usage() {
        return usage;
    }

    final String summary() {
        return summary;
    }

    final Set<String> options() {
        return options;
    }

    /** The flags it takes (options without a value), without their leading dashes. */
    Set<String> flags() {
        return Set.of();
    }

    /** Whether the command takes words that are not options (such as {@code emulator code}). */
    boolean takesArguments() {
        return false;
    }

    /** What the command does, as paragraphs for {@code --help}; wrapped to 80 columns when shown. */
    List<String> description() {
        return List.of(summary.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + summary.substring(1) + ".");
    }

    /**
     * The options for {@code --help}: each option as written ({@code --profile P}) and what it does. By default the
     * options that several commands share, as the command declared them.
     */
    List<Map.Entry<String, String>> optionHelp() {
        List<Map.Entry<String, String>> shared = new ArrayList<>();
        if (options.contains("profile")) {
            shared.add(PROFILE_HELP);
        }
        return shared;
    }

    /** The whole {@code --help} of the command, every line at most 80 columns. */
    final String help(String jar) {
        StringBuilder text = new StringBuilder(HelpText.usage(jar, usage)).append('\n');
        for (String paragraph : description()) {
            text.append(HelpText.paragraph(paragraph)).append('\n');
        }
        text.append("Options:\n");
        for (Map.Entry<String, String> option : optionHelp()) {
            text.append(HelpText.row(option.getKey(), option.getValue()));
        }
        text.append(HelpText.row("-v, --verbose", "more detail on standard error (never a secret)"))
            .append(HelpText.row("-h, --help", "this help"));
        return text.toString();
    }

    /** Runs the command; an {@link io.github.mfasession.MfaSessionException} becomes a message and exit status 1. */
    abstract int run(Options options, PrintStream out, PrintStream err);
}
