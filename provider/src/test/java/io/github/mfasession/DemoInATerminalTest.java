package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.internal.cli.Main;
import io.github.mfasession.internal.code.PtySession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo} as a person runs it: in a terminal (a real pseudo-terminal), typing at its prompt. */
class DemoInATerminalTest {

    private static final Duration START = Duration.ofSeconds(40);
    private static final Pattern SHOWN = Pattern.compile("The virtual device shows (\\d{6}) now");

    @TempDir
    Path folder;

    @BeforeAll
    static void needsPseudoTerminals() {
        PtySession.assumeAvailable();
    }

    /** The demo in a new terminal, with its temporary folder in this test's folder. */
    private PtySession startDemo() throws Exception {
        List<String> command = ChildJvm.builder(Main.class, Map.of(), "demo").command();
        command.add(1, "-Djava.io.tmpdir=" + folder.resolve("tmp"));
        command.add(1, "-Djava.awt.headless=true");
        Files.createDirectories(folder.resolve("tmp"));
        return PtySession.start("env HOME=" + quote(folder.toString()) + " "
                                + command.stream().map(DemoInATerminalTest::quote).collect(Collectors.joining(" ")));
    }

    private List<Path> demoFolders() throws Exception {
        try (Stream<Path> entries = Files.list(folder.resolve("tmp"))) {
            return entries.filter(path -> path.getFileName().toString().startsWith("mfa-session-demo-")).collect(Collectors.toList());
        }
    }

    @Test
    void ctrlCAtThePromptStillRemovesTheThrowawayFolder() throws Exception {
        try (PtySession terminal = startDemo()) {
            terminal.awaitScreen("MFA code for ", START);
            assertEquals(1, demoFolders().size(), "the demo made its folder");
            terminal.type("\u0003");
            terminal.awaitExit(START);
        }
        assertEquals(List.of(), demoFolders());
    }

    @Test
    void theCodeIsShownAgainAtEveryAttemptWithWhyTheLastOneWasRejected() throws Exception {
        String screen;
        try (PtySession terminal = startDemo()) {
            String first = lastShownCode(terminal.awaitScreen("MFA code for ", START));
            terminal.type(wrong(first) + "\r");
            screen = terminal.awaitLines("That was not the code the device showed.\n   The virtual device shows ", START);
            terminal.awaitScreen("STS rejected the last code.", START);
            terminal.type(lastShownCode(terminal.awaitScreen("MFA code for ", START)) + "\r");
            screen = terminal.awaitScreen("Done.", START);
            terminal.awaitExit(START);
        }
        assertEquals(2, SHOWN.matcher(screen).results().count(), screen);
        assertTrue(screen.contains("still 2 GetSessionToken calls in all"), screen);
        assertEquals(List.of(), demoFolders());
    }

    private static String lastShownCode(String screen) {
        Matcher shown = SHOWN.matcher(screen);
        String code = null;
        while (shown.find()) {
            code = shown.group(1);
        }
        return code;
    }

    private static String wrong(String code) {
        char last = code.charAt(5);
        return code.substring(0, 5) + (char) (last == '9' ? '0' : last + 1);
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
