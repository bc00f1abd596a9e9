package io.github.mfasession.internal.logging;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The command line's log lines: our warnings and errors on standard error, one short line each
 * ({@code mfa-session-provider: warning: ...}), and with {@code --verbose} our info and debug lines too; never
 * on standard output, which carries the credentials.
 *
 * <p>Why this way: as a library the jar leaves logging to its host, so the all-jar carries SLF4J's provider for
 * {@code java.util.logging} relocated and without its ServiceLoader registration. Only the command line selects
 * it, by name, through SLF4J 2's {@code slf4j.provider} property, before any logger is made. The AWS SDK's
 * loggers stay at WARN even with {@code --verbose}: its request signer logs, at DEBUG, a hash of the request
 * from which the 6-digit code of a GetSessionToken request can be recovered.
 */
public final class CommandLogging {

    /** What every line the command line writes to standard error starts with. */
    public static final String PREFIX = "mfa-session-provider: ";

    /** The provider's class; in the all-jar the build rewrites this name to the relocated class. */
    private static final String PROVIDER = "org.slf4j.jul.JULServiceProvider";
    private static final String OUR_LOGGERS = "io.github.mfasession";
    /** Quiet even with --verbose: the SDK (see above) and JLine, which logs under our name once relocated. */
    private static final String[] OTHERS_LOGGERS = {"software.amazon.awssdk", "org.jline"};

    /** java.util.logging keeps loggers only while they are referenced: these keep the levels set here. */
    private static final Logger[] CONFIGURED = new Logger[2 + OTHERS_LOGGERS.length];

    private CommandLogging() {
    }

    /**
     * Sends log lines to standard error. Without the provider on the class path (the tests' class path, which has
     * its own), SLF4J is left to find one as usual.
     */
    public static synchronized void toStandardError(boolean verbose) {
        // SLF4J's own notes (such as which provider it loaded) are not for the user.
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        try {
            // From the all-jar's class-data-sharing archive, when the launcher made one: cheaper than a resource lookup.
            Class.forName(PROVIDER, false, CommandLogging.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return;
        }
        System.setProperty("slf4j.provider", PROVIDER);
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        root.addHandler(new OneLinePerRecord());
        Logger ours = Logger.getLogger(OUR_LOGGERS);
        ours.setLevel(verbose ? Level.FINE : Level.WARNING);
        CONFIGURED[0] = root;
        CONFIGURED[1] = ours;
        for (int i = 0; i < OTHERS_LOGGERS.length; i++) {
            CONFIGURED[2 + i] = Logger.getLogger(OTHERS_LOGGERS[i]);
            CONFIGURED[2 + i].setLevel(Level.WARNING);
        }
    }

    /** {@code mfa-session-provider: warning: <message>}, written to standard error at once. */
    private static final class OneLinePerRecord extends Handler {

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            // The provider hands over the message already formatted, with no parameters left.
            StringBuilder line = new StringBuilder(PREFIX).append(levelName(record.getLevel())).append(": ").append(record.getMessage());
            if (record.getThrown() != null) {
                line.append(" (").append(record.getThrown()).append(')');
            }
            System.err.println(line);
            System.err.flush();
        }

        private static String levelName(Level level) {
            if (level.intValue() >= Level.SEVERE.intValue()) {
                return "error";
            } else if (level.intValue() >= Level.WARNING.intValue()) {
                return "warning";
            } else if (level.intValue() >= Level.INFO.intValue()) {
                return "info";
            }
            return "debug";
        }

        @Override
        public void flush() {
            System.err.flush();
        }

        @Override
        public void close() {
            // Standard error stays open for the rest of the command.
        }
    }
}
