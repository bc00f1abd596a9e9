package io.github.mfasession.internal.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** A {@link LockingChild} in its own JVM, on this JVM's java and class path; tests bound their waits with {@code @Timeout}. */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final BufferedReader stdout;
    private final Path stderr;

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.stderr = stderr;
    }

    static ChildJvm start(Path workFolder, String... arguments) throws IOException {
        String java = ProcessHandle.current().info().command()
                                   .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(
            java, "-cp", System.getProperty("java.class.path"),
            // A quick start matters more than speed here: eight of these share two cores.
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-XX:-UsePerfData",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            LockingChild.class.getName()));
        command.addAll(List.of(arguments));
        Path stderr = Files.createTempFile(workFolder, "child-", ".err");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        return new ChildJvm(process, stderr);
    }

    /** The child's next line on stdout; its stderr is shown if it ends instead. */
    String nextLine() {
        try {
            String line = stdout.readLine();
            if (line == null) {
                throw new AssertionError("child " + process.pid() + " ended without the expected line; its stderr:\n"
                                         + Files.readString(stderr));
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void expectLine(String expected) {
        assertEquals(expected, nextLine());
    }

    /** Kills the child the way a crash would: no shutdown hooks, no chance to release anything. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for child " + process.pid() + " to end", e);
        }
    }

    @Override
    public void close() {
        kill();
    }
}
