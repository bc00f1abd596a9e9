package io.github.mfasession;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code java -jar <all-jar> emulator ...} running in the background, with the profiles it printed. */
final class EmulatorProcess implements AutoCloseable {

    private static final Pattern ENDPOINT = Pattern.compile("STS emulator at (\\S+), account (\\d{12})\\.");

    final Process process;
    final String printed;
    final URI endpoint;
    final String accountId;
    private final Path stderr;

    private EmulatorProcess(Process process, String printed, Path stderr) {
        this.process = process;
        this.printed = printed;
        this.stderr = stderr;
        Matcher first = ENDPOINT.matcher(printed);
        if (!first.find()) {
            throw new AssertionError("The emulator printed no endpoint: " + printed);
        }
        this.endpoint = URI.create(first.group(1));
        this.accountId = first.group(2);
    }

    /** Starts the emulator with HOME (where its seed is) and the options, and waits until it serves. */
    static EmulatorProcess start(Path home, String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("emulator"));
        args.addAll(List.of(options));
        Path stderr = Files.createTempFile(home.getParent(), "emulator", ".err");
        Process process = ChildJvm.allJar(Map.of("HOME", home.toString()), args.toArray(String[]::new))
                                  .redirectError(stderr.toFile())
                                  .start();
        StringBuilder printed = new StringBuilder();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            printed.append(line).append('\n');
            if (line.equals("Serving until Ctrl-C.")) {
                return new EmulatorProcess(process, printed.toString(), stderr);
            }
        }
        process.waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("The emulator ended before serving (exit " + process.exitValue() + "): " + printed + Files.readString(stderr));
    }

    /** The lines between one heading comment and the next. */
    private String section(String heading, String next) {
        int start = printed.indexOf(heading);
        int end = printed.indexOf(next, start);
        return printed.substring(printed.indexOf('\n', start) + 1, end);
    }

    Path writeCredentials(Path file) throws IOException {
        return Files.writeString(file, section("# ~/.aws/credentials", "# ~/.aws/config"));
    }

    Path writeConfig(Path file) throws IOException {
        return Files.writeString(file, section("# ~/.aws/config", "# For tools given credentials by environment"));
    }

    String serial(String user) {
        return "arn:aws:iam::" + accountId + ":mfa/" + user;
    }

    /** Ctrl-C, as a person stops it: SIGINT, then the exit status. */
    int interrupt() throws Exception {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("The emulator did not stop on SIGINT");
        }
        return process.exitValue();
    }

    String stderr() throws IOException {
        return Files.readString(stderr);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
