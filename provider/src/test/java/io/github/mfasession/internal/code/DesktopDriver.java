package io.github.mfasession.internal.code;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A desktop dialog program's window on the X display (Xvfb in CI), found and typed into with xdotool as a person would.
 * xdotool cannot read a window's text, so what the window says is read where the program took it from: its command line
 * in {@code /proc} (zenity and kdialog show their {@code --text} and {@code --password} argument as the label).
 */
public final class DesktopDriver {

    private final ProcessHandle program;
    private final String window;

    private DesktopDriver(ProcessHandle program, String window) {
        this.program = program;
        this.window = window;
    }

    /** Skips the test, saying why, where there is no X display, or no xdotool or no such program. */
    public static void assumeAvailable(String programName) {
        assumeTrue(!System.getenv().getOrDefault("DISPLAY", "").isEmpty(), "needs an X display; run under xvfb-run");
        assumeTrue(onPath("xdotool").isPresent(), "needs xdotool to drive the dialog; .ci/run installs it");
        assumeTrue(onPath(programName).isPresent(), "needs " + programName + "; .ci/run installs it");
    }

    /**
     * Keeps a connection to the X server open until closed. An X server resets when its last client disconnects, and a
     * program that connects during the reset fails with "cannot open display"; on a desktop the window manager is always
     * connected, but on a bare Xvfb each dialog program and each xdotool call may be the only client.
     */
    public static AutoCloseable holdDisplay() throws IOException {
        Process holder = new ProcessBuilder("xdotool", "sleep", "86400").redirectErrorStream(true).start();
        return holder::destroyForcibly;
    }

    /** The program's path on this machine's PATH. */
    public static Optional<Path> onPath(String name) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                     .filter(folder -> !folder.isEmpty())
                     .map(folder -> Paths.get(folder, name))
                     .filter(Files::isExecutable)
                     .findFirst();
    }

    /**
     * Waits for the named program, started by {@code ancestor} or one of its descendants, to show its window.
     *
     * @param previous a window of the same program that must have closed first (the dialog asked before), or null
     */
    public static DesktopDriver await(ProcessHandle ancestor, String programName, DesktopDriver previous, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> program = ancestor.descendants()
                                                      .filter(ProcessHandle::isAlive)
                                                      .filter(p -> previous == null || p.pid() != previous.program.pid())
                                                      .filter(p -> p.info().command().map(c -> c.endsWith("/" + programName)).orElse(false))
                                                      .findFirst();
            if (program.isPresent()) {
                List<String> windows = xdotool("search", "--onlyvisible", "--pid", Long.toString(program.get().pid()));
                if (!windows.isEmpty()) {
                    return new DesktopDriver(program.get(), windows.get(windows.size() - 1));
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("No " + programName + " window appeared within " + timeout.getSeconds() + " seconds; running: "
                                 + ancestor.descendants().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).collect(Collectors.toList()));
    }

    /** The window's title as the X server has it. */
    public String title() throws Exception {
        return String.join("\n", xdotool("getwindowname", window));
    }

    /** The program's arguments, as the kernel has them. */
    public List<String> arguments() throws IOException {
        return nulSeparated(Paths.get("/proc", Long.toString(program.pid()), "cmdline"));
    }

    /** The value of the program's {@code --name=} argument. */
    public String argument(String name) throws IOException {
        return arguments().stream()
                          .filter(a -> a.startsWith(name + "="))
                          .map(a -> a.substring(name.length() + 1))
                          .findFirst()
                          .orElseThrow(() -> new AssertionError("No " + name + " argument in " + program.info()));
    }

    /** The program's environment, as the kernel has it. */
    public Map<String, String> environment() throws IOException {
        Map<String, String> environment = new TreeMap<>();
        for (String entry : nulSeparated(Paths.get("/proc", Long.toString(program.pid()), "environ"))) {
            int equals = entry.indexOf('=');
            environment.put(entry.substring(0, Math.max(0, equals)), entry.substring(equals + 1));
        }
        return environment;
    }

    public ProcessHandle process() {
        return program;
    }

    /** Focuses the window, types the text (if any) and presses Return. */
    public void enter(String text) throws Exception {
        if (!text.isEmpty()) {
            xdotool("windowfocus", "--sync", window, "type", "--delay", "40", text);
        }
        xdotool("windowfocus", "--sync", window, "key", "Return");
    }

    /** Stops every dialog program the ancestor started that is still running, so none outlives its test. */
    public static void closeAll(ProcessHandle ancestor, String... programNames) {
        ancestor.descendants()
                .filter(p -> p.info().command().map(c -> List.of(programNames).stream().anyMatch(name -> c.endsWith("/" + name))).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }

    /** Presses Escape in the window: Cancel, in every dialog program. */
    public void escape() throws Exception {
        xdotool("windowfocus", "--sync", window, "key", "Escape");
    }

    /** Waits for the program to end; false if it still runs after the timeout. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (program.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return !program.isAlive();
    }

    private static List<String> xdotool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("xdotool"));
        command.addAll(List.of(args));
        Process xdotool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(xdotool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!xdotool.waitFor(20, TimeUnit.SECONDS)) {
            xdotool.destroyForcibly();
            throw new AssertionError("xdotool " + String.join(" ", args) + " did not finish");
        }
        List<String> lines = new ArrayList<>();
        output.lines().filter(line -> !line.isBlank()).forEach(lines::add);
        // "search" exits with 1 when nothing matches; anything else is the test's fault.
        if (xdotool.exitValue() != 0 && !args[0].equals("search")) {
            throw new AssertionError("xdotool " + String.join(" ", args) + " failed: " + output);
        }
        return xdotool.exitValue() == 0 ? lines : List.of();
    }

    private static List<String> nulSeparated(Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        return new ArrayList<>(Arrays.asList(text.split("\0")));
    }
}
