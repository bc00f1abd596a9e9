package io.github.mfasession.internal.cli;

import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.files.PrivateFolder;
import io.github.mfasession.internal.files.UnusableFolder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.utils.UserHomeDirectoryUtils;

/**
 * {@code install}: copies this jar into a private folder with a {@link Launcher} beside it, and prints the
 * {@code credential_process} line to paste. The copy keeps the launcher working when the jar it ran from is
 * deleted (a {@code mvn clean}, a new download); running {@code install} again replaces both. The folder is a
 * {@link PrivateFolder}, checked as the cache folder is, since whoever can change it can change what
 * {@code credential_process} runs.
 */
final class InstallCommand extends Command {

    InstallCommand() {
        super("install", "install [--dir D] [--profile P]", "write a fast launcher for credential_process and print the line to paste",
              "dir", "profile");
    }

    @Override
    List<String> description() {
        return List.of("Copies this jar into a folder of yours (0700) and writes a launcher beside it (0700) that runs it with"
                       + " the Java running this command and flags for a fast start: a class-data-sharing archive kept in the"
                       + " same folder (made by the first run; made again when the jar or the JDK changes), the C1 compiler"
                       + " only, and the JVM's own messages on standard error. Then it prints the credential_process line to"
                       + " paste into ~/.aws/config, with absolute paths (credential_process does not expand ~).",
                       "The folder is checked as the cache folder is: it must be yours and not a link, and every folder above it"
                       + " yours or root's and closed to other users (or sticky, as /tmp), since whoever can change it can change"
                       + " what credential_process runs.",
                       "Run it again after moving the JDK or to install a new jar: it replaces the copy and the archive.");
    }

    @Override
    List<Map.Entry<String, String>> optionHelp() {
        return List.of(Map.entry("--dir D", "where to install (default: ~/.aws/mfa-session/bin)"),
                       Map.entry("--profile P", "the profile in the printed line (default: AWS_PROFILE, else default)"));
    }

    @Override
    int run(Options options, PrintStream out, PrintStream err) {
        Path jar = Main.jarPath().orElseThrow(() -> MfaSessionException.create(
            "install copies the jar it runs from, but this is not running from a jar. Run java -jar " + Main.jarName() + " install."));
        // A relative --dir means the folder it names now: the launcher and the printed line hold absolute paths.
        Path folder = options.get("dir").map(Paths::get)
                             .orElseGet(() -> Paths.get(UserHomeDirectoryUtils.userHomeDirectory(), ".aws", "mfa-session", "bin"))
                             .toAbsolutePath().normalize();
        String profile = options.get("profile").orElseGet(() -> System.getenv().getOrDefault("AWS_PROFILE", "default"));
        Path java = Paths.get(System.getProperty("java.home"), "bin", Launcher.ON_WINDOWS ? "java.exe" : "java");
        int feature = Runtime.version().feature();
        String jarName = jar.getFileName().toString();
        String launcherName = Launcher.ON_WINDOWS ? Launcher.WINDOWS_NAME : Launcher.POSIX_NAME;

        // Whoever can change this folder or one above it can change what credential_process runs: the folder is checked
        // and used as the cache folder is, and every file is written into the folder that was checked.
        try (PrivateFolder bin = PrivateFolder.open(folder, "install folder", "folder with --dir", true)) {
            removeArchives(bin);
            if (!isThisJar(bin, jarName, jar)) {
                bin.writeAtomically(jarName, Files.readAllBytes(jar));
            }
            Path installed = bin.file(jarName);
            String script = Launcher.ON_WINDOWS ? Launcher.windows(java, feature, folder, installed)
                                    : Launcher.posix(java, java.getParent().getParent(), feature, folder, installed);
            bin.writeProgramAtomically(launcherName, script.getBytes(StandardCharsets.UTF_8));
        } catch (UnusableFolder e) {
            throw MfaSessionException.create("Cannot install into " + folder + ": " + e.of(folder) + ".");
        } catch (IOException e) {
            throw MfaSessionException.create("Could not install into " + folder + " (" + e + "). Choose another folder with --dir.", e);
        }

        Path launcher = folder.resolve(launcherName);
        out.println("Installed in " + folder + ":");
        out.println("  " + launcherName + "  the launcher; it runs Java " + feature + " (" + java + ")");
        out.println("  " + jarName + "  a copy of this jar");
        out.println(feature >= 13 ? "The first run makes a class-data-sharing archive there; the runs after it start faster."
                                  : "Java " + feature + " cannot make class-data-sharing archives of an application; Java 13 or later starts"
                                    + " faster.");
        out.println();
        out.println("Paste into ~/.aws/config, as a profile of its own (not [profile " + profile + "], which holds mfa_serial):");
        out.println("[profile " + profile + "-mfa]");
        out.println("credential_process = " + Launcher.credentialProcessWord(launcher.toString(), Launcher.ON_WINDOWS) + " credential-process --profile "
                    + profile);
        return Main.OK;
    }

    /** Whether the folder's copy is the jar running this command (install run from the launcher): then it is kept as it is. */
    private static boolean isThisJar(PrivateFolder bin, String name, Path jar) throws IOException {
        // Only a private file of this user counts: a link of that name, planted or not, is replaced by a copy.
        return bin.exists(name) && bin.problem(name).isEmpty() && Files.isSameFile(jar, bin.file(name));
    }

    /** Archives of an earlier jar: the launcher would also notice, but it removes them only when it runs. */
    private static void removeArchives(PrivateFolder bin) throws IOException {
        // With what an interrupted first run may have left: mfa-session-provider-<key>.jsa.<pid>[.record].
        for (String name : bin.names()) {
            if (name.startsWith(Launcher.ARCHIVE_PREFIX) && name.contains(".jsa")) {
                bin.delete(name);
            }
        }
    }
}
