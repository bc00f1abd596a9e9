package io.github.mfasession.internal.logging;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;
import org.slf4j.event.Level;

/**
 * The command line's log lines: our warnings and errors on standard error, one short line each
 * ({@code mfa-session-provider: warning: ...}), and with {@code --verbose} our info and debug lines too; never
 * on standard output, which carries the credentials.
 *
 * <p>Why this way: as a library the jar leaves logging to its host, so the all-jar carries SLF4J's provider for
 * {@code java.util.logging} relocated and without its ServiceLoader registration. Only the command line selects
 * it, through SLF4J 2's {@code slf4j.provider} property, before any logger is made. The AWS SDK's loggers stay at
 * WARN even with {@code --verbose}: its request signer logs, at DEBUG, a hash of the request from which the 6-digit
 * code of a GetSessionToken request can be recovered.
 *
 * <p>Nothing is started until a line is written: starting {@code java.util.logging} and making its loggers cost
 * about a tenth of a {@code credential-process} answered from the cache, which usually writes no line at all. So
 * the command selects {@link DeferredProvider}, whose loggers answer level checks from the rules below and hand a
 * line to SLF4J's provider for {@code java.util.logging} only when there is one to write; and
 * {@code java.util.logging} takes its configuration from {@link Configuration} whenever it starts, whoever starts
 * it (JLine uses it directly).
 */
public final class CommandLogging {

    /** What every line the command line writes to standard error starts with. */
    public static final String PREFIX = "mfa-session-provider: ";

    /** The provider's class; in the all-jar the build rewrites this name to the relocated class. */
    static final String JUL_PROVIDER = "org.slf4j.jul.JULServiceProvider";
    private static final String OUR_LOGGERS = "io.github.mfasession";
    /** Quiet even with --verbose: the SDK (see above) and JLine, which logs under our name once relocated. */
    private static final String[] OTHERS_LOGGERS = {"software.amazon.awssdk", "org.jline"};

    private static volatile boolean verbose;

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
            Class.forName(JUL_PROVIDER, false, CommandLogging.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return;
        }
        CommandLogging.verbose = verbose;
        System.setProperty("java.util.logging.config.class", Configuration.class.getName());
        System.setProperty("slf4j.provider", DeferredProvider.class.getName());
    }

    /**
     * Whether a logger of this name writes lines of this level: warnings and errors always; with {@code --verbose},
     * also our info and debug lines (never trace); as {@link Configuration} sets {@code java.util.logging}'s levels.
     */
    static boolean writes(String loggerName, Level level) {
        if (level == Level.ERROR || level == Level.WARN) {
            return true;
        }
        return verbose && (level == Level.INFO || level == Level.DEBUG) && under(loggerName, OUR_LOGGERS) && !isOthers(loggerName);
    }

    private static boolean isOthers(String loggerName) {
        for (String others : OTHERS_LOGGERS) {
            if (under(loggerName, others)) {
                return true;
            }
        }
        return false;
    }

    private static boolean under(String loggerName, String parent) {
        return loggerName.equals(parent) || loggerName.startsWith(parent + ".");
    }

    /**
     * {@code java.util.logging}'s configuration for the command line, read when it starts (named by the
     * {@code java.util.logging.config.class} property): lines through {@link OneLinePerRecord}, warnings and
     * errors, and with {@code --verbose} our debug lines (FINE, which SLF4J's debug maps to) too.
     */
    public static final class Configuration {

        /** Called by {@code java.util.logging} as it starts, by name. */
        public Configuration() throws IOException {
            StringBuilder properties = new StringBuilder()
                .append("handlers=").append(OneLinePerRecord.class.getName()).append('\n')
                .append(".level=WARNING\n")
                .append(OUR_LOGGERS).append(".level=").append(verbose ? "FINE" : "WARNING").append('\n');
            for (String others : OTHERS_LOGGERS) {
                properties.append(others).append(".level=WARNING\n");
            }
            LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(properties.toString().getBytes(StandardCharsets.ISO_8859_1)));
        }
    }
}
