package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The all-jar's logging: as a command, our warnings reach standard error one short line each and nothing reaches
 * standard output; as a library, it brings no SLF4J provider, and a host's own provider gets our log lines.
 */
class AllJarLoggingIT {

    private static final long BUDGET_BYTES = 6L * 1024 * 1024;

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

    /** A session in the cache, then its file opened to other users, as a careless copy or an attacker would leave it. */
    private Path plantWorldReadableSession() throws Exception {
        ChildJvm.Result first = ChildJvm.run(ChildJvm.allJar(environment(true), "credential-process", "--profile", "dev"), folder);
        assertEquals(0, first.exitCode(), first.stderr());
        Path session;
        try (Stream<Path> files = Files.list(folder.resolve("cache"))) {
            session = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        Files.setPosixFilePermissions(session, PosixFilePermissions.fromString("rw-r--r--"));
        return session;
    }

    @Test
    void anIgnoredCacheFileIsReportedOnStandardErrorInOneLineAndNothingReachesStandardOutput() throws Exception {
        Path session = plantWorldReadableSession();

        ChildJvm.Result result = ChildJvm.run(ChildJvm.allJar(environment(false), "credential-process", "--profile", "dev"), folder);

        assertEquals(1, result.exitCode(), result.stderr());
        assertEquals("", result.stdout());
        List<String> lines = result.stderr().lines().collect(Collectors.toList());
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("mfa-session-provider: warning: ") && line.contains(session.toString())),
                   result.stderr());
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("mfa-session-provider: error: ")), result.stderr());
        assertTrue(lines.stream().allMatch(line -> line.startsWith("mfa-session-provider: ")), "one short line each: " + result.stderr());
    }

    @Test
    void verboseAddsOurDebugLinesButNoneOfTheSdksAndNoSecret() throws Exception {
        ChildJvm.Result result = ChildJvm.run(ChildJvm.allJar(environment(true), "credential-process", "--profile", "dev", "--verbose"),
                                              folder);

        assertEquals(0, result.exitCode(), result.stderr());
        JsonNode json = JsonNode.parser().parse(result.stdout());
        assertTrue(result.stderr().contains("mfa-session-provider: debug: Calling STS GetSessionToken for profile dev"), result.stderr());
        assertTrue(result.stderr().contains("mfa-session-provider: info: New "), result.stderr());
        assertFalse(result.stderr().contains("software.amazon.awssdk") || result.stderr().contains("AWS4-HMAC-SHA256"), result.stderr());
        for (String secret : List.of(json.field("SecretAccessKey").orElseThrow().text(), json.field("SessionToken").orElseThrow().text(),
                                     fixture.user.secretAccessKey())) {
            assertFalse(result.stderr().contains(secret), "no secret on stderr");
        }
    }

    @Test
    void withoutVerboseOnlyWarningsAndErrorsAreWritten() throws Exception {
        ChildJvm.Result result = ChildJvm.run(ChildJvm.allJar(environment(true), "credential-process", "--profile", "dev"), folder);

        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("", result.stderr());
    }

    @Test
    void aSessionAnsweredFromTheCacheStartsNeitherJavaUtilLoggingNorTheRegionChain() throws Exception {
        assertEquals(0, ChildJvm.run(ChildJvm.allJar(environment(true), "credential-process", "--profile", "dev"), folder).exitCode());
        Path classes = folder.resolve("classes.txt");

        ChildJvm.Result result = ChildJvm.run(ChildJvm.builder(List.of("-Xlog:class+load:file=" + classes, "-jar", ChildJvm.allJarPath().toString()),
                                                               environment(false), "credential-process", "--profile", "dev"), folder);

        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("", result.stderr());
        assertTrue(JsonNode.parser().parse(result.stdout()).field("SessionToken").isPresent(), result.stdout());
        String loaded = Files.readString(classes);
        assertTrue(loaded.contains(" io.github.mfasession.internal.logging.DeferredLogger "), "our loggers were made");
        assertFalse(loaded.contains(" java.util.logging.LogManager "), "java.util.logging starts only for a line to write");
        assertFalse(loaded.contains(" software.amazon.awssdk.regions.providers.AwsRegionProviderChain "), "no region without an STS client");
    }

    @Test
    void aHostWithItsOwnLoggingProviderGetsOurWarningsThroughIt() throws Exception {
        Path session = plantWorldReadableSession();
        String classPath = String.join(File.pathSeparator, ChildJvm.allJarPath().toString(), testClasses(), onTestClassPath("slf4j-simple"));

        ChildJvm.Result host = ChildJvm.run(ChildJvm.builder(List.of("-cp", classPath, LoggingHostMain.class.getName()),
                                                             environment(false), "dev"), folder);

        assertEquals(0, host.exitCode(), host.stderr());
        assertTrue(host.stdout().contains("provider org.slf4j.simple.SimpleServiceProvider"), host.stdout());
        assertFalse(host.stdout().contains("io.github.mfasession"), "only the host's provider: " + host.stdout());
        assertTrue(host.stdout().contains("failed"), host.stdout());
        // slf4j-simple's own format, as the host configured it.
        assertTrue(host.stderr().contains("WARN io.github.mfasession.") && host.stderr().contains(session.toString()), host.stderr());
        assertFalse(host.stderr().contains("mfa-session-provider: warning:"), host.stderr());
    }

    @Test
    void asALibraryTheAllJarBringsNoLoggingProvider() throws Exception {
        String classPath = String.join(File.pathSeparator, ChildJvm.allJarPath().toString(), testClasses());

        ChildJvm.Result host = ChildJvm.run(ChildJvm.builder(List.of("-cp", classPath, LoggingHostMain.class.getName()),
                                                             environment(false), "dev"), folder);

        assertEquals(0, host.exitCode(), host.stderr());
        assertFalse(host.stdout().contains("provider "), host.stdout());
        assertTrue(host.stdout().contains("factory org.slf4j.helpers.NOPLoggerFactory"), host.stdout());
        try (JarFile jar = new JarFile(ChildJvm.allJarPath().toFile())) {
            assertNull(jar.getEntry("META-INF/services/org.slf4j.spi.SLF4JServiceProvider"));
            assertNull(jar.getEntry("org/slf4j/jul/JULServiceProvider.class"), "relocated, so it cannot clash with a host's copy");
            assertTrue(jar.getEntry("io/github/mfasession/shaded/slf4j/jul/JULServiceProvider.class") != null);
        }
    }

    @Test
    void theAllJarStaysWithinItsSizeBudget() throws Exception {
        long size = Files.size(ChildJvm.allJarPath());
        assertTrue(size <= BUDGET_BYTES, "the all-jar is " + size + " bytes; the budget is 6 MiB");
    }

    private static String testClasses() throws Exception {
        return Path.of(LoggingHostMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static String onTestClassPath(String artifact) {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                     .filter(entry -> Path.of(entry).getFileName().toString().startsWith(artifact + "-"))
                     .findFirst()
                     .orElseThrow(() -> new AssertionError(artifact + " is not on the test class path"));
    }
}
