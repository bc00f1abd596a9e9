package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mfasession.internal.cli.Main;
import io.github.mfasession.internal.session.SessionKey;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * Another local user attacks the cache folder while {@code credential-process} or {@code serve} runs (as this user,
 * in child JVMs); the attacker is a user created for the test, acting through {@code setpriv}. Whatever it plants or
 * swaps, no call waits on it beyond the bound (a minute per process here, far below the 5-minute lock wait it used to
 * cost), no call hands out a session that did not come from STS or points a client at a server that is not this
 * user's, and every refusal is warned about on standard error.
 */
@Timeout(600)
class HostileLocalUserTest {

    private static final String FORGED_KEY = "ASIAFORGEDBYANOTHERUSER";

    @TempDir
    Path folder;
    StsFixture fixture;
    OtherUser attacker;
    SessionKey key;
    final List<Process> started = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        attacker = OtherUser.named("mfa-attacker");
        fixture = new StsFixture(folder);
        key = new SessionKey("dev", fixture.user.accessKeyId(), fixture.serial());
        // The test's folder is root's; others may enter it (not write to it), as they may enter a home folder.
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void stop() {
        started.forEach(Process::destroyForcibly);
        fixture.close();
    }

    private Map<String, String> environment(Path cache, boolean withCode) {
        Map<String, String> environment = new HashMap<>();
        environment.put("HOME", folder.toString());
        environment.put("AWS_CONFIG_FILE", fixture.config.toString());
        environment.put("AWS_SHARED_CREDENTIALS_FILE", fixture.credentials.toString());
        environment.put("AWS_MFA_CACHE_DIR", cache.toString());
        environment.put("AWS_MFA_CODE_SUPPLIER", "env");
        if (withCode) {
            environment.put("AWS_MFA_CODE", fixture.code());
        }
        return environment;
    }

    /** {@code credential-process --profile dev} in a child JVM of this user; it must end within a minute. */
    private ChildJvm.Result credentialProcess(Path cache, boolean withCode) throws Exception {
        return ChildJvm.run(ChildJvm.builder(Main.class, environment(cache, withCode), "credential-process", "--profile", "dev"), folder);
    }

