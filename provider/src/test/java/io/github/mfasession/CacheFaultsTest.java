package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mfasession.internal.cache.SessionCache;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The disk cache under attack or accident, seen from the provider: a cached session is never handed out past its
 * expiration by the provider's clock, a planted file is never trusted, and a cache that cannot be written (a full
 * disk, a read-only folder, a file where the folder should be) costs the sharing between processes, never the
 * session. The file-level cases (links, owners, modes, corrupt JSON) are in {@code internal.cache.UntrustedCacheFileTest}.
 */
class CacheFaultsTest {

    @TempDir
    Path folder;
    StsFixture fixture;
    ScriptedCodes codes;

    @BeforeEach
    void start() {
        fixture = new StsFixture(folder);
        codes = ScriptedCodes.machine(request -> fixture.code());
    }

    @AfterEach
    void stop() throws IOException {
        fixture.close();
        // An ordinary user's temporary folder cleanup needs the read-only folder writable again.
        if (Files.isDirectory(cache())) {
            Files.setPosixFilePermissions(cache(), PosixFilePermissions.fromString("rwx------"));
        }
    }

    private Path cache() {
        return folder.resolve("cache");
    }

    private List<Path> cacheFiles(String suffix) throws IOException {
        if (!Files.isDirectory(cache())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cache())) {
            return files.filter(file -> file.getFileName().toString().endsWith(suffix)).collect(Collectors.toList());
        }
    }

    /** Forgets this test's sessions in process memory, so that the next provider has only the disk to go by. */
    private static void forgetSessionsInMemory() {
        SessionCache.forgetInMemory("dev");
    }

    @Test
    void aCachedSessionPastItsExpirationByTheProvidersClockIsNeverHandedOut() {
        AwsSessionCredentials first = fixture.builder().codeSupplier(codes).build().resolveCredentials();
        forgetSessionsInMemory();
        // The file is still fresh by the system clock, which the disk store reads; the provider's clock says it has ended.
        fixture.clock.set(first.expirationTime().get().plus(Duration.ofMinutes(1)));

        AwsSessionCredentials second = fixture.builder().codeSupplier(codes).build().resolveCredentials();

        assertNotEquals(first.accessKeyId(), second.accessKeyId());
        assertTrue(second.expirationTime().get().isAfter(fixture.clock.instant()));
        assertEquals(2, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void aCachedSessionInsideTheRenewMarginByTheProvidersClockIsRenewed() {
        AwsSessionCredentials first = fixture.builder().codeSupplier(codes).build().resolveCredentials();
        forgetSessionsInMemory();
        fixture.clock.set(first.expirationTime().get().minus(Duration.ofMinutes(4)));

        AwsSessionCredentials second = fixture.builder().codeSupplier(codes).build().resolveCredentials();

        assertNotEquals(first.accessKeyId(), second.accessKeyId());
        assertEquals(2, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void aSessionFilePlantedThroughASymbolicLinkIsNeverHandedOutAndIsReplaced() throws IOException {
        AwsSessionCredentials first = fixture.builder().codeSupplier(codes).build().resolveCredentials();
        Path file = cacheFiles(".json").get(0);
        Path planted = Files.move(file, folder.resolve("planted.json"));
        Files.createSymbolicLink(file, planted);
        forgetSessionsInMemory();
        // The clock stands still: the device's next code, as the first one is spent.
        ScriptedCodes nextCode = ScriptedCodes.machine(request -> fixture.code(1));

        AwsSessionCredentials second = fixture.builder().codeSupplier(nextCode).build().resolveCredentials();

        assertNotEquals(first.accessKeyId(), second.accessKeyId());
        assertEquals(2, fixture.sts.getSessionTokenCalls());
        assertTrue(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS), "the link was replaced by a file of our own");
    }

    @Test
    void aCacheFolderOwnedBySomeoneElseIsNeitherReadNorWritten() throws IOException {
        AwsSessionCredentials first = fixture.builder().codeSupplier(codes).build().resolveCredentials();
        Path file = cacheFiles(".json").get(0);
        UserPrincipal nobody = folder.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        assumeTrue(!nobody.equals(Files.getOwner(cache())), "the tests run as nobody");
        try {
            Files.setOwner(cache(), nobody);
        } catch (IOException e) {
            assumeTrue(false, "only root can give a folder to another user: " + e);
        }
        forgetSessionsInMemory();
        ScriptedCodes nextCode = ScriptedCodes.machine(request -> fixture.code(1));

        String log = StandardError.printedWhile(() -> assertNotEquals(first.accessKeyId(),
                                                    fixture.builder().codeSupplier(nextCode).build().resolveCredentials().accessKeyId()));

        assertEquals(2, fixture.sts.getSessionTokenCalls());
        assertTrue(log.contains("Ignoring the MFA session cache folder " + cache() + ": it is owned by nobody"), log);
        assertTrue(log.contains("Could not save the MFA session for profile 'dev'"), log);
        assertTrue(Files.readString(file).contains(first.accessKeyId()), "the other user's folder was left as it was");
    }

    @Test
    void aCacheFolderThatCannotBeCreatedCostsOnlyTheSharingBetweenProcesses() throws IOException {
        Path underAFile = Files.createFile(folder.resolve("not-a-folder")).resolve("cache");

        String log = StandardError.printedWhile(() -> {
            String first = fixture.builder().codeSupplier(codes).cacheDirectory(underAFile).build().resolveCredentials().accessKeyId();
            String second = fixture.builder().codeSupplier(codes).cacheDirectory(underAFile).build().resolveCredentials().accessKeyId();
            assertEquals(first, second, "the second provider of this process shares the session through memory");
        });

        assertEquals(1, fixture.sts.getSessionTokenCalls());
        assertTrue(log.contains("WARN") && log.contains("Could not save the MFA session for profile 'dev' to " + underAFile), log);
    }

    @Test
    void aRelativeCacheFolderIsRefusedWithAWarningAndTheSessionIsKeptInMemory() {
        String log = StandardError.printedWhile(() -> {
            String first = fixture.builder().codeSupplier(codes).setting("mfa_cache_dir", "sessions").build().resolveCredentials().accessKeyId();
            String second = fixture.builder().codeSupplier(codes).setting("mfa_cache_dir", "sessions").build().resolveCredentials().accessKeyId();
            assertEquals(first, second, "the second provider of this process shares the session through memory");
        });

        assertEquals(1, fixture.sts.getSessionTokenCalls());
        assertTrue(log.contains("Ignoring the MFA session cache folder sessions: it is a relative path"), log);
        assertTrue(log.contains("Set mfa_cache_dir to an absolute path (~/ is allowed)"), log);
        assertFalse(Files.exists(Path.of("sessions")), "nothing was written where the process happened to start");
    }

    @Test
    void aFullDiskCostsOnlyTheSharingBetweenProcessesAndLeavesNoTemporaryFile() throws Exception {
        // A file size limit of 0 fails every write to a file as a full disk does, whoever runs the test ("File too large").
        Output child = runTwoProviders(List.of("/bin/sh", "-c", "ulimit -f 0 && exec \"$@\"", "sh"));

        assertEquals(0, child.exitCode, child.text);
        assertSameSessionTwice(child);
        assertTrue(child.text.contains("Could not save the MFA session for profile 'dev'") && child.text.contains("File too large"), child.text);
        assertEquals(List.of(), cacheFiles(".tmp"));
        assertEquals(List.of(), cacheFiles(".json"));
    }

    @Test
    void aReadOnlyCacheFolderCostsOnlyTheSharingBetweenProcesses() throws Exception {
        Files.createDirectory(cache(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-x------")));
        List<String> prefix = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // Root writes to read-only folders through its capabilities; the child runs without them.
            assumeTrue(new File("/usr/bin/setpriv").canExecute(), "setpriv is needed to drop root's capabilities");
            prefix.addAll(List.of("/usr/bin/setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"));
        }

        Output child = runTwoProviders(prefix);

        assertEquals(0, child.exitCode, child.text);
        assertSameSessionTwice(child);
        assertTrue(child.text.contains("Cannot lock the MFA session file"), child.text);
        assertTrue(child.text.contains("Could not save the MFA session for profile 'dev'"), child.text);
        assertEquals(List.of(), cacheFiles(""));
    }

    private void assertSameSessionTwice(Output child) {
        String[] keys = child.lastLine().split(" ");
        assertEquals(2, keys.length, child.text);
        assertEquals(keys[0], keys[1], "the second provider in the process shares the session through memory");
        assertEquals(1, fixture.sts.getSessionTokenCalls());
    }

    /** Runs {@link TwoProvidersMain} for {@code dev} in a child JVM started through the prefix command, caching in {@link #cache()}. */
    private Output runTwoProviders(List<String> prefix) throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("HOME", folder.toString());
        environment.put("AWS_CONFIG_FILE", fixture.config.toString());
        environment.put("AWS_SHARED_CREDENTIALS_FILE", fixture.credentials.toString());
        environment.put("AWS_MFA_CACHE_DIR", cache().toString());
        environment.put("AWS_MFA_CODE_SUPPLIER", "env");
        environment.put("AWS_MFA_CODE", fixture.code());
        ProcessBuilder builder = ChildJvm.builder(TwoProvidersMain.class, environment, "dev");
        builder.command().addAll(1, List.of("-XX:-UsePerfData", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        builder.command().addAll(0, prefix);
        // Through a pipe, never a file: a file size limit would swallow what the child says.
        Process process = builder.redirectErrorStream(true).start();
        byte[] text = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child finished");
        return new Output(process.exitValue(), new String(text, StandardCharsets.UTF_8));
    }

    private static final class Output {
        final int exitCode;
        final String text;

        Output(int exitCode, String text) {
            this.exitCode = exitCode;
            this.text = text;
        }

        String lastLine() {
            String[] lines = text.trim().split("\n");
            return lines[lines.length - 1];
        }
    }
}
