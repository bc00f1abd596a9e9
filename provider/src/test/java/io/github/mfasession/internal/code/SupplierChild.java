package io.github.mfasession.internal.code;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaSessionProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The main class of the child JVMs the terminal tests start: it asks a supplier as a host would and writes the
 * outcome to a properties file, never to stdout, which the tests watch to prove the prompt stays off it.
 *
 * <pre>
 * console RESULT [LAST_FAILURE]   ask ConsoleCodeSupplier; RESULT gets code= or error=
 * interrupt RESULT MILLIS         ask it on another thread and interrupt that thread after MILLIS;
 *                                 RESULT gets error=, interrupted= and stty= (the settings afterwards)
 * applies RESULT                 whether ConsoleCodeSupplier applies here; RESULT gets applies=
 * choose RESULT                   the automatic choice with nothing configured; RESULT gets chosen= or error=
 * applicable RESULT               MfaSessionProvider.applicableCodeSuppliers(); RESULT gets applicable= (names, comma-separated)
 * </pre>
 */
public final class SupplierChild {

    static final String SERIAL = "arn:aws:iam::123456789012:mfa/alice";

    public static void main(String[] args) throws Exception {
        Path result = Paths.get(args[1]);
        Properties out = new Properties();
        long start = System.nanoTime();
        try {
            switch (args[0]) {
                case "console":
                    out.setProperty("code", new ConsoleCodeSupplier().code(request(args.length > 2 ? args[2] : null)));
                    break;
                case "applies":
                    out.setProperty("applies", Boolean.toString(new ConsoleCodeSupplier().appliesTo(key -> Optional.empty())));
                    break;
                case "interrupt":
                    interrupt(Long.parseLong(args[2]), out);
                    break;
                case "applicable":
                    out.setProperty("applicable", String.join(",", MfaSessionProvider.applicableCodeSuppliers()));
                    break;
                case "choose":
                    out.setProperty("chosen", CodeSuppliers.discover().choose(Optional.empty(), "dev", key -> Optional.empty()).name());
                    break;
                default:
                    throw new IllegalArgumentException(args[0]);
            }
        } catch (RuntimeException e) {
            out.setProperty("error", String.valueOf(e.getMessage()));
        }
        out.setProperty("elapsedMillis", Long.toString((System.nanoTime() - start) / 1_000_000));
        try (OutputStream file = Files.newOutputStream(result)) {
            out.store(file, null);
        }
    }

    private static MfaCodeRequest request(String lastFailure) {
        return MfaCodeRequest.builder().profile("dev").mfaSerial(SERIAL).lastFailure(lastFailure).build();
    }

    private static void interrupt(long millis, Properties out) throws Exception {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        Thread asking = new Thread(() -> {
            try {
                new ConsoleCodeSupplier().code(request(null));
            } catch (RuntimeException e) {
                failure.set(e);
            }
            interrupted.set(Thread.currentThread().isInterrupted());
        });
        asking.start();
        Thread.sleep(millis);
        long interruptedAt = System.nanoTime();
        asking.interrupt();
        asking.join(10_000);
        out.setProperty("endedAfterInterruptMillis", Long.toString((System.nanoTime() - interruptedAt) / 1_000_000));
        if (failure.get() != null) {
            out.setProperty("error", String.valueOf(failure.get().getMessage()));
        }
        out.setProperty("interrupted", String.valueOf(interrupted.get()));
        out.setProperty("stty", stty());
    }

    private static String stty() throws IOException, InterruptedException {
        Process stty = new ProcessBuilder("stty", "-a", "-F", "/dev/tty").redirectErrorStream(true).start();
        String text = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        stty.waitFor();
        return text;
    }
}