    /** A cache folder of this user that was open to everyone, as it may have been before this version made it private. */
    private Path openCacheFolder() throws IOException {
        Path cache = Files.createDirectory(folder.resolve("cache"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        return cache;
    }

    /** {@code serve} with these arguments in a child JVM of this user, with a code at hand; it must end within a minute. */
    private ChildJvm.Result serve(Path cache, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("serve"));
        command.addAll(List.of(arguments));
        return ChildJvm.run(ChildJvm.builder(Main.class, environment(cache, true), command.toArray(new String[0])), folder);
    }

    private static String accessKeyId(ChildJvm.Result result) {
        return JsonNode.parser().parse(result.stdout()).field("AccessKeyId").orElseThrow().text();
    }

    /** A session file in the format of the cache, for this key, holding credentials that never came from STS. */
    private String forgedSession() {
        return "{\"Version\":1,\"Profile\":\"dev\",\"MfaSerial\":\"" + fixture.serial() + "\",\"AccessKeyId\":\"" + FORGED_KEY + "\","
               + "\"SecretAccessKey\":\"forged-secret\",\"SessionToken\":\"forged-token\",\"Expiration\":\"" + Instant.now().plusSeconds(40000)
               + "\",\"RenewAt\":\"" + Instant.now().plusSeconds(39000) + "\"}";
    }

    @Test
    void aFifoAtTheLockFilesNameIsReplacedNotOpened() throws Exception {
        Path cache = openCacheFolder();
        attacker.sh("mkfifo " + cache.resolve(key.fileName() + ".lock"));

        ChildJvm.Result result = credentialProcess(cache, true);

        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(accessKeyId(result).startsWith("ASIA"));
        assertTrue(result.stderr().contains("making it private"), result.stderr());
        assertTrue(result.stderr().contains("Replacing the MFA session lock file " + cache.resolve(key.fileName() + ".lock")
                                            + ": it is not a regular file"), result.stderr());
        assertTrue(Files.isRegularFile(cache.resolve(key.fileName() + ".lock"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aLockFileAnotherUserHoldsIsReplacedNotWaitedOn() throws Exception {
        Path cache = openCacheFolder();
        Path lockFile = cache.resolve(key.fileName() + ".lock");
        assumeTrue(new File("/usr/bin/python3").canExecute(), "python3 takes the other user's lock");
        attacker.sh("touch " + lockFile);
        // A POSIX record lock, the kind Java's FileChannel.lock takes, held by the other user until the test ends.
        Process holder = attacker.command("/usr/bin/python3", "-c",
                                          "import fcntl, sys, time\nf = open(sys.argv[1])\nfcntl.lockf(f, fcntl.LOCK_SH)\n"
                                          + "print('LOCKED', flush=True)\ntime.sleep(600)", lockFile.toString()).start();
        started.add(holder);
        assertEquals("LOCKED", new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine());

        ChildJvm.Result result = credentialProcess(cache, true);

        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(accessKeyId(result).startsWith("ASIA"));
        assertTrue(result.stderr().contains("Replacing the MFA session lock file " + lockFile + ": it is owned by " + attacker.name()),
                   result.stderr());
    }

    @Test
    void aSessionFileAnotherUserPlantedIsNeverUsed() throws Exception {
        Path cache = openCacheFolder();
        Path file = cache.resolve(key.fileName());
        attacker.sh("printf '%s' '" + forgedSession() + "' > " + file);

        ChildJvm.Result result = credentialProcess(cache, true);

        assertEquals(0, result.exitCode(), result.stderr());
        assertFalse(result.stdout().contains(FORGED_KEY), result.stdout());
        assertEquals(1, fixture.sts.getSessionTokenCalls());
        assertTrue(result.stderr().contains("Ignoring the MFA session cache file " + file + ": it is owned by " + attacker.name()),
                   result.stderr());
        assertTrue(Files.readString(file).contains(accessKeyId(result)), "replaced by the session from STS");
    }

    @Test
    void aCacheFolderOthersCanSwapIsRefusedAndFortyProcessesNeverGetAForgedSession() throws Exception {
        Path shared = Files.createDirectory(folder.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path cache = shared.resolve("cache");
        // This user's session, as a first run saves it; then the other user's folder with a forged one beside it.
        ChildJvm.Result first = credentialProcess(cache, true);
        assertEquals(0, first.exitCode(), first.stderr());
        Path decoy = shared.resolve("decoy");
        attacker.sh("mkdir " + decoy + " && printf '%s' '" + forgedSession() + "' > " + decoy.resolve(key.fileName()));

        List<ChildJvm.Result> results = whileExchanging(cache, decoy, 40);

        assertEquals(0, results.stream().filter(result -> result.stdout().contains(FORGED_KEY)).count(), "forged sessions handed out");
        for (ChildJvm.Result result : results) {
            assertTrue(result.stderr().contains("Ignoring the MFA session cache folder " + cache + ": " + shared
                                                + " can be written by other users"), result.stderr());
            assertEquals(1, result.exitCode(), "no code was given, and the folder is not trusted: " + result.stdout());
        }
        assertTrue(first.stderr().contains("can be written by other users"), first.stderr());
    }

    @Test
    void inAStickyFolderTheCacheFolderCannotBeSwappedAndIsUsed() throws Exception {
        Path shared = Files.createDirectory(folder.resolve("shared"));
        assertEquals(0, new ProcessBuilder("chmod", "1777", shared.toString()).start().waitFor());
        Path cache = shared.resolve("cache");
        ChildJvm.Result first = credentialProcess(cache, true);
        assertEquals(0, first.exitCode(), first.stderr());
        Path decoy = shared.resolve("decoy");
        attacker.sh("mkdir " + decoy + " && printf '%s' '" + forgedSession() + "' > " + decoy.resolve(key.fileName()));

        List<ChildJvm.Result> results = whileExchanging(cache, decoy, 8);

        for (ChildJvm.Result result : results) {
            assertEquals(0, result.exitCode(), result.stderr());
            assertEquals(accessKeyId(first), accessKeyId(result));
        }
        assertEquals(1, fixture.sts.getSessionTokenCalls());
    }

    @ParameterizedTest
    @ValueSource(strings = {"server.json", "token"})
    void aFifoAnotherUserPlantedInTheServerFolderIsIgnoredNotOpened(String name) throws Exception {
        Path cache = Files.createDirectory(folder.resolve("cache"));
        Path serve = Files.createDirectory(cache.resolve("serve"));
        // The files a server left (its process has ended), in a server folder this user left open to everyone.
        Files.writeString(serve.resolve("server.json"), "{\"pid\":" + endedProcess() + ",\"port\":1,\"started\":\"2026-01-01T00:00:00Z\","
                                                         + "\"profiles\":[\"dev\"]}");
        Files.writeString(serve.resolve("token"), "the-token");
        for (Path file : List.of(serve.resolve("server.json"), serve.resolve("token"))) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        Files.setPosixFilePermissions(serve, PosixFilePermissions.fromString("rwxrwxrwx"));
        attacker.sh("rm -f " + serve.resolve(name) + " && mkfifo " + serve.resolve(name));

        ChildJvm.Result result = serve(cache, "--stop");

        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stderr().contains("No server is running."), result.stderr());
        assertTrue(result.stderr().contains("The folder " + serve + " was open to other users"), result.stderr());
        assertTrue(result.stderr().contains("Ignoring the server file " + serve.resolve(name) + ": it is not a regular file"), result.stderr());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(serve)));
    }

    @Test
    void aServerFolderAnotherUserPutInTheCacheFolderIsRefusedBeforeAnyCodeIsAskedFor() throws Exception {
        Path cache = openCacheFolder();
        Path serve = cache.resolve("serve");
        // The other user's server folder, with a state that would send this user's clients to a port of its choice.
        attacker.sh("mkdir " + serve + " && printf '%s' '{\"pid\":1,\"port\":4444,\"started\":\"2026-01-01T00:00:00Z\",\"profiles\":[\"dev\"]}'"
                    + " > " + serve.resolve("server.json") + " && printf forged > " + serve.resolve("token"));

        ChildJvm.Result result = serve(cache, "--background", "--profile", "dev");

        assertEquals(1, result.exitCode(), result.stderr());
        assertEquals("", result.stdout(), "no lines that would point a client anywhere");
        assertTrue(result.stderr().contains("The server folder " + serve + " cannot be used: it is owned by " + attacker.name()), result.stderr());
        assertTrue(result.stderr().contains("The MFA session cache folder " + cache + " was open to other users"), result.stderr());
        assertEquals(0, fixture.sts.getSessionTokenCalls(), "refused before any code was asked for");
    }

    @Test
    void aServerFolderUnderAFolderOthersCanWriteIsRefusedBeforeAnyCodeIsAskedFor() throws Exception {
        Path shared = Files.createDirectory(folder.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path cache = Files.createDirectory(shared.resolve("cache"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));

        ChildJvm.Result result = serve(cache, "--background", "--profile", "dev");

        assertEquals(1, result.exitCode(), result.stderr());
        assertEquals("", result.stdout());
        assertTrue(result.stderr().contains("The server folder " + cache.resolve("serve") + " cannot be used: " + shared
                                            + " can be written by other users"), result.stderr());
        assertTrue(result.stderr().contains("chmod go-w " + shared), result.stderr());
        assertFalse(Files.exists(cache.resolve("serve"), LinkOption.NOFOLLOW_LINKS), "nothing made in a folder another user could swap");
        assertEquals(0, fixture.sts.getSessionTokenCalls(), "refused before any code was asked for");
    }

    /** A process id that no longer runs: that of a process that has ended. */
    private static long endedProcess() throws Exception {
        Process process = new ProcessBuilder("true").start();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        return process.pid();
    }

    /** The processes' results while the other user exchanges the two folders with renameat2(RENAME_EXCHANGE) in a tight loop. */
    private List<ChildJvm.Result> whileExchanging(Path cache, Path decoy, int processes) throws Exception {
        Path exchange = exchangeProgram();
        Path stop = folder.resolve("stop");
        Process loop = attacker.command(exchange.toString(), cache.toString(), decoy.toString(), stop.toString()).start();
        started.add(loop);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ChildJvm.Result>> runs = new ArrayList<>();
            for (int i = 0; i < processes; i++) {
                runs.add(pool.submit(() -> credentialProcess(cache, false)));
            }
            List<ChildJvm.Result> results = new ArrayList<>();
            for (Future<ChildJvm.Result> run : runs) {
                results.add(run.get(5, TimeUnit.MINUTES));
            }
            return results;
        } finally {
            pool.shutdownNow();
            Files.createFile(stop);
            loop.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A tiny C program that exchanges two paths atomically until a stop file appears, as an attacker would. */
    private Path exchangeProgram() throws Exception {
        assumeTrue(new File("/usr/bin/gcc").canExecute(), "gcc builds the folder-exchanging program");
        Path source = folder.resolve("exchange.c");
        Files.writeString(source, String.join("\n",
            "#define _GNU_SOURCE",
            "#include <fcntl.h>",
            "#include <stdio.h>",
            "#include <sys/syscall.h>",
            "#include <unistd.h>",
            "#define RENAME_EXCHANGE_FLAG (1 << 1)",
            "int main(int argc, char **argv) {",
            "  long exchanged = 0;",
            "  while (access(argv[3], F_OK) != 0) {",
            "    if (syscall(SYS_renameat2, AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE_FLAG) == 0) exchanged++;",
            "  }",
            "  printf(\"%ld\\n\", exchanged);",
            "  return 0;",
            "}", ""));
        Path program = folder.resolve("exchange");
        Process gcc = new ProcessBuilder("/usr/bin/gcc", "-O2", "-o", program.toString(), source.toString()).redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, gcc.waitFor(), output);
        return program;
    }
}
