package io.github.mfasession.internal.cli;

import java.io.PrintStream;
import java.util.Set;

/** One command of the command line: its name, how it is used, and what it does. */
abstract class Command {

    private final String name;
    private final String usage;
    private final String summary;
    private final Set<String> options;

    /**
     * @param usage   the command with its options, as shown by {@code --help}
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

    /** Runs the command; an {@link io.github.mfasession.MfaSessionException} becomes a message and exit status 1. */
    abstract int run(Options options, PrintStream out, PrintStream err);
}
