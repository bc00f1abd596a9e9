package io.github.mfasession.internal.code;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/** Starts {@link SupplierChild} in a JVM of its own, as a host process would run the library. */
final class ChildJvm {

    private ChildJvm() {
    }

    /** The java command line running {@link SupplierChild} with the arguments, on this JVM's classpath, headless. */
    static List<String> command(String... args) {
        return command(List.of("-Djava.awt.headless=true"), args);
    }

    /** As {@link #command(String...)}, with these JVM options instead of headless. */
    static List<String> command(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SupplierChild.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** The same command line as one shell word list, for {@code script -c} and {@code sh -c}. */
    static String shellCommand(String... args) {
        return command(args).stream().map(ChildJvm::quote).collect(Collectors.joining(" "));
    }

    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    static Properties result(Path file) throws IOException {
        Properties result = new Properties();
        try (var in = Files.newInputStream(file)) {
            result.load(in);
        }
        return result;
    }
}
