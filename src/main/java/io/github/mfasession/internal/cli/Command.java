package io.github.mfasession.internal.cli;

import java.io.PrintStream;
import java.util.Set;

/** One command of the command line. */
interface Command {

    String name();

    /** The command with its options, as shown by {@code --help}. */
    String usage();

    String summary();

    /** The options it takes, without their leading dashes. */
    Set<String> options();

    /** Runs the command; an {@link io.github.mfasession.MfaSessionException} becomes a message and exit status 1. */
    int run(Options options, PrintStream out, PrintStream err);
}
