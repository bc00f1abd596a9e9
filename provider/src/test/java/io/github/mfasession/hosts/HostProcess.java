package io.github.mfasession.hosts;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs a host as a process of its own, as a user runs their tools: its own environment, no input, bounded in time. */
final class HostProcess {

    private static final long LIMIT_SECONDS = 60;

    private HostProcess() {
    }

    /** {@code java} on this test run's class path, running {@code mainClass} with these system properties. */
    static List<String> java(Class<?> mainClass, Map<String, String> systemProperties, String... args) {
        List<String> command = javaCommand();
        systemProperties.forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** The JVM of this test run with its class path, started quickly: a host's first connection waits for it. */
    static List<String> javaCommand() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        return command;
    }

    /**
     * Runs {@code command} to its end, at most a minute, with this process's environment less its AWS settings,
     * plus {@code environment}.
     */
    static Result run(List<String> command, Map<String, String> environment, Path folder) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().putAll(environment);
        Path out = Files.createTempFile(folder, "stdout", ".txt");
        Path err = Files.createTempFile(folder, "stderr", ".txt");
        Process process = builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                                 .redirectOutput(out.toFile())
                                 .redirectError(err.toFile())
                                 .start();
        if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command.get(0) + " did not finish within a minute: " + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** The first executable of that name on the PATH. */
    static Optional<Path> onPath(String program) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.of(path.split(File.pathSeparator))
                     .filter(folder -> !folder.isEmpty())
                     .map(folder -> Path.of(folder, program))
                     .filter(Files::isExecutable)
                     .findFirst();
    }

    record Result(int exitCode, String stdout, String stderr) {
    }
}
