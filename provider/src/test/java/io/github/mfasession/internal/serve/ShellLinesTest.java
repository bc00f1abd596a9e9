package io.github.mfasession.internal.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lines serve prints for a shell: what they set, that they never hold the token, and that a POSIX shell reads them as meant. */
class ShellLinesTest {

    private static final String TOKEN = "tHe-SeCrEt-ToKeN";

    @TempDir
    Path folder;

    private static ServerState state(String... profiles) {
        return new ServerState(1234, 4567, List.of(profiles), Instant.parse("2026-01-01T00:00:00Z"), TOKEN);
    }

    @Test
    void posixLinesExportTheFirstProfilesUriAndTheTokenFileAndUnsetAStaleTokenVariable() {
        String lines = ShellLines.of(ShellLines.Shell.SH, state("dev"), Path.of("/home/me/.aws/mfa-session/cache/serve/token"), List.of("dev"), false);

        assertEquals("export AWS_CONTAINER_CREDENTIALS_FULL_URI='http://127.0.0.1:4567/profiles/dev'\n"
                     + "export AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE='/home/me/.aws/mfa-session/cache/serve/token'\n"
                     + "unset AWS_CONTAINER_AUTHORIZATION_TOKEN\n", lines);
    }

    @Test
    void theTokenVariableIsReadFromTheFileByTheShellNeverPrinted() {
        String lines = ShellLines.of(ShellLines.Shell.SH, state("dev"), Path.of("/tmp/serve/token"), List.of("dev"), true);

        assertTrue(lines.contains("export AWS_CONTAINER_AUTHORIZATION_TOKEN=\"$(cat '/tmp/serve/token')\"\n"), lines);
        assertFalse(lines.contains(TOKEN));
    }

    @Test
    void powerShellLinesSetTheSameVariables() {
        String lines = ShellLines.of(ShellLines.Shell.POWERSHELL, state("dev"), Path.of("C:\\Users\\me\\token"), List.of("dev"), true);

        assertEquals("$env:AWS_CONTAINER_CREDENTIALS_FULL_URI = 'http://127.0.0.1:4567/profiles/dev'\n"
                     + "$env:AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE = 'C:\\Users\\me\\token'\n"
                     + "$env:AWS_CONTAINER_AUTHORIZATION_TOKEN = Get-Content -Raw -LiteralPath 'C:\\Users\\me\\token'\n", lines);
    }

    @Test
    void theOtherProfilesAreCommentsWithTheirUrisPercentEncoded() {
        String lines = ShellLines.of(ShellLines.Shell.SH, state("dev", "prod admin\nrm -rf ~"), Path.of("/t"), List.of("dev", "prod admin\nrm -rf ~"), false);

        assertTrue(lines.endsWith("#   http://127.0.0.1:4567/profiles/prod%20admin%0Arm%20-rf%20~\n"), lines);
        assertTrue(lines.lines().allMatch(line -> line.startsWith("export ") || line.startsWith("unset ") || line.startsWith("#")), lines);
    }

    @Test
    void aPosixShellEvaluatingTheLinesGetsExactlyThoseValuesWhateverThePathHolds() throws Exception {
        Path tokenFile = Files.createDirectories(folder.resolve("it's a \"$HOME\" `folder`")).resolve("token");
        Files.writeString(tokenFile, TOKEN);
        String lines = ShellLines.of(ShellLines.Shell.SH, state("dev"), tokenFile, List.of("dev"), true);

        Process shell = new ProcessBuilder("sh", "-c", lines + "printf '%s\\n%s\\n%s' \"$AWS_CONTAINER_CREDENTIALS_FULL_URI\""
                                                       + " \"$AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE\" \"$AWS_CONTAINER_AUTHORIZATION_TOKEN\"")
            .redirectErrorStream(true).start();
        String output = new String(shell.getInputStream().readAllBytes());
        assertTrue(shell.waitFor(10, TimeUnit.SECONDS));

        assertEquals(String.join("\n", "http://127.0.0.1:4567/profiles/dev", tokenFile.toString(), TOKEN), output);
    }

    @Test
    void shellNamesAreTheUsualOnes() {
        assertEquals(Map.of("sh", ShellLines.Shell.SH, "bash", ShellLines.Shell.SH, "pwsh", ShellLines.Shell.POWERSHELL),
                     Map.of("sh", ShellLines.Shell.named("sh").orElseThrow(), "bash", ShellLines.Shell.named("bash").orElseThrow(),
                            "pwsh", ShellLines.Shell.named("pwsh").orElseThrow()));
        assertTrue(ShellLines.Shell.named("fish").isEmpty());
    }
}
