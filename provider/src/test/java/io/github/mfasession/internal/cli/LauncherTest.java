package io.github.mfasession.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** The launchers {@code install} writes, as text; the POSIX one also runs for real in {@code AllJarInstallIT}. */
class LauncherTest {

    private static final Path JAVA = Paths.get("/opt/jdk/bin/java");
    private static final Path JAVA_HOME = Paths.get("/opt/jdk");
    private static final Path FOLDER = Paths.get("/home/me/.aws/mfa-session/bin");
    private static final Path JAR = FOLDER.resolve("mfa-session-provider-0.1.0-SNAPSHOT-all.jar");
    private static final Path WINDOWS_JAVA = Paths.get("C:\\Program Files (x86)\\Java\\jdk-21\\bin\\java.exe");
    // Windows paths as Windows makes them; on other systems Path.resolve would join them with '/'.
    private static final Path WINDOWS_FOLDER = Paths.get("C:\\Users\\Me 100%\\.aws\\mfa-session\\bin");
    private static final Path WINDOWS_JAR = Paths.get("C:\\Users\\Me 100%\\.aws\\mfa-session\\bin\\mfa-session-provider-0.1.0-SNAPSHOT-all.jar");

    @Test
    void onJava25AndLaterTheFirstRunRecordsAndABackgroundJvmMakesTheAheadOfTimeCache() {
        String script = Launcher.posix(JAVA, JAVA_HOME, 25, FOLDER, JAR);

        assertTrue(script.contains("  exec \"$java\" \"-XX:AOTCache=$archive\" -XX:TieredStopAtLevel=1 -XX:+DisplayVMOutputToStderr -Xlog:disable -Xlog:all=warning:stderr"
                                   + " \"-Xlog:cds*=off:stderr\" \"-Xlog:aot*=off:stderr\" -jar \"$jar\" \"$@\"\n"), script);
        assertTrue(script.contains("\"$java\" -XX:AOTMode=record \"-XX:AOTConfiguration=$record\" -XX:+UnlockDiagnosticVMOptions"
                                   + " -XX:-DisplayVMOutput "), "the recording JVM's note stays off both streams: " + script);
        assertTrue(script.contains("(\"$java\" -XX:AOTMode=create \"-XX:AOTConfiguration=$record\" \"-XX:AOTCache=$archive.$$\""), script);
        assertTrue(script.contains(") </dev/null >/dev/null 2>&1 &\n"), "the cache is made away from the caller's output: " + script);
    }

    @Test
    void onJava19To24TheJvmMakesTheArchiveNamedForTheJarAndTheJdk() {
        String script = Launcher.posix(JAVA, JAVA_HOME, 21, FOLDER, JAR);

        assertTrue(script.startsWith("#!/bin/sh\n"), script);
        assertFalse(script.contains("aot"), "the aot log tag is new in 25: " + script);
        assertTrue(script.contains("key=$(ls -lnL -- \"$jar\" '/opt/jdk/lib/modules' | cksum)\n"), script);
        assertTrue(script.contains("exec \"$java\" -XX:+AutoCreateSharedArchive \"-XX:SharedArchiveFile=$archive\" -XX:TieredStopAtLevel=1"
                                   + " -XX:+DisplayVMOutputToStderr -Xlog:disable -Xlog:all=warning:stderr \"-Xlog:cds*=off:stderr\" -jar \"$jar\" \"$@\"\n"),
                   script);
        assertFalse(script.contains("ArchiveClassesAtExit"), script);
    }

    @Test
    void onJava13To18TheFirstRunMakesTheArchiveAndKeepsItOnlyIfItSucceeded() {
        String script = Launcher.posix(JAVA, JAVA_HOME, 17, FOLDER, JAR);

        assertTrue(script.contains("exec \"$java\" \"-XX:SharedArchiveFile=$archive\" "), script);
        assertTrue(script.contains("\"$java\" \"-XX:ArchiveClassesAtExit=$archive.$$\" "), script);
        assertTrue(script.contains("if [ \"$status\" -eq 0 ] && [ -f \"$archive.$$\" ]; then\n  mv -f \"$archive.$$\" \"$archive\"\n"), script);
        assertTrue(script.endsWith("exit \"$status\"\n"), script);
    }

