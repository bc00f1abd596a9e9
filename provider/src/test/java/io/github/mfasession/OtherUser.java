package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Another local user, made for the test: as root, {@code useradd} creates it (a system user without a home)
 * unless it exists, and {@code setpriv} runs commands as it, with its own uid, gid and no other groups. Tests that
 * need one are skipped, with a message, where the machine cannot make one (not root, no useradd or setpriv).
 */
public final class OtherUser {

    private final String name;
    private final int uid;
    private final int gid;

    private OtherUser(String name, int uid, int gid) {
        this.name = name;
        this.uid = uid;
        this.gid = gid;
    }

    /** The user of that name, created if needed; the test is skipped where that is impossible. */
    public static OtherUser named(String name) {
        assumeTrue("root".equals(System.getProperty("user.name")), "only root can create another user and run commands as it");
        assumeTrue(new File("/usr/sbin/useradd").canExecute() && new File("/usr/bin/setpriv").canExecute(),
                   "useradd and setpriv are needed to act as another user");
        try {
            if (run(List.of("id", "-u", name)).exitCode != 0) {
                Output added = run(List.of("/usr/sbin/useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name));
                // Another test JVM may have created it at the same moment.
                assumeTrue(added.exitCode == 0 || run(List.of("id", "-u", name)).exitCode == 0, "useradd failed: " + added.text);
            }
            int uid = Integer.parseInt(run(List.of("id", "-u", name)).text.trim());
            int gid = Integer.parseInt(run(List.of("id", "-g", name)).text.trim());
            return new OtherUser(name, uid, gid);
        } catch (IOException e) {
            assumeTrue(false, "cannot create the user " + name + ": " + e);
            throw new IllegalStateException(e);
        }
    }

    public String name() {
        return name;
    }

    /**
     * This JVM's class path as this user can read it: jars linked (or copied) into a folder of their own, class
     * folders copied, because the originals may sit under root's home, which others cannot enter.
     */
    public static synchronized String readableClassPath() throws IOException {
        if (classPath == null) {
            Path copies = Files.createTempDirectory("mfa-other-user-classpath");
            Files.setPosixFilePermissions(copies, PosixFilePermissions.fromString("rwxr-xr-x"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(copies)));
            List<String> entries = new ArrayList<>();
            int index = 0;
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path source = Paths.get(entry);
                if (!Files.exists(source)) {
                    continue;
                }
                Path copy = copies.resolve((index++) + "-" + source.getFileName());
                if (Files.isDirectory(source)) {
                    copyTree(source, copy);
                } else {
                    try {
                        Files.createLink(copy, source);
                    } catch (IOException | UnsupportedOperationException e) {
                        Files.copy(source, copy);
                    }
                }
                entries.add(copy.toString());
            }
            classPath = String.join(File.pathSeparator, entries);
        }
        return classPath;
    }

    private static String classPath;

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(file, copy);
                    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }

    private static void deleteTree(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // Left in the temporary folder.
        }
    }

    /** A Java main class of the tests, run as this user in a new JVM. */
    public ProcessBuilder java(Class<?> mainClass, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp", readableClassPath(),
                                                       "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "-Duser.home=/tmp",
                                                       mainClass.getName()));
        command.addAll(List.of(arguments));
        return command(command.toArray(new String[0]));
    }

    /** Gives the file or folder to this user. */
    public void owns(Path file) throws IOException {
        Files.setOwner(file, file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name));
    }

    /** The command, run as this user. */
    public ProcessBuilder command(String... command) {
        List<String> asUser = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--"));
        asUser.addAll(List.of(command));
        return new ProcessBuilder(asUser).redirectErrorStream(true);
    }

    /** Runs a shell script as this user, and expects it to succeed within a minute. */
    public String sh(String script) throws IOException {
        Output output = run(command("/bin/sh", "-c", script).command());
        assertEquals(0, output.exitCode, "as " + name + ": " + script + "\n" + output.text);
        return output.text;
    }

    private static Output run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out: " + command);
            }
            return new Output(process.exitValue(), text);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static final class Output {
        final int exitCode;
        final String text;

        Output(int exitCode, String text) {
            this.exitCode = exitCode;
            this.text = text;
        }
    }

    @Override
    public String toString() {
        return "OtherUser(" + name + ", uid " + uid + ")";
    }
}
