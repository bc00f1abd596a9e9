package io.github.mfasession;

import java.util.ServiceLoader;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * A host application that uses the all-jar as a library, run by {@link AllJarLoggingIT} on a class path of its
 * choosing. Prints on stdout the SLF4J providers it can find and the logger factory SLF4J chose, then asks the
 * provider for a session of the profile named by the argument (stderr gets whatever the host's logging prints).
 */
public final class LoggingHostMain {

    private LoggingHostMain() {
    }

    public static void main(String[] args) {
        for (SLF4JServiceProvider provider : ServiceLoader.load(SLF4JServiceProvider.class)) {
            System.out.println("provider " + provider.getClass().getName());
        }
        System.out.println("factory " + LoggerFactory.getILoggerFactory().getClass().getName());
        try (MfaSessionProvider provider = MfaSessionProvider.create(args[0])) {
            System.out.println("session " + provider.resolveCredentials().accessKeyId());
        } catch (MfaSessionException e) {
            System.out.println("failed");
        }
    }
}