    @Test
    void onJava11And12ThereIsNoArchive() {
        String script = Launcher.posix(JAVA, JAVA_HOME, 11, FOLDER, JAR);

        assertFalse(script.contains("SharedArchive") || script.contains("ArchiveClasses"), script);
        assertTrue(script.contains("exec \"$java\" -XX:TieredStopAtLevel=1 "), script);
    }

    @Test
    void posixPathsAreSingleQuotedWhateverTheyHold() {
        Path odd = Paths.get("/home/o'brien/my $HOME `x`");
        String script = Launcher.posix(JAVA, JAVA_HOME, 21, odd, odd.resolve("a.jar"));

        assertTrue(script.contains("dir='/home/o'\\''brien/my $HOME `x`'\n"), script);
        assertTrue(script.contains("jar='/home/o'\\''brien/my $HOME `x`/a.jar'\n"), script);
    }

    @Test
    void theWindowsLauncherRunsTheJarWithTheFlagsAndSaysWhenJavaIsGone() {
        String script = Launcher.windows(WINDOWS_JAVA, 21, WINDOWS_FOLDER, WINDOWS_JAR);

        assertTrue(script.startsWith("@echo off\r\n"), script);
        assertTrue(script.contains("if not exist \"C:\\Program Files (x86)\\Java\\jdk-21\\bin\\java.exe\" goto gone\r\n"), script);
        assertTrue(script.contains("\"C:\\Program Files (x86)\\Java\\jdk-21\\bin\\java.exe\" -XX:+AutoCreateSharedArchive"
                                   + " \"-XX:SharedArchiveFile=C:\\Users\\Me 100%%\\.aws\\mfa-session\\bin\\mfa-session-provider.jsa\""
                                   + " -XX:TieredStopAtLevel=1 -XX:+DisplayVMOutputToStderr -Xlog:disable -Xlog:all=warning:stderr \"-Xlog:cds*=off:stderr\""
                                   + " -jar \"C:\\Users\\Me 100%%\\.aws\\mfa-session\\bin\\mfa-session-provider-0.1.0-SNAPSHOT-all.jar\" %*\r\n"),
                   script);
        assertTrue(script.contains(":gone\r\necho mfa-session-provider: error: \"C:\\Program Files (x86)\\Java\\jdk-21\\bin\\java.exe\" is gone;"),
                   script);
        assertFalse(script.replace("\r\n", "").contains("\n"), "CRLF line ends throughout");
    }

    @Test
    void theWindowsLauncherBeforeJava19HasNoArchive() {
        String script = Launcher.windows(WINDOWS_JAVA, 17, WINDOWS_FOLDER, WINDOWS_JAR);

        assertFalse(script.contains("SharedArchive"), script);
    }

    @Test
    void aPlainPathIsWrittenAsItIsInTheCredentialProcessLine() {
        assertEquals("/home/me/.aws/mfa-session/bin/mfa-session-provider",
                     Launcher.credentialProcessWord("/home/me/.aws/mfa-session/bin/mfa-session-provider", false));
    }

    @Test
    void aPathWithSpacesIsQuotedForBotocoreAndTheShell() {
        assertEquals("'/home/my name/bin/mfa-session-provider'", Launcher.credentialProcessWord("/home/my name/bin/mfa-session-provider", false));
        assertEquals("\"C:\\Users\\My Name\\bin\\mfa-session-provider.cmd\"",
                     Launcher.credentialProcessWord("C:\\Users\\My Name\\bin\\mfa-session-provider.cmd", true));
    }
}
