package io.github.mfasession.internal.code;

import java.awt.GraphicsEnvironment;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What this machine offers a person at a desktop, decided in one place: a display, the desktop's own dialog program,
 * and whether a Swing dialog can be shown safely in this JVM (which puts {@code desktop} before or after {@code dialog}
 * in the automatic choice).
 */
final class Desktop {

    /** The operating systems by the dialog program they have. */
    enum Os {
        /** Linux and the other Unix-like systems, with an X11 or Wayland desktop: zenity or kdialog. */
        UNIX,
        /** macOS: osascript. */
        MACOS,
        /** Windows: Windows PowerShell. */
        WINDOWS;

        static Os current() {
            String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            return name.startsWith("windows") ? WINDOWS : name.startsWith("mac") ? MACOS : UNIX;
        }
    }

    /**
     * The name AWT gives the macOS main thread when it attaches it to the JVM to run AppKit (OpenJDK,
     * {@code java.desktop/macosx/native/libosxapp/ThreadUtilities.m}). It exists only where AWT owns AppKit's run loop.
     */
    static final String APPKIT_THREAD = "AppKit Thread";

    private static volatile boolean commandLine;

    private Desktop() {
    }

    /**
     * Marks this JVM as the command line: a short-lived process, where starting AWT would cost hundreds of milliseconds
     * and the desktop's own dialog program asks just as well.
     */
    static void avoidSwing() {
        commandLine = true;
    }

    /**
     * Whether a Swing dialog can be shown safely in this JVM: not in the command line, not in a headless JVM, and on macOS
     * only where AWT already runs on AppKit's main thread (a Swing host such as IntelliJ IDEA). Elsewhere on macOS the host
     * is SWT (Eclipse, DBeaver: it owns the main thread, and a Swing dialog there can hang) or has not started AWT at all.
     */
    static boolean swingIsSafe() {
        if (commandLine) {
            return false;
        }
        boolean headless = GraphicsEnvironment.isHeadless();
        Os os = Os.current();
        return swingIsSafe(os, headless, os == Os.MACOS && !headless && appKitThreadRunning());
    }

    static boolean swingIsSafe(Os os, boolean headless, boolean awtOnAppKitThread) {
        return !headless && (os != Os.MACOS || awtOnAppKitThread);
    }

    private static boolean appKitThreadRunning() {
        try {
            ThreadGroup root = Thread.currentThread().getThreadGroup();
            while (root.getParent() != null) {
                root = root.getParent();
            }
            Thread[] threads = new Thread[root.activeCount() + 16];
            int count = root.enumerate(threads, true);
            return Arrays.stream(threads, 0, count).anyMatch(thread -> APPKIT_THREAD.equals(thread.getName()));
        } catch (SecurityException e) {
            // Not allowed to look: the desktop's program is the safe choice.
            return false;
        }
    }

    /**
     * The dialog program to ask with here: osascript on macOS, Windows PowerShell on Windows, and on the other systems,
     * with a display, kdialog or zenity, the desktop's own first (KDE's kdialog in a KDE session, else GNOME's zenity), the
     * other when only it is installed. Empty when there is none; {@link #whyNone} says why.
     *
     * @param environment the environment variables to decide by ({@code DISPLAY}, {@code PATH}, ...)
     */
    static Optional<DesktopProgram> program(Os os, Map<String, String> environment) {
        switch (os) {
            case MACOS:
                return executable(Paths.get(Osascript.PATH)) ? Optional.of(new Osascript()) : Optional.empty();
            case WINDOWS:
                Path powerShell = windowsPowerShell(environment);
                return executable(powerShell) ? Optional.of(new WindowsPowerShell(powerShell.toString())) : Optional.empty();
            default:
                if (!hasDisplay(environment)) {
                    return Optional.empty();
                }
                for (String name : unixPrograms(environment)) {
                    Optional<Path> found = onPath(name, environment);
                    if (found.isPresent()) {
                        String path = found.get().toString();
                        return Optional.of(name.equals("kdialog") ? new Kdialog(path) : new Zenity(path));
                    }
                }
                return Optional.empty();
        }
    }

    /** Why {@link #program} found none, as a phrase that completes "Cannot ask ... with the desktop's dialog: ". */
    static String whyNone(Os os, Map<String, String> environment) {
        switch (os) {
            case MACOS:
                return Osascript.PATH + " was not found";
            case WINDOWS:
                return "Windows PowerShell was not found at " + windowsPowerShell(environment);
            default:
                return hasDisplay(environment)
                       ? "neither zenity nor kdialog was found on PATH; install one (for example 'apt-get install zenity')"
                       : "there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)";
        }
    }

    private static boolean hasDisplay(Map<String, String> environment) {
        return !environment.getOrDefault("DISPLAY", "").isEmpty() || !environment.getOrDefault("WAYLAND_DISPLAY", "").isEmpty();
    }

    /** KDE's own first in a KDE session (as {@code XDG_CURRENT_DESKTOP} or {@code KDE_FULL_SESSION} say), else GNOME's. */
    static List<String> unixPrograms(Map<String, String> environment) {
        boolean kde = Arrays.stream(environment.getOrDefault("XDG_CURRENT_DESKTOP", "").split(":")).anyMatch("KDE"::equalsIgnoreCase)
                      || "true".equalsIgnoreCase(environment.get("KDE_FULL_SESSION"));
        return kde ? List.of("kdialog", "zenity") : List.of("zenity", "kdialog");
    }

    /** The program in the first absolute folder of PATH that has it; relative entries (the current folder) are skipped. */
    private static Optional<Path> onPath(String name, Map<String, String> environment) {
        for (String folder : environment.getOrDefault("PATH", "").split(":")) {
            try {
                Path candidate = Paths.get(folder).resolve(name);
                if (candidate.isAbsolute() && executable(candidate)) {
                    return Optional.of(candidate);
                }
            } catch (InvalidPathException e) {
                // Not a folder name on this system: passed over, as a shell would.
            }
        }
        return Optional.empty();
    }

    /** Windows PowerShell where Windows keeps it; found by SystemRoot, not PATH, which a user or a tool may reorder. */
    private static Path windowsPowerShell(Map<String, String> environment) {
        String systemRoot = environment.getOrDefault("SystemRoot", "C:\\Windows");
        return Paths.get(systemRoot, "System32", "WindowsPowerShell", "v1.0", "powershell.exe");
    }

    private static boolean executable(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }
}
