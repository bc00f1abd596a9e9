package io.github.mfasession.internal.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which dialog program asks on each system, and the exact argument list each gets: a list, never a shell string, with
 * the text escaped only for what the program itself reads. osascript and PowerShell are checked here as lists; they are
 * not run in CI (no macOS or Windows runner), while zenity and kdialog run for real in {@link DesktopCodeSupplierTest}.
 */
class DesktopProgramsTest {

    /** A profile name written to break out of every kind of quoting: shell, AppleScript, HTML, GTK mnemonics. */
    private static final String HOSTILE_PROFILE = "dev\" & do shell script \"touch /tmp/x\" & \"'$(id)`id`\\\"_<b>&amp;";
    private static final String TITLE = "AWS MFA code";
    private static final String TEXT = "The last code was rejected.\nMFA code for arn:aws:iam::123456789012:mfa/alice (profile "
                                       + HOSTILE_PROFILE + "):";

    @TempDir
    Path dir;

    @Test
    void zenityGetsAHiddenEntryWithBackslashesAndUnderscoresDoubledForItsLabel() {
        List<String> command = new Zenity("/usr/bin/zenity").command(TITLE, "a\\b_c <b>&amp;\n$(id)");

        assertEquals(List.of("/usr/bin/zenity", "--entry", "--hide-text", "--title=AWS MFA code", "--text=a\\\\b__c <b>&amp;\n$(id)",
                             "--width=460"), command);
    }

    @Test
    void zenityExitStatusOneIsACancelUnlessGtkCouldNotUseTheDisplay() {
        Zenity zenity = new Zenity("/usr/bin/zenity");

        assertTrue(zenity.cancelled(1, ""));
        assertTrue(zenity.cancelled(1, "Gtk-Message: 10:00:00.000: GtkDialog mapped without a transient parent. This is discouraged."));
        assertFalse(zenity.cancelled(1, "(zenity:4242): Gtk-WARNING **: 10:00:00.000: cannot open display: :42"));
        assertFalse(zenity.cancelled(255, ""));
    }

    @Test
    void kdialogGetsAPasswordDialogWithTheTextAsEscapedHtml() {
        List<String> command = new Kdialog("/usr/bin/kdialog").command(TITLE, "a\\b <b>x</b> & y\nnext");

        assertEquals(List.of("/usr/bin/kdialog", "--title=AWS MFA code", "--password=<qt>a\\\\b &lt;b&gt;x&lt;/b&gt; &amp; y<br>next</qt>"),
                     command);
        assertTrue(new Kdialog("/usr/bin/kdialog").cancelled(1, ""));
        assertFalse(new Kdialog("/usr/bin/kdialog").cancelled(134, "qt.qpa.xcb: could not connect to display"));
    }

    @Test
    void osascriptGetsTheTitleAndTextAsArgumentsOfAFixedScript() {
        List<String> command = new Osascript().command(TITLE, TEXT);

        assertEquals(List.of("/usr/bin/osascript",
                             "-e", "on run argv",
                             "-e", "activate",
                             "-e", "set answer to display dialog (item 2 of argv) with title (item 1 of argv) default answer \"\" with hidden"
                                   + " answer buttons {\"Cancel\", \"OK\"} default button \"OK\" cancel button \"Cancel\"",
                             "-e", "return text returned of answer",
                             "-e", "end run",
                             TITLE, TEXT), command);
    }

    @Test
    void osascriptScriptHoldsNothingTheUserWroteSoAppleScriptQuotesAndBackslashesNeedNoEscaping() {
        List<String> command = new Osascript().command(TITLE, TEXT);

        // The script is the same for every profile; the name reaches AppleScript only as the string item 2 of argv.
        assertEquals(new Osascript().command(TITLE, "other").subList(0, command.size() - 1), command.subList(0, command.size() - 1));
        assertEquals(TEXT, command.get(command.size() - 1));
        assertTrue(command.subList(0, command.size() - 2).stream().noneMatch(argument -> argument.contains("dev")));
    }

    @Test
    void osascriptCancelIsAppleScriptErrorMinus128() {
        Osascript osascript = new Osascript();

        assertTrue(osascript.cancelled(1, "0:151: execution error: User canceled. (-128)"));
        assertFalse(osascript.cancelled(1, "0:151: execution error: No user interaction allowed. (-1713)"));
        assertFalse(osascript.cancelled(0, ""));
    }

