package io.github.mfasession.internal.cli;

import io.github.mfasession.MfaSessionException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.utils.UserHomeDirectoryUtils;

/**
 * {@code install}: copies this jar into a private folder with a {@link Launcher} beside it, and prints the
 * {@code credential_process} line to paste. The copy keeps the launcher working when the jar it ran from is
 * deleted (a {@code mvn clean}, a new download); running {@code install} again replaces both.
 */
final class InstallCommand extends Command {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

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
        Path folder = options.get("dir").map(Paths::get)
                             .orElseGet(() -> Paths.get(UserHomeDirectoryUtils.userHomeDirectory(), ".aws", "mfa-session", "bin"))
                             .toAbsolutePath().normalize();
        String profile = options.get("profile").orElseGet(() -> System.getenv().getOrDefault("AWS_PROFILE", "default"));
        Path java = Paths.get(System.getProperty("java.home"), "bin", Launcher.ON_WINDOWS ? "java.exe" : "java");
        int feature = Runtime.version().feature();

        try {
            privateFolder(folder);
            Path installed = folder.resolve(jar.getFileName());
            removeArchives(folder);
            if (!Files.exists(installed) || !Files.isSameFile(jar, installed)) {
                writeAtomically(folder, installed, temporary -> Files.copy(jar, temporary, StandardCopyOption.REPLACE_EXISTING), "rw-------");
            }
            Path launcher = folder.resolve(Launcher.ON_WINDOWS ? Launcher.WINDOWS_NAME : Launcher.POSIX_NAME);
            String script = Launcher.ON_WINDOWS ? Launcher.windows(java, feature, folder, installed)
                                    : Launcher.posix(java, java.getParent().getParent(), feature, folder, installed);
            writeAtomically(folder, launcher, temporary -> Files.writeString(temporary, script, StandardCharsets.UTF_8), "rwx------");

            out.println("Installed in " + folder + ":");
            out.println("  " + launcher.getFileName() + "  the launcher; it runs Java " + feature + " (" + java + ")");
            out.println("  " + installed.getFileName() + "  a copy of this jar");
            out.println(feature >= 13 ? "The first run makes a class-data-sharing archive there; the runs after it start faster."
                                      : "Java " + feature + " cannot make class-data-sharing archives of an application; Java 13 or later starts"
                                        + " faster.");
            out.println();
            out.println("Paste into ~/.aws/config, as a profile of its own (not [profile " + profile + "], which holds mfa_serial):");
            out.println("[profile " + profile + "-mfa]");
            out.println("credential_process = " + Launcher.credentialProcessWord(launcher.toString(), Launcher.ON_WINDOWS) + " credential-process --profile "
                        + profile);
            return Main.OK;
        } catch (IOException e) {
            throw MfaSessionException.create("Could not install into " + folder + " (" + e + "). Choose another folder with --dir.", e);
        }
    }

    /**
     * The folder, made private: created 0700 if missing, else made 0700 if it is a folder of ours. Refused when it is a
     * link or someone else's, since whoever can write there can change what credential_process runs.
     */
    private static void privateFolder(Path folder) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(folder, POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                                                  : new FileAttribute<?>[0]);
        }
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            throw MfaSessionException.create("Cannot install into " + folder + ": it is not a folder (or it is a symbolic link)."
                                             + " Choose another with --dir.");
        }
        if (POSIX) {
            // Whoever this process runs as owns what it creates: a probe in the folder says who that is.
            Path probe = Files.createTempFile(folder, ".owner", ".tmp");
            UserPrincipal us;
            try {
                us = Files.getOwner(probe);
            } finally {
                Files.delete(probe);
            }
            UserPrincipal owner = Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS);
            if (!owner.equals(us)) {
                throw MfaSessionException.create("Cannot install into " + folder + ": it belongs to " + owner.getName() + ", not to "
                                                 + us.getName() + ". Choose a folder of yours with --dir.");
            }
            Files.setPosixFilePermissions(folder, OWNER_ONLY);
        }
    }

    /** Archives of an earlier jar: the launcher would also notice, but it removes them only when it runs. */
    private static void removeArchives(Path folder) throws IOException {
        // With what an interrupted first run may have left: mfa-session-provider-<key>.jsa.<pid>[.record].
        try (DirectoryStream<Path> archives = Files.newDirectoryStream(folder, Launcher.ARCHIVE_PREFIX + "*.jsa*")) {
            for (Path archive : archives) {
                Files.deleteIfExists(archive);
            }
        }
    }

    private interface Writer {
        void write(Path temporary) throws IOException;
    }

    /** A whole file or none: written beside its place with its permissions, then renamed over it. */
    private static void writeAtomically(Path folder, Path target, Writer writer, String permissions) throws IOException {
        Path temporary = Files.createTempFile(folder, target.getFileName().toString(), ".tmp",
                                              POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                                                  PosixFilePermissions.fromString(permissions))} : new FileAttribute<?>[0]);
        try {
            writer.write(temporary);
            if (POSIX) {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString(permissions));
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
