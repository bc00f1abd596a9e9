package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * {@code install} and the launcher it writes, run for real: by the AWS CLI as {@code credential_process}, from a
 * home folder whose path has a space, on the JDK the build runs (17: an archive made by a first run) and on JDK 25
 * where installed (the JVM makes the archive).
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "the POSIX launcher; the Windows one is tested as text in LauncherTest")
class AllJarInstallIT {

    private static final Path AWS_CLI = Path.of("/usr/bin/aws");
    private static final Path JAVA_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    private static final Pattern CREDENTIAL_PROCESS = Pattern.compile("(?m)^credential_process = (.+)$");
    private static final String VERSION_LINE = "mfa-session-provider " + System.getProperty("projectVersion", "0.1.0-SNAPSHOT") + "\n";

    @TempDir
    Path folder;
    Path home;
    Path bin;
    StsFixture fixture;

    @BeforeEach
    void start() throws Exception {
        home = Files.createDirectories(folder.resolve("my home"));
        bin = home.resolve(".aws").resolve("mfa-session").resolve("bin");
        fixture = new StsFixture(folder);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private ChildJvm.Result install(Path java, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "-jar", ChildJvm.allJarPath().toString(), "install"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().put("HOME", home.toString());
        ChildJvm.Result result = ChildJvm.run(builder, folder);
        return result;
    }

    private static Path currentJava() {
        return Path.of(ProcessHandle.current().info().command().orElse("java"));
    }

    /** Runs the launcher as a tool would: no stdin, stdout read, the given environment. */
    private ChildJvm.Result launch(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(bin.resolve("mfa-session-provider").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().put("HOME", home.toString());
        builder.environment().putAll(environment);
        return ChildJvm.run(builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))), folder);
    }

    private List<Path> archives() throws Exception {
        try (Stream<Path> files = Files.list(bin)) {
            return files.filter(f -> f.getFileName().toString().matches("mfa-session-provider.*\\.jsa.*")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void theAwsCliRunsThePrintedCredentialProcessLineFromAHomeWithASpace() throws Exception {
        assumeTrue(Files.isExecutable(AWS_CLI), "needs the AWS CLI at /usr/bin/aws (Debian package awscli); not installed here");
        ChildJvm.Result installed = install(currentJava(), "--profile", "dev");
        assertEquals(0, installed.exitCode(), installed.stderr());
        Matcher line = CREDENTIAL_PROCESS.matcher(installed.stdout());
        assertTrue(line.find(), installed.stdout());
        assertTrue(line.group(1).startsWith("'" + bin.resolve("mfa-session-provider") + "' "), line.group(1));
        fixture.writeConfig("[profile dev-mfa]\ncredential_process = " + line.group(1) + "\n");

        ProcessBuilder aws = new ProcessBuilder(AWS_CLI.toString(), "configure", "export-credentials", "--profile", "dev-mfa", "--format", "process");
        aws.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        aws.environment().put("HOME", home.toString());
        aws.environment().putAll(fixture.childEnvironment(true));
        ChildJvm.Result credentials = ChildJvm.run(aws.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))), folder);

        assertEquals(0, credentials.exitCode(), credentials.stderr());
        assertTrue(JsonNode.parser().parse(credentials.stdout()).field("AccessKeyId").orElseThrow().text().startsWith("ASIA"), credentials.stdout());
        assertEquals(1, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void theLauncherAndTheJarCopyArePrivate() throws Exception {
        assertEquals(0, install(currentJava()).exitCode());

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(bin)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(bin.resolve("mfa-session-provider"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(bin.resolve(ChildJvm.allJarPath().getFileName()))));
        try (Stream<Path> files = Files.list(bin)) {
            assertEquals(2, files.count(), "the launcher and the jar, no temporary file");
        }
    }

    @Test
    void anOpenFolderIsMadePrivate() throws Exception {
        Files.createDirectories(bin);
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertEquals(0, install(currentJava()).exitCode());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(bin)));
    }

    @Test
    void aFolderThatIsASymbolicLinkIsRefused() throws Exception {
        Path elsewhere = Files.createDirectories(folder.resolve("elsewhere"));
        Files.createDirectories(bin.getParent());
        Files.createSymbolicLink(bin, elsewhere);

        ChildJvm.Result result = install(currentJava());

        assertEquals(1, result.exitCode());
        assertTrue(result.stderr().contains("Cannot install into " + bin + ": it is a symbolic link. Remove it, or choose another folder with --dir."), result.stderr());
        try (Stream<Path> files = Files.list(elsewhere)) {
            assertEquals(0, files.count(), "nothing written through the link");
        }
    }

    @Test
    void aFolderOfAnotherUserIsRefused() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to give a folder to another user; running as "
                                                                    + System.getProperty("user.name"));
        Path theirs = Files.createDirectories(folder.resolve("theirs"));
        UserPrincipal nobody = theirs.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(theirs, nobody);

        ChildJvm.Result result = install(currentJava(), "--dir", theirs.toString());

        assertEquals(1, result.exitCode());
        assertTrue(result.stderr().contains("Cannot install into " + theirs + ": it is owned by nobody, not by root. Remove it, or choose another folder with --dir."), result.stderr());
    }

    @Test
    void onJava17TheFirstRunMakesTheArchiveAndTheNextRunsMapIt() throws Exception {
        assertEquals(0, install(currentJava()).exitCode());

        ChildJvm.Result first = launch(Map.of(), "--version");
        assertEquals(VERSION_LINE, first.stdout());
        assertEquals("", first.stderr(), "nothing from the JVM on stderr while it makes the archive");
        assertEquals(1, archives().size(), archives()::toString);
        assertTrue(archives().get(0).getFileName().toString().matches("mfa-session-provider-\\d+\\.jsa"), archives()::toString);

        assertTrue(archiveIsValid(), "the next runs can map it");
        ChildJvm.Result second = launch(Map.of(), "--version");
        assertEquals(VERSION_LINE, second.stdout());
        assertEquals("", second.stderr());
    }

    /** Whether the JVM the launcher starts finds its archive valid for its jar and JDK: the JVM's own check. */
    private boolean archiveIsValid() throws Exception {
        ChildJvm.Result check = launch(Map.of("JAVA_TOOL_OPTIONS", "-XX:+PrintSharedArchiveAndExit"), "--version");
        return (check.stdout() + check.stderr()).contains("archive is valid");
    }

    @Test
    void aFailedFirstRunKeepsNoArchive() throws Exception {
        assertEquals(0, install(currentJava()).exitCode());

        ChildJvm.Result failed = launch(Map.of(), "credential-process", "--profile", "nobody");

        assertEquals(1, failed.exitCode());
        assertTrue(failed.stderr().startsWith("mfa-session-provider: error: "), failed.stderr());
        assertEquals(List.of(), archives());
    }

    @Test
    void aChangedJarGetsANewArchiveAndTheOldOneIsRemoved() throws Exception {
        assertEquals(0, install(currentJava()).exitCode());
        assertEquals(0, launch(Map.of(), "--version").exitCode());
        List<Path> before = archives();

        Files.setLastModifiedTime(bin.resolve(ChildJvm.allJarPath().getFileName()), FileTime.from(Instant.now().plusSeconds(60)));
        ChildJvm.Result after = launch(Map.of(), "--version");

        assertEquals(VERSION_LINE, after.stdout());
        assertEquals("", after.stderr());
        assertEquals(1, archives().size(), archives()::toString);
        assertNotEquals(before, archives());
        assertTrue(archiveIsValid());
    }

    @Test
    void installingAgainRemovesTheArchivesOfTheJarItReplaces() throws Exception {
        assertEquals(0, install(currentJava()).exitCode());
        assertEquals(0, launch(Map.of(), "--version").exitCode());
        assertEquals(1, archives().size());

        assertEquals(0, install(currentJava()).exitCode());

        assertEquals(List.of(), archives());
    }

    @Test
    void onJava25TheFirstRunRecordsAndTheCacheIsMadeInTheBackground() throws Exception {
        assumeTrue(Files.isExecutable(JAVA_25), "needs a JDK 19 or later at " + JAVA_25 + " to try AutoCreateSharedArchive; not installed here");
        ChildJvm.Result installed = install(JAVA_25);
        assertEquals(0, installed.exitCode(), installed.stderr());
        assertTrue(installed.stdout().contains("it runs Java 25"), installed.stdout());

        ChildJvm.Result first = launch(Map.of(), "--version");
        assertEquals(VERSION_LINE, first.stdout());
        assertEquals("", first.stderr());
        for (int i = 0; i < 300 && !(archives().size() == 1 && archives().get(0).toString().endsWith(".jsa")); i++) {
            Thread.sleep(100);
        }
        assertEquals(1, archives().size(), "the cache alone, no record or temporary file left: " + archives());
        assertTrue(archiveIsValid());

        ChildJvm.Result second = launch(Map.of(), "--version");
        assertEquals(VERSION_LINE, second.stdout());
        assertEquals("", second.stderr());
        assertTrue(Files.readString(bin.resolve("mfa-session-provider")).contains("-XX:AOTCache="));
    }

    @Test
    void aLauncherWhoseJarIsGoneSaysToInstallAgain() throws Exception {
        assertEquals(0, install(currentJava()).exitCode());
        Files.delete(bin.resolve(ChildJvm.allJarPath().getFileName()));

        ChildJvm.Result result = launch(Map.of(), "--version");

        assertEquals(1, result.exitCode());
        assertEquals("", result.stdout());
        assertTrue(result.stderr().contains("is gone; run the install command again."), result.stderr());
        assertFalse(result.stderr().contains("not found"), result.stderr());
    }
}