    @Test
    void powerShellCommandLineIsAFixedEncodedScriptAndHoldsNothingTheUserWrote() {
        WindowsPowerShell powerShell = new WindowsPowerShell("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe");
        List<String> command = powerShell.command(TITLE, TEXT);

        assertEquals(List.of("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "-NoProfile", "-NonInteractive", "-STA",
                             "-WindowStyle", "Hidden", "-EncodedCommand", WindowsPowerShell.encoded(WindowsPowerShell.SCRIPT)), command);
        assertTrue(command.get(command.size() - 1).matches("[A-Za-z0-9+/=]+"), "Base64 only: nothing for Windows' quoting rules to split");
        String script = new String(Base64.getDecoder().decode(command.get(command.size() - 1)), StandardCharsets.UTF_16LE);
        assertEquals(WindowsPowerShell.SCRIPT, script);
        assertFalse(script.contains("dev"));
    }

    @Test
    void powerShellReadsTheTitleAndTextFromItsEnvironmentAndShowsAnAmpersandAsWritten() {
        Map<String, String> environment = new WindowsPowerShell("powershell.exe").environment(TITLE, TEXT);

        assertEquals(Map.of("MFA_SESSION_PROMPT_TITLE", TITLE, "MFA_SESSION_PROMPT_TEXT", TEXT.replace("\n", "\r\n")), environment);
        assertTrue(WindowsPowerShell.SCRIPT.contains("$label.UseMnemonic = $false"));
        assertTrue(WindowsPowerShell.SCRIPT.contains("$field.UseSystemPasswordChar = $true"), "the typed code is masked");
    }

    @Test
    void powerShellCancelIsTheScriptsExitStatusTwo() {
        WindowsPowerShell powerShell = new WindowsPowerShell("powershell.exe");

        assertTrue(powerShell.cancelled(2, ""));
        assertFalse(powerShell.cancelled(1, "Add-Type : Cannot add type."));
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "makes executable files with POSIX permissions")
    void gnomeAndOtherDesktopsGetZenityAndKdeGetsKdialog() throws IOException {
        Path bin = programs("zenity", "kdialog");

        assertInstanceOf(Zenity.class, program(Map.of("DISPLAY", ":0", "PATH", bin.toString(), "XDG_CURRENT_DESKTOP", "ubuntu:GNOME")));
        assertInstanceOf(Zenity.class, program(Map.of("DISPLAY", ":0", "PATH", bin.toString())));
        assertInstanceOf(Kdialog.class, program(Map.of("DISPLAY", ":0", "PATH", bin.toString(), "XDG_CURRENT_DESKTOP", "KDE")));
        assertInstanceOf(Kdialog.class, program(Map.of("WAYLAND_DISPLAY", "wayland-0", "PATH", bin.toString(), "KDE_FULL_SESSION", "true")));
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "makes executable files with POSIX permissions")
    void theOtherProgramIsUsedWhenOnlyItIsInstalled() throws IOException {
        assertInstanceOf(Zenity.class, program(Map.of("DISPLAY", ":0", "PATH", programs("zenity").toString(), "XDG_CURRENT_DESKTOP", "KDE")));
        assertInstanceOf(Kdialog.class, program(Map.of("DISPLAY", ":0", "PATH", programs("kdialog").toString())));
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "makes executable files with POSIX permissions")
    void programIsTakenByItsAbsolutePathAndNeverFromARelativePathEntry() throws IOException {
        Path bin = programs("zenity");
        // A relative entry that does lead to a zenity from this process's working folder, and the current folder itself.
        Map<String, String> relative = Map.of("DISPLAY", ":0", "PATH", Path.of("").toAbsolutePath().relativize(bin) + "::.");

        assertEquals(Optional.empty(), Desktop.program(Desktop.Os.UNIX, relative));
        DesktopProgram zenity = program(Map.of("DISPLAY", ":0", "PATH", "relative:" + bin));
        assertEquals(bin.resolve("zenity").toString(), zenity.command(TITLE, "x").get(0));
    }

