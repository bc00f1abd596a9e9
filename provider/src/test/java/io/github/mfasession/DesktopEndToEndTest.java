package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.internal.cli.Main;
import io.github.mfasession.internal.code.DesktopDriver;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The desktop supplier chosen automatically, as a user meets it: a JVM with no terminal on an X display (Xvfb in CI)
 * asks with zenity, the code goes to STS (the emulator) through the SDK's real StsClient, and a session comes back.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "zenity runs on Linux desktops")
class DesktopEndToEndTest {

    private static final Duration WINDOW_WAIT = Duration.ofSeconds(60);

    @TempDir
    Path folder;
    StsFixture fixture;
    AutoCloseable display;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        DesktopDriver.assumeAvailable("zenity");
        display = DesktopDriver.holdDisplay();
        fixture = new StsFixture(folder);
    }

    @AfterEach
    void stop() throws Exception {
        // A failed test leaves nothing waiting on a person: the JVMs it started and their dialogs.
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        if (fixture != null) {
            fixture.close();
        }
        if (display != null) {
            display.close();
        }
    }

    @Test
    void headlessJvmOnADesktopAsksWithZenityAgainAfterARejectedCodeAndGetsASession() throws Exception {
        ProcessBuilder builder = withoutTerminal(ChildJvm.builder(ResolveTwiceMain.class, environment(), "dev"), "-Djava.awt.headless=true");
        Process child = start(builder);

        DesktopDriver first = DesktopDriver.await(child.toHandle(), "zenity", null, WINDOW_WAIT);
        assertEquals("AWS MFA code", first.title());
        first.enter(wrong(fixture.code()));
        DesktopDriver second = DesktopDriver.await(child.toHandle(), "zenity", first, WINDOW_WAIT);
        assertEquals("AWS MFA code (attempt 2 of 3)", second.title());
        assertTrue(second.argument("--text").startsWith("STS rejected the last code."), second.argument("--text"));
        second.enter(fixture.code());

        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child ended");
        assertEquals(0, child.exitValue(), Files.readString(folder.resolve("stderr")));
        assertTrue(Files.readString(folder.resolve("stdout")).matches("ASIA\\S+ \\S+ \\S+ true\\s*"), "one session, served twice");
        assertEquals(2, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void credentialProcessWithoutATerminalAsksWithZenityAndNeverStartsAwt() throws Exception {
        Path classes = folder.resolve("classes.txt");
        // Not headless: the command line leaves Swing alone on its own, to start fast.
        ProcessBuilder builder = withoutTerminal(ChildJvm.builder(Main.class, environment(), "credential-process", "--profile", "dev"),
                                                 "-Xlog:class+load=info:file=" + classes);
        Process child = start(builder);

        DesktopDriver.await(child.toHandle(), "zenity", null, WINDOW_WAIT).enter(fixture.code());

        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the command ended");
        assertEquals(0, child.exitValue(), Files.readString(folder.resolve("stderr")));
        JsonNode json = JsonNode.parser().parse(Files.readString(folder.resolve("stdout")));
        assertTrue(json.field("AccessKeyId").orElseThrow().text().startsWith("ASIA"));
        String loaded = Files.readString(classes);
        assertTrue(loaded.contains("io.github.mfasession.internal.code.DesktopCodeSupplier"), "the desktop supplier asked");
        // AWT never started: no toolkit, no graphics environment, none of its implementation (java.awt.AWTError, named in a
        // catch clause of the dialog supplier, is loaded when that class is checked, and starts nothing).
        assertFalse(loaded.contains(" java.awt.Toolkit ") || loaded.contains(" java.awt.GraphicsEnvironment ") || loaded.contains(" sun.awt."),
                    "AWT was started");
    }

    @Test
    void credentialProcessCancelledInTheDialogFailsWithTheReasonOnStandardError() throws Exception {
        Process child = start(withoutTerminal(ChildJvm.builder(Main.class, environment(), "credential-process", "--profile", "dev")));

        DesktopDriver.await(child.toHandle(), "zenity", null, WINDOW_WAIT).escape();

        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the command ended");
        assertEquals(1, child.exitValue());
        assertEquals("", Files.readString(folder.resolve("stdout")));
        assertEquals("mfa-session-provider: error: MFA code entry was cancelled for profile 'dev' (device " + fixture.serial() + ").",
                     Files.readString(folder.resolve("stderr")).strip());
        assertEquals(0, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void demoWithoutATerminalAsksWithZenityAsTheAutomaticChoiceWould() throws Exception {
        Process child = start(withoutTerminal(ChildJvm.builder(Main.class, Map.of("HOME", folder.toString()), "demo")));

        DesktopDriver dialog = DesktopDriver.await(child.toHandle(), "zenity", null, WINDOW_WAIT);
        Matcher shown = Pattern.compile("The virtual device shows (\\d{6}) now").matcher(Files.readString(folder.resolve("stdout")));
        assertTrue(shown.find(), Files.readString(folder.resolve("stdout")));
        dialog.enter(shown.group(1));

        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the demo ended");
        String out = Files.readString(folder.resolve("stdout"));
        assertEquals(0, child.exitValue(), out + Files.readString(folder.resolve("stderr")));
        assertTrue(out.contains("   Type the code in the desktop's dialog.\n"), out);
        assertTrue(out.contains("from the disk cache: no prompt, still 1 GetSessionToken call in all."), out);
    }

    /** What a user's tool has: these profile files and cache, no code and no supplier named, the display it runs on. */
    private Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("HOME", folder.toString());
        environment.put("AWS_CONFIG_FILE", fixture.config.toString());
        environment.put("AWS_SHARED_CREDENTIALS_FILE", fixture.credentials.toString());
        environment.put("AWS_MFA_CACHE_DIR", folder.resolve("cache").toString());
        return environment;
    }

    /** The JVM in a session of its own, so it has no terminal to ask on, as under an IDE or a GUI tool; with these JVM options. */
    private static ProcessBuilder withoutTerminal(ProcessBuilder builder, String... jvmOptions) {
        List<String> command = builder.command();
        command.addAll(1, List.of(jvmOptions));
        command.addAll(0, List.of("setsid", "-w"));
        // zenity, whatever desktop the test runs under.
        builder.environment().remove("XDG_CURRENT_DESKTOP");
        builder.environment().remove("KDE_FULL_SESSION");
        return builder;
    }

    private Process start(ProcessBuilder builder) throws Exception {
        Process process = builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                                 .redirectOutput(folder.resolve("stdout").toFile())
                                 .redirectError(folder.resolve("stderr").toFile())
                                 .start();
        started.add(process);
        return process;
    }

    /** A code the device does not show now: the right one with its last digit changed. */
    private static String wrong(String code) {
        char last = code.charAt(5);
        return code.substring(0, 5) + (char) (last == '9' ? '0' : last + 1);
    }
}
