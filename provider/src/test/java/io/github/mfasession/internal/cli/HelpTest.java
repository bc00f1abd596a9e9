package io.github.mfasession.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code --help}: after any command, that command's usage on standard output and exit status 0; fits 80 columns. */
class HelpTest {

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertFitsEightyColumns(String text) {
        for (String line : text.lines().collect(Collectors.toList())) {
            assertTrue(line.length() <= 80, () -> "a line of " + line.length() + " columns: " + line + "\nin:\n" + text);
        }
    }

    @Test
    void helpAfterEveryCommandPrintsItsUsageAndExitsZero() {
        for (String command : Main.commandNames()) {
            for (String help : List.of("--help", "-h")) {
                Run run = run(command, help);
                assertEquals(0, run.exitCode(), command + " " + help + ": " + run.err());
                assertEquals("", run.err(), command);
                assertTrue(run.out().startsWith("Usage: java -jar " + Main.jarName() + " " + command), run.out());
                assertTrue(run.out().contains("Options:\n"), run.out());
            }
        }
    }

    @Test
    void helpWinsOverOtherOptionsEvenMalformedOnes() {
        Run run = run("export", "--format", "yaml", "--help");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("Usage: "), run.out());
    }

    @Test
    void everyLineOfEveryHelpFitsEightyColumns() {
        assertFitsEightyColumns(run("--help").out());
        for (String command : Main.commandNames()) {
            assertFitsEightyColumns(run(command, "--help").out());
        }
    }

    @Test
    void helpAloneListsEveryCommandOnOneLine() {
        String help = run("--help").out();

        for (String command : Main.commandNames()) {
            Matcher row = Pattern.compile("(?m)^  " + Pattern.quote(command) + " +(\\S.*)$").matcher(help);
            assertTrue(row.find(), () -> command + " is not listed: " + help);
        }
        assertTrue(help.contains("Usage: java -jar " + Main.jarName() + " <command> [options]"), help);
    }

    @Test
    void helpWordNamesACommandsHelpToo() {
        assertEquals(run("status", "--help").out(), run("help", "status").out());
    }

    @Test
    void noArgumentsIsAUsageMistakeWithTheListOnStandardError() {
        Run run = run();

        assertEquals(2, run.exitCode());
        assertEquals("", run.out());
        assertTrue(run.err().contains("Commands:"), run.err());
    }

    @Test
    void aUsageMistakeSaysWhatWasWrongAndShowsTheCommandsUsage() {
        Run run = run("status", "--profile");

        assertEquals(2, run.exitCode());
        assertEquals("mfa-session-provider: error: Option --profile needs a value.\n"
                     + "Usage: java -jar " + Main.jarName() + " status\n         [--profile P]\n", run.err());
    }

    @Test
    void anUnknownOptionIsCalledUnknownWhetherOrNotAValueFollowsIt() {
        assertTrue(run("status", "--bogus").err().startsWith("mfa-session-provider: error: Unknown option --bogus.\n"));
        assertTrue(run("status", "--bogus", "x").err().startsWith("mfa-session-provider: error: Unknown option --bogus.\n"));
        assertTrue(run("status", "--bogus=x").err().startsWith("mfa-session-provider: error: Unknown option --bogus.\n"));
    }

    @Test
    void outsideAJarTheUsageNamesTheJarTheBuildMakes() {
        assertEquals("mfa-session-provider-" + Version.current() + "-all.jar", Main.jarName());
    }

    @Test
    void theReadmeNamesTheJarTheBuildMakes() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("basedir", "."), "..", "README.md"));
        Matcher jars = Pattern.compile("mfa-session-provider[\\w.<>-]*\\.jar").matcher(readme);
        int found = 0;
        while (jars.find()) {
            found++;
            String jar = jars.group();
            assertTrue(jar.equals("mfa-session-provider-" + Version.current() + "-all.jar") || jar.equals("mfa-session-provider-<version>-all.jar")
                       || jar.equals("mfa-session-provider-<version>.jar"), "the README names a jar the build does not make: " + jar);
        }
        assertTrue(found > 0);
    }

    @Test
    void anOptionTooLongForItsColumnHasItsTextOnTheNextLineWrappedToTheFullWidth() {
        String row = HelpText.row("--shell sh|powershell", "the form of the lines (default: this system's): sh for POSIX shells,"
                                                           + " powershell for PowerShell on any system");

        assertEquals("  --shell sh|powershell\n"
                     + "                      the form of the lines (default: this system's): sh for\n"
                     + "                      POSIX shells, powershell for PowerShell on any system\n", row);
    }

    @Test
    void serveHelpShowsTheShellOptionOnItsOwnLineAndItsTextUnderTheColumn() {
        String help = run("serve", "--help").out();

        assertTrue(help.contains("\n  --shell sh|powershell\n                      the form of the lines (default: this system's)\n"), help);
    }

    @Test
    void longUsagesWrapBetweenOptionsNeverInsideOne() {
        String usage = HelpText.usage("a-rather-long-name-for-a-jar-file-0.1.0-SNAPSHOT-all.jar", "export [--profile P] [--format env|json]");

        assertEquals("Usage: java -jar a-rather-long-name-for-a-jar-file-0.1.0-SNAPSHOT-all.jar export\n"
                     + "         [--profile P] [--format env|json]\n", usage);
    }
}
