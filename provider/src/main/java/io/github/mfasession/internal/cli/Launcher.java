package io.github.mfasession.internal.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The launcher {@code install} writes: a small script that runs the jar with a given Java and the flags for a fast
 * start, so that {@code credential_process} (which a tool may run before each of its commands) starts about twice as
 * fast as a bare {@code java -jar}.
 *
 * <p>The flags: a class-data-sharing archive of the classes one run loaded, mapped by the next runs (Java 13 to 18
 * make it with {@code -XX:ArchiveClassesAtExit} and use it with {@code -XX:SharedArchiveFile}; Java 19 to 24 with
 * {@code -XX:+AutoCreateSharedArchive}; Java 25 and later keep an ahead-of-time cache instead, with the classes
 * loaded and linked as well (JEP 483; 25 is the first to log under the {@code aot} tag silenced here): the first run records with {@code -XX:AOTMode=record}, and a JVM in the
 * background makes the cache with {@code -XX:AOTMode=create}, so that no caller waits for it); {@code -XX:TieredStopAtLevel=1}, the quick C1 compiler only, enough
 * for a process this short; and {@code -Xlog:disable -Xlog:all=warning:stderr}, so that the JVM's own messages go
 * to standard error, never into the credentials on standard output (those about class-data sharing, which concern
 * only speed, not at all). An archive is valid only for the jar and the JDK
 * that made it: the POSIX script names it after the size and time of both (a checksum of {@code ls -lnL}), so that a
 * new jar or a JDK updated in place gets a new archive and the old one is removed. Java 11 and 12 get no archive.
 */
final class Launcher {

    /** Whether this JVM runs on Windows, where the launcher is a {@code .cmd} and quoting follows cmd.exe. */
    static final boolean ON_WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    static final String POSIX_NAME = "mfa-session-provider";
    static final String WINDOWS_NAME = "mfa-session-provider.cmd";
    /** Archives are named {@code mfa-session-provider-<key>.jsa}; anything matching is the launcher's to remove. */
    static final String ARCHIVE_PREFIX = "mfa-session-provider";

    /**
     * C1 only; the JVM's own output on standard error (its log, and what it prints outside the log), except
     * class-data sharing's, which is about speed alone (a Java 17 run that makes an archive lists every class it skips).
     */
    private static final String FAST = "-XX:TieredStopAtLevel=1 -XX:+DisplayVMOutputToStderr -Xlog:disable -Xlog:all=warning:stderr"
                                       + " \"-Xlog:cds*=off:stderr\"";
    /** Java 25 and later also say, at the end of a recording run, which classes the cache will skip. */
    private static final String FAST_AOT = FAST + " \"-Xlog:aot*=off:stderr\"";
    /** Words any shell, botocore and cmd.exe take as they are. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9/._+=:@,-]+");

    private Launcher() {
    }

    /**
     * The POSIX {@code sh} launcher.
     *
     * @param java        the {@code java} executable to run
     * @param javaHome    its JDK's folder, whose {@code lib/modules} stands for the JDK in the archive's name
     * @param javaFeature its feature version (17 for 17.0.15), which decides how the archive is made
     * @param folder      where the launcher, the jar and the archives are
     * @param jar         the jar to run
     */
    static String posix(Path java, Path javaHome, int javaFeature, Path folder, Path jar) {
        StringBuilder script = new StringBuilder()
            .append("#!/bin/sh\n")
            .append("# Written by `java -jar ").append(jar.getFileName()).append(" install`: runs the jar below with the Java below,\n")
            .append("# with a class-data-sharing archive of the classes a run loads (made by the first run, and again\n")
            .append("# when the jar or the JDK changes), the C1 compiler only, and the JVM's own messages on standard\n")
            .append("# error, never among the credentials on standard output. Run install again after moving either.\n")
            .append("java=").append(shellQuoted(java.toString())).append('\n')
            .append("jar=").append(shellQuoted(jar.toString())).append('\n')
            .append("dir=").append(shellQuoted(folder.toString())).append('\n')
            .append("if [ ! -x \"$java\" ] || [ ! -f \"$jar\" ]; then\n")
            .append("  echo \"mfa-session-provider: error: $java or $jar is gone; run the install command again.\" >&2\n")
            .append("  exit 1\n")
            .append("fi\n");
        if (javaFeature < 13) {
            return script.append("exec \"$java\" ").append(FAST).append(" -jar \"$jar\" \"$@\"\n").toString();
        }
        script.append("key=$(ls -lnL -- \"$jar\" ").append(shellQuoted(javaHome.resolve("lib").resolve("modules").toString()))
              .append(" | cksum)\n")
              .append("archive=\"$dir/").append(ARCHIVE_PREFIX).append("-${key%% *}.jsa\"\n");
        if (javaFeature >= 25) {
            return aheadOfTimeCache(script);
        }
        if (javaFeature >= 19) {
            return script.append("if [ ! -f \"$archive\" ]; then\n")
                         .append("  rm -f \"$dir\"/").append(ARCHIVE_PREFIX).append("-*.jsa\n")
                         .append("fi\n")
                         .append("exec \"$java\" -XX:+AutoCreateSharedArchive \"-XX:SharedArchiveFile=$archive\" ").append(FAST)
                         .append(" -jar \"$jar\" \"$@\"\n")
                         .toString();
        }
        return script.append("if [ -f \"$archive\" ]; then\n")
                     .append("  exec \"$java\" \"-XX:SharedArchiveFile=$archive\" ").append(FAST).append(" -jar \"$jar\" \"$@\"\n")
                     .append("fi\n")
                     .append("# No archive for this jar and JDK: this run makes one, kept only if the run succeeds.\n")
                     .append("rm -f \"$dir\"/").append(ARCHIVE_PREFIX).append("-*.jsa\n")
                     .append("trap 'rm -f \"$archive.$$\"; exit 130' HUP INT TERM\n")
                     .append("\"$java\" \"-XX:ArchiveClassesAtExit=$archive.$$\" ").append(FAST).append(" -jar \"$jar\" \"$@\"\n")
                     .append("status=$?\n")
                     .append("if [ \"$status\" -eq 0 ] && [ -f \"$archive.$$\" ]; then\n")
                     .append("  mv -f \"$archive.$$\" \"$archive\"\n")
                     .append("else\n")
                     .append("  rm -f \"$archive.$$\"\n")
                     .append("fi\n")
                     .append("exit \"$status\"\n")
                     .toString();
    }

