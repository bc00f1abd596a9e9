package io.github.mfasession.internal.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mfasession.MfaSessionException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server folder as the user's other processes use it, and as another local user might tamper with it: what is
 * written, what is trusted, and how a server that no longer runs is told from a live one.
 */
class ServerFolderTest {

    @TempDir
    Path folder;

    private ServerFolder serverFolder() {
        return new ServerFolder(folder);
    }

    private static ServerState state(long pid, int port) {
        return new ServerState(pid, port, List.of("dev", "prod"), Instant.parse("2026-01-01T00:00:00Z"), "the-token");
    }

    /** A process id that no longer runs: that of a process that has ended. */
    private static long endedProcess() throws Exception {
        Process process = new ProcessBuilder("true").start();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        return process.pid();
    }

    @Test
    void theStateIsWrittenPrivateAndReadBackWhole() throws Exception {
        ServerFolder serverFolder = serverFolder();

        serverFolder.write(state(1234, 4567));

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(serverFolder.path())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(serverFolder.tokenFile())));
        assertEquals("the-token", Files.readString(serverFolder.tokenFile()), "the token alone, no line break");
        ServerState read = serverFolder.read().orElseThrow();
        assertEquals(1234, read.pid());
        assertEquals(4567, read.port());
        assertEquals(List.of("dev", "prod"), read.profiles());
        assertEquals("the-token", read.token());
        try (var entries = Files.list(serverFolder.path())) {
            assertTrue(entries.noneMatch(entry -> entry.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void theStateOfAProcessThatHasEndedIsStaleNotLive() throws Exception {
        ServerFolder serverFolder = serverFolder();
        serverFolder.write(state(endedProcess(), 4567));

        RunningServer.Lookup found = RunningServer.find(serverFolder);

        assertTrue(found.live().isEmpty());
        assertTrue(found.stale().isPresent());
    }

    @Test
    void theStateOfALiveProcessWhosePortDoesNotAnswerWithItsTokenIsStale() throws Exception {
        ServerFolder serverFolder = serverFolder();
        // This JVM is alive; the port is held by something that is not the server, as after a crash and a reuse.
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            serverFolder.write(state(ProcessHandle.current().pid(), other.getLocalPort()));

            RunningServer.Lookup found = RunningServer.find(serverFolder);

            assertTrue(found.live().isEmpty());
            assertTrue(found.stale().isPresent());
        }
    }

    @Test
    void removingStaleStateLeavesNoStateOrTokenFile() throws Exception {
        ServerFolder serverFolder = serverFolder();
        serverFolder.write(state(endedProcess(), 4567));

        RunningServer.find(serverFolder).removeStale();

        assertTrue(serverFolder.read().isEmpty());
        assertFalse(Files.exists(serverFolder.tokenFile()));
        assertFalse(Files.exists(serverFolder.path().resolve(ServerFolder.STATE_FILE)));
    }

    @Test
    void aServerRemovesOnlyItsOwnStateNeverItsSuccessors() {
        ServerFolder serverFolder = serverFolder();
        serverFolder.write(state(2222, 4567));

        serverFolder.remove(1111);

        assertEquals(2222, serverFolder.read().orElseThrow().pid());
    }

    @Test
    void aStateFileOpenToOtherUsersIsNotTrusted() throws Exception {
        ServerFolder serverFolder = serverFolder();
        serverFolder.write(state(1234, 4567));
        Files.setPosixFilePermissions(serverFolder.path().resolve(ServerFolder.STATE_FILE), PosixFilePermissions.fromString("rw-rw-rw-"));

        assertTrue(serverFolder.read().isEmpty());
    }

    @Test
    void aSymbolicLinkInPlaceOfAStateFileIsNotFollowed() throws Exception {
        ServerFolder serverFolder = serverFolder();
        serverFolder.write(state(1234, 4567));
        Path elsewhere = Files.writeString(folder.resolve("elsewhere.json"), new String(state(9999, 1).toJson()));
        Files.delete(serverFolder.path().resolve(ServerFolder.STATE_FILE));
        Files.createSymbolicLink(serverFolder.path().resolve(ServerFolder.STATE_FILE), elsewhere);

        assertTrue(serverFolder.read().isEmpty());
    }

    @Test
    void aSymbolicLinkInPlaceOfTheFolderIsRefusedWithWhatToDo() throws Exception {
        Path target = Files.createDirectory(folder.resolve("target"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
        Files.createSymbolicLink(folder.resolve("serve"), target);

        MfaSessionException refused = assertThrows(MfaSessionException.class, () -> serverFolder().write(state(1234, 4567)));

        assertTrue(refused.getMessage().contains("symbolic link") && refused.getMessage().contains("AWS_MFA_CACHE_DIR"), refused.getMessage());
        try (var entries = Files.list(target)) {
            assertEquals(0, entries.count(), "nothing written through the link");
        }
    }

    @Test
    void aFolderOpenToOthersIsMadePrivateBeforeAnythingIsWrittenInIt() throws Exception {
        Path path = Files.createDirectory(folder.resolve("serve"));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxrwxrwx"));

        serverFolder().write(state(1234, 4567));

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
    }

    @Test
    void aRelativeCacheFolderIsRefusedWithWhatToDo() {
        ServerFolder relative = new ServerFolder(Paths.get("relative", "cache"));

        MfaSessionException refused = assertThrows(MfaSessionException.class, relative::read);

        assertTrue(refused.getMessage().contains("relative path") && refused.getMessage().contains("AWS_MFA_CACHE_DIR"), refused.getMessage());
        assertFalse(Files.exists(Paths.get("relative")), "nothing looked for or made in the folder the test runs in");
    }

    @Test
    void aFolderOwnedByAnotherUserIsRefused() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "Only root can give a folder to another user; run as root to check this.");
        Path path = Files.createDirectory(folder.resolve("serve"));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        UserPrincipal nobody = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(path, nobody);

        MfaSessionException refused = assertThrows(MfaSessionException.class, () -> serverFolder().read());

        assertTrue(refused.getMessage().contains("owned by nobody"), refused.getMessage());
    }

    @Test
    void aFifoInPlaceOfTheLockFileIsRefusedNotWaitedOn() throws Exception {
        ServerFolder serverFolder = serverFolder();
        serverFolder.write(state(1234, 4567));
        Process mkfifo = new ProcessBuilder("mkfifo", serverFolder.path().resolve("serve.lock").toString()).start();
        assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo is not available here.");

        MfaSessionException refused = assertThrows(MfaSessionException.class, () -> serverFolder.lock(Duration.ofSeconds(1)));

        assertTrue(refused.getMessage().contains("not a regular file"), refused.getMessage());
    }

    @Test
    void theLockIsHeldByOneAtATimeAndASecondGivesUpWithAClearMessage() throws Exception {
        ServerFolder serverFolder = serverFolder();
        try (ServerFolder.Lock held = serverFolder.lock(Duration.ofSeconds(5))) {
            ExecutorService other = Executors.newSingleThreadExecutor();
            Future<MfaSessionException> attempt = other.submit(
                () -> assertThrows(MfaSessionException.class, () -> serverFolder.lock(Duration.ofMillis(200))));
            other.shutdown();
            MfaSessionException refused = attempt.get(10, TimeUnit.SECONDS);
            assertTrue(refused.getMessage().startsWith("Another serve command held the lock"), refused.getMessage());
        }
        try (ServerFolder.Lock again = serverFolder.lock(Duration.ofSeconds(1))) {
            assertTrue(Files.isRegularFile(serverFolder.path().resolve("serve.lock")));
        }
    }
}
