package io.github.mfasession.internal.logging;

import java.lang.reflect.InvocationTargetException;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider the command line selects by name (never registered for ServiceLoader, so a host never gets
 * it): its loggers are {@link DeferredLogger}s, which start SLF4J's provider for {@code java.util.logging}, and with
 * it {@code java.util.logging}, only when they have a line to write.
 */
public final class DeferredProvider implements SLF4JServiceProvider {

    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new BasicMDCAdapter();
    private final ILoggerFactory loggers = DeferredLogger::new;
    private ILoggerFactory writers;

    /** Called by SLF4J, by name. */
    public DeferredProvider() {
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // Nothing to start until a line is written.
    }

    /** The logger that writes a {@link DeferredLogger}'s lines: SLF4J's provider for java.util.logging, started once. */
    static Logger writer(String name) {
        return Holder.WRITERS.getLogger(name);
    }

    /** Started by the first line written, and only then. */
    private static final class Holder {

        static final ILoggerFactory WRITERS = start();

        private static ILoggerFactory start() {
            try {
                SLF4JServiceProvider provider = (SLF4JServiceProvider) Class.forName(CommandLogging.JUL_PROVIDER)
                    .getDeclaredConstructor().newInstance();
                provider.initialize();
                return provider.getLoggerFactory();
            } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException
                     | InvocationTargetException e) {
                // CommandLogging selects this provider only when that one is in the jar.
                throw new IllegalStateException("SLF4J's provider for java.util.logging is not in the jar", e);
            }
        }
    }
}