    /** The end of the POSIX launcher for Java 25 and later: an ahead-of-time cache, made in the background. */
    private static String aheadOfTimeCache(StringBuilder script) {
        return script.append("if [ -f \"$archive\" ]; then\n")
                     .append("  exec \"$java\" \"-XX:AOTCache=$archive\" ").append(FAST_AOT).append(" -jar \"$jar\" \"$@\"\n")
                     .append("fi\n")
                     .append("# No cache for this jar and JDK: this run records what it loads, then a JVM in the background makes\n")
                     .append("# the cache from that record, its output nowhere near the caller's.\n")
                     .append("rm -f \"$dir\"/").append(ARCHIVE_PREFIX).append("-*.jsa\n")
                     .append("record=\"$archive.$$.record\"\n")
                     .append("trap 'rm -f \"$record\"; exit 130' HUP INT TERM\n")
                     .append("# (The recording JVM says where it wrote the record outside its log: nowhere, for this one run.)\n")
                     .append("\"$java\" -XX:AOTMode=record \"-XX:AOTConfiguration=$record\" -XX:+UnlockDiagnosticVMOptions -XX:-DisplayVMOutput ")
                     .append(FAST_AOT).append(" -jar \"$jar\" \"$@\"\n")
                     .append("status=$?\n")
                     .append("if [ \"$status\" -eq 0 ] && [ -f \"$record\" ]; then\n")
                     .append("  (\"$java\" -XX:AOTMode=create \"-XX:AOTConfiguration=$record\" \"-XX:AOTCache=$archive.$$\" -Xlog:disable -jar \"$jar\"\n")
                     .append("   [ -f \"$archive.$$\" ] && mv -f \"$archive.$$\" \"$archive\"\n")
                     .append("   rm -f \"$record\" \"$archive.$$\") </dev/null >/dev/null 2>&1 &\n")
                     .append("else\n")
                     .append("  rm -f \"$record\"\n")
                     .append("fi\n")
                     .append("exit \"$status\"\n")
                     .toString();
    }

    /**
     * The Windows {@code .cmd} launcher. It keeps one archive (Java 19 and later remake it when the JDK changes, and
     * {@code install} removes it with the jar it replaces); Java 11 to 18 run without one.
     */
    static String windows(Path java, int javaFeature, Path folder, Path jar) {
        String archive = javaFeature >= 19
                         ? "-XX:+AutoCreateSharedArchive \"-XX:SharedArchiveFile=" + cmdEscaped(folder + "\\" + ARCHIVE_PREFIX + ".jsa")
                           + "\" "
                         : "";
        return "@echo off\r\n"
               + "rem Written by java -jar " + cmdEscaped(jar.getFileName().toString()) + " install: runs the jar below with the Java below\r\n"
               + "rem and the flags for a fast start; the JVM's own messages go to standard error. Run install again after moving either.\r\n"
               + "if not exist \"" + cmdEscaped(java.toString()) + "\" goto gone\r\n"
               + "\"" + cmdEscaped(java.toString()) + "\" " + archive + FAST + " -jar \"" + cmdEscaped(jar.toString()) + "\" %*\r\n"
               + "exit /b %errorlevel%\r\n"
               + ":gone\r\n"
               + "echo mfa-session-provider: error: \"" + cmdEscaped(java.toString()) + "\" is gone; run the install command again. 1>&2\r\n"
               + "exit /b 1\r\n";
    }

    /**
     * A path as a word of a {@code credential_process} line: as it is when it needs no quoting, else quoted so that
     * botocore (which splits the line as a POSIX shell does, or as Windows does on Windows) and the AWS SDKs (which run
     * it with {@code sh -c}, or {@code cmd.exe /C}) read the same path.
     */
    static String credentialProcessWord(String path, boolean windows) {
        if (PLAIN.matcher(path).matches()) {
            return path;
        }
        return windows ? "\"" + path + "\"" : shellQuoted(path);
    }

    /** A POSIX shell word that means exactly {@code text}: single quotes, each {@code '} written {@code '\''}. */
    static String shellQuoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /** {@code %} doubled, since cmd.exe expands variables in a script even inside quotes. */
    private static String cmdEscaped(String text) {
        return text.replace("%", "%%");
    }
}