    @Test
    void zenitysLabelIsBrokenIntoLinesThatFitTheScreenSinceZenityDoesNotWrapIt() {
        String reason = "STS rejected the last code. Usually it was already used in this 30-second window,"
                        + " it expired while being typed, or mfa_serial names another device. The next code appears in 17 s.";

        String label = Zenity.wrapped(reason + "\n\nMFA code for profile 'dev':");

        assertEquals(reason, label.substring(0, label.indexOf("\n\nMFA")).replace('\n', ' '), "only spaces became line breaks");
        assertTrue(label.lines().allMatch(line -> line.length() <= Zenity.LABEL_COLUMNS), label);
        assertTrue(label.endsWith("\n\nMFA code for profile 'dev':"), "the text's own blank line is kept: " + label);
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "makes executable files with POSIX permissions")
    void withoutADisplayOrAProgramThereIsNoneAndTheReasonIsSaid() throws IOException {
        Map<String, String> noDisplay = Map.of("PATH", programs("zenity").toString());
        Map<String, String> noProgram = Map.of("DISPLAY", ":0", "PATH", dir.toString());

        assertEquals(Optional.empty(), Desktop.program(Desktop.Os.UNIX, noDisplay));
        assertEquals("there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)", Desktop.whyNone(Desktop.Os.UNIX, noDisplay));
        assertEquals(Optional.empty(), Desktop.program(Desktop.Os.UNIX, noProgram));
        assertEquals("neither zenity nor kdialog was found on PATH; install one (for example 'apt-get install zenity')",
                     Desktop.whyNone(Desktop.Os.UNIX, noProgram));
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "makes executable files with POSIX permissions")
    void windowsUsesWindowsPowerShellWhereSystemRootSays() throws IOException {
        Path powerShell = dir.resolve("System32").resolve("WindowsPowerShell").resolve("v1.0").resolve("powershell.exe");
        Files.createDirectories(powerShell.getParent());
        executable(powerShell);

        DesktopProgram program = Desktop.program(Desktop.Os.WINDOWS, Map.of("SystemRoot", dir.toString(), "PATH", "")).orElseThrow();

        assertInstanceOf(WindowsPowerShell.class, program);
        assertEquals(powerShell.toString(), program.command(TITLE, TEXT).get(0));
        assertEquals("Windows PowerShell was not found at " + dir.resolve("elsewhere").resolve("System32").resolve("WindowsPowerShell")
                     .resolve("v1.0").resolve("powershell.exe"),
                     Desktop.whyNone(Desktop.Os.WINDOWS, Map.of("SystemRoot", dir.resolve("elsewhere").toString())));
    }

    @Test
    void macOsUsesOsascriptFromItsFixedPlace() {
        Optional<DesktopProgram> program = Desktop.program(Desktop.Os.MACOS, Map.of("PATH", dir.toString()));

        assertEquals(Files.isExecutable(Path.of(Osascript.PATH)), program.isPresent());
        assertEquals("/usr/bin/osascript was not found", Desktop.whyNone(Desktop.Os.MACOS, Map.of()));
    }

    @Test
    void swingIsSafeOnlyInAJvmThatIsNotHeadlessAndOnMacOsOnlyWhereAwtAlreadyRunsOnTheAppKitThread() {
        assertTrue(Desktop.swingIsSafe(Desktop.Os.UNIX, false, false));
        assertTrue(Desktop.swingIsSafe(Desktop.Os.WINDOWS, false, false));
        assertTrue(Desktop.swingIsSafe(Desktop.Os.MACOS, false, true), "a Swing host such as IntelliJ IDEA");
        assertFalse(Desktop.swingIsSafe(Desktop.Os.MACOS, false, false), "an SWT host such as DBeaver, or AWT not started");
        assertFalse(Desktop.swingIsSafe(Desktop.Os.UNIX, true, false), "headless");
        assertFalse(Desktop.swingIsSafe(Desktop.Os.MACOS, true, true), "headless");
    }

    private static DesktopProgram program(Map<String, String> environment) {
        return Desktop.program(Desktop.Os.UNIX, environment).orElseThrow(() -> new AssertionError("no program for " + environment));
    }

    /** A folder holding empty executable files of these names, for a PATH. */
    private Path programs(String... names) throws IOException {
        Path bin = Files.createTempDirectory(dir, "bin");
        for (String name : names) {
            executable(bin.resolve(name));
        }
        return bin;
    }

    private static void executable(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    }
}
