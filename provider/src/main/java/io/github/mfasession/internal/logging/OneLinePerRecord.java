package io.github.mfasession.internal.logging;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * {@code mfa-session-provider: warning: <message>}, written to standard error at once. Public, with a public
 * constructor, because {@code java.util.logging} makes its handlers by name from its configuration.
 */
public final class OneLinePerRecord extends Handler {

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        // The provider hands over the message already formatted, with no parameters left.
        StringBuilder line = new StringBuilder(CommandLogging.PREFIX).append(levelName(record.getLevel())).append(": ")
            .append(record.getMessage());
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
