package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mfasession.internal.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/** The command line as other tools run it: a new JVM, no stdin, stdout read by the caller. */
class CommandLineTest {

    @TempDir
    Path folder;
    StsFixture fixture;

    @BeforeEach
    void start() {
        fixture = new StsFixture(folder);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private Map<String, String> environment(boolean withCode) {
        Map<String, String> environment = fixture.childEnvironment(withCode);
        environment.put("HOME", folder.toString());
        return environment;
    }

    private ChildJvm.Result run(Map<String, String> environment, String... args) throws Exception {
        return ChildJvm.run(ChildJvm.builder(Main.class, environment, args), folder);
    }

    @Test
    void credentialProcessPrintsOnlyTheVersionOneJson() throws Exception {
        ChildJvm.Result result = run(environment(true), "credential-process", "--profile", "dev");

        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(1, result.stdout().lines().count(), result.stdout());
        JsonNode json = JsonNode.parser().parse(result.stdout());
        assertFalse(result.stderr().contains(json.field("SecretAccessKey").get().text()), "stderr never holds the secret");
        assertFalse(result.stderr().contains(json.field("SessionToken").get().text()), "stderr never holds the token");
        assertEquals("1", json.field("Version").orElseThrow().asNumber());
        assertTrue(json.field("AccessKeyId").orElseThrow().text().startsWith("ASIA"));
        assertFalse(json.field("SecretAccessKey").orElseThrow().text().isEmpty());
        assertFalse(json.field("SessionToken").orElseThrow().text().isEmpty());
        String expiration = json.field("Expiration").orElseThrow().text();
        assertTrue(expiration.endsWith("Z"), expiration);
        assertTrue(Instant.parse(expiration).isAfter(Instant.now().plusSeconds(43000)), expiration);
    }

    @Test
    void aCachedSessionIsAnsweredWithoutLoadingTheStsClientOrAnHttpStack() throws Exception {
        assertEquals(0, run(environment(true), "credential-process", "--profile", "dev").exitCode());

        List<String> command = new ArrayList<>(ChildJvm.builder(Main.class, environment(false), "credential-process", "--profile", "dev").command());
        command.add(1, "-verbose:class");
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().putAll(environment(false));
        Path out = folder.resolve("classes.txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue());

        String loaded = Files.readString(out);
        assertTrue(loaded.contains("io.github.mfasession.internal.files.PrivateFolder"), "the disk cache was read");
        assertFalse(loaded.contains("software.amazon.awssdk.services.sts.DefaultStsClient"), "no STS client");
        assertFalse(loaded.contains("software.amazon.awssdk.http.urlconnection"), "no HTTP client");
        assertFalse(loaded.contains("org.jline"), "no terminal");
        assertEquals(1, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void failuresGoToStandardErrorWithExitStatusOneAndNothingOnStandardOutput() throws Exception {
        fixture.writeConfig("duration_seconds = 99\n");
        ChildJvm.Result result = run(environment(true), "credential-process", "--profile", "dev");

        assertEquals(1, result.exitCode());
        assertEquals("", result.stdout());
        assertTrue(result.stderr().startsWith("mfa-session-provider: error: duration_seconds 99 from duration_seconds in profile 'dev' is out of range"), result.stderr());
        assertEquals(1, result.stderr().lines().count(), result.stderr());
    }

    @Test
    void exportPrintsShellVariablesOrJson() throws Exception {
        ChildJvm.Result env = run(environment(true), "export", "--profile", "dev");
        assertEquals(0, env.exitCode(), env.stderr());
        List<String> lines = env.stdout().lines().collect(java.util.stream.Collectors.toList());
        assertEquals(4, lines.size());
        assertTrue(lines.get(0).startsWith("export AWS_ACCESS_KEY_ID='ASIA"), lines.get(0));
        assertTrue(lines.get(1).startsWith("export AWS_SECRET_ACCESS_KEY='"));
        assertTrue(lines.get(2).startsWith("export AWS_SESSION_TOKEN='"));
        assertTrue(lines.get(3).startsWith("export AWS_CREDENTIAL_EXPIRATION='"));

        ChildJvm.Result json = run(environment(false), "export", "--profile", "dev", "--format", "json");
        assertEquals(0, json.exitCode(), json.stderr());
        assertTrue(JsonNode.parser().parse(json.stdout()).field("SessionToken").isPresent());
    }

    /** The README's recipe, {@code eval "$(java -jar ... export --profile P || echo false)"}, in a shell. */
    private ChildJvm.Result exportRecipe(String shell, String profile, String then) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/" + shell)), "needs /bin/" + shell + " to try the recipe in it; not installed here");
        String java = ChildJvm.builder(Main.class, Map.of(), "export", "--profile", profile).command().stream()
                              .map(word -> "'" + word.replace("'", "'\\''") + "'")
                              .collect(Collectors.joining(" "));
        ProcessBuilder builder = new ProcessBuilder("/bin/" + shell, "-c", "eval \"$(" + java + " || echo false)\" && " + then);
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().putAll(environment(true));
        return ChildJvm.run(builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))), folder);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "dash"})
    void theExportRecipeSetsTheSessionInTheShell(String shell) throws Exception {
        ChildJvm.Result result = exportRecipe(shell, "dev", "printf '%s\\n' \"$AWS_ACCESS_KEY_ID\"");

        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stdout().startsWith("ASIA"), result.stdout());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "dash"})
    void theExportRecipeStopsTheShellWithTheMessageWhenTheCommandFails(String shell) throws Exception {
        ChildJvm.Result result = exportRecipe(shell, "nobody", "echo reached");

        assertEquals(1, result.exitCode(), result.stderr());
        assertEquals("", result.stdout(), "the command after the recipe did not run");
        assertTrue(result.stderr().startsWith("mfa-session-provider: error: ") && result.stderr().contains("'nobody'"), result.stderr());
    }

    @Test
    void statusListsSessionsWithoutSecretsAndClearForgetsThem() throws Exception {
        ChildJvm.Result session = run(environment(true), "credential-process", "--profile", "dev");
        JsonNode json = JsonNode.parser().parse(session.stdout());

        ChildJvm.Result status = run(environment(false), "status");
        assertEquals(0, status.exitCode(), status.stderr());
        assertTrue(status.stdout().contains("dev") && status.stdout().contains(fixture.serial()) && status.stdout().contains("left)"), status.stdout());
        assertFalse(status.stdout().contains(json.field("SecretAccessKey").get().text()));
        assertFalse(status.stdout().contains(json.field("SessionToken").get().text()));
        assertFalse(status.stdout().contains(json.field("AccessKeyId").get().text()));

        ChildJvm.Result clear = run(environment(false), "clear", "--profile", "dev");
        assertTrue(clear.stdout().startsWith("Forgot 1 cached MFA session of profile 'dev'"), clear.stdout());
        assertTrue(run(environment(false), "status").stdout().startsWith("No cached MFA sessions"));
        assertEquals(1, run(environment(false), "credential-process", "--profile", "dev").exitCode(), "no session and no code");
    }

    @Test
    void clearOfARoleProfileLooksInTheFolderItsSourceProfileNames() throws Exception {
        Path sourceFolder = folder.resolve("dev-cache");
        String role = fixture.sts.addRole("prod-admin", true);
        fixture.writeConfig("mfa_cache_dir = " + sourceFolder + "\n[profile prod]\nrole_arn = " + role + "\nsource_profile = dev\n"
                            + "region = us-east-1\nendpoint_url = " + fixture.sts.endpoint() + "\n");
        Map<String, String> environment = environment(true);
        environment.remove("AWS_MFA_CACHE_DIR");
        assertEquals(0, run(environment, "credential-process", "--profile", "prod").exitCode());

        environment.remove("AWS_MFA_CODE");
        ChildJvm.Result clear = run(environment, "clear", "--profile", "prod");

        assertEquals("Forgot 1 cached MFA session of profile 'prod' in " + sourceFolder + ".", clear.stdout().lines().findFirst().orElse(""));
    }

    @Test
    void usageMistakesExitWithStatusTwo() throws Exception {
        ChildJvm.Result unknown = run(environment(false), "fly");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.stderr().contains("unknown command 'fly'"), unknown.stderr());

        ChildJvm.Result badOption = run(environment(false), "export", "--format", "yaml");
        assertEquals(2, badOption.exitCode());
        assertTrue(badOption.stderr().contains("Unknown format 'yaml'"), badOption.stderr());
    }

    @Test
    void helpAndVersionGoToStandardOutput() throws Exception {
        ChildJvm.Result help = run(environment(false), "--help");
        assertEquals(0, help.exitCode());
        for (String command : List.of("credential-process", "export", "status", "clear", "demo")) {
            assertTrue(help.stdout().contains(command), command);
        }
        ChildJvm.Result version = run(environment(false), "--version");
        assertTrue(version.stdout().matches("mfa-session-provider \\d+\\.\\d+\\.\\d+.*\\s*"), version.stdout());
    }

    @Test
    void demoRunsTheWholeFlowWithNoAccountTerminalOrDesktop() throws Exception {
        List<String> command = new ArrayList<>(ChildJvm.builder(Main.class, Map.of(), "demo").command());
        command.add(1, "-Djava.awt.headless=true");
        ProcessBuilder builder = new ProcessBuilder(command);
        // No desktop either: under xvfb-run the demo would ask with the desktop's dialog program, as a person's would.
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.equals("DISPLAY") || name.equals("WAYLAND_DISPLAY"));
        builder.environment().put("HOME", folder.toString());
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        ChildJvm.Result result = ChildJvm.run(builder, folder);

        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stdout().contains("GetCallerIdentity says arn:aws:iam::"), result.stdout());
        assertTrue(result.stdout().contains("from the disk cache: no prompt, still 1 GetSessionToken call in all"), result.stdout());
    }
}
