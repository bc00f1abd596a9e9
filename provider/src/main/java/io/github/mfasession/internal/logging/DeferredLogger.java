package io.github.mfasession.internal.logging;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;

/**
 * A logger of the command line: it answers whether a level is written from {@link CommandLogging}'s rules, and
 * hands each line it writes to SLF4J's provider for {@code java.util.logging}, which it starts at the first.
 */
final class DeferredLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    private transient volatile Logger writer;

    DeferredLogger(String name) {
        this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
        return CommandLogging.writes(name, Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return CommandLogging.writes(name, Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return CommandLogging.writes(name, Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return CommandLogging.writes(name, Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return CommandLogging.writes(name, Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
                                               Throwable throwable) {
        // The arguments come without the throwable; SLF4J takes a last argument that is one as the throwable.
        Object[] all = arguments == null ? new Object[0] : arguments;
        if (throwable != null) {
            all = Arrays.copyOf(all, all.length + 1);
            all[all.length - 1] = throwable;
        }
        Logger to = writer();
        switch (level) {
            case ERROR:
                to.error(marker, messagePattern, all);
                break;
            case WARN:
                to.warn(marker, messagePattern, all);
                break;
            case INFO:
                to.info(marker, messagePattern, all);
                break;
            case DEBUG:
                to.debug(marker, messagePattern, all);
                break;
            default:
                to.trace(marker, messagePattern, all);
                break;
        }
    }

    private Logger writer() {
        Logger to = writer;
        if (to == null) {
            to = DeferredProvider.writer(name);
            writer = to;
        }
        return to;
    }
}
