package io.github.mfasession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts a test main class in a new JVM with this test run's class path, the way a second tool or process would run. */
final class ChildJvm {

    private ChildJvm() {
    }

    static ProcessBuilder builder(Class<?> mainClass, Map<String, String> environment, String... args) {
        return builder(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()), environment, args);
    }

    /** The all-jar the build made, run as {@code java -jar}; only in the tests that run after packaging (*IT). */
    static ProcessBuilder allJar(Map<String, String> environment, String... args) {
        return builder(List.of("-jar", allJarPath().toString()), environment, args);
    }

    /** Where the build put the all-jar: the failsafe tests get its path in the system property {@code allJar}. */
    static Path allJarPath() {
        String path = System.getProperty("allJar");
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new AssertionError("No all-jar at '" + path + "': run the *IT tests with mvn verify, after the package phase.");
        }
        return Path.of(path);
    }

    /** A JVM started with {@code what} ({@code -cp PATH MAIN} or {@code -jar JAR}) and the arguments. */
    static ProcessBuilder builder(List<String> what, Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(what);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().putAll(environment);
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return builder;
    }

    /** Runs to the end (at most a minute) and returns the exit status with standard output and error. */
    static Result run(ProcessBuilder builder, Path folder) throws IOException, InterruptedException {
        Path out = Files.createTempFile(folder, "stdout", ".txt");
        Path err = Files.createTempFile(folder, "stderr", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child JVM did not finish within a minute: " + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    record Result(int exitCode, String stdout, String stderr) {
    }
}
