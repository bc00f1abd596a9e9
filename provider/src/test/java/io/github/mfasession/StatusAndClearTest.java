package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mfasession.internal.cache.CacheFolder;
import io.github.mfasession.internal.cli.Main;
import io.github.mfasession.internal.session.Session;
import io.github.mfasession.internal.session.SessionKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * {@code status} and {@code clear} as a user runs them, in child JVMs, against real files in a real private cache
 * folder: what each file is and why it is not used, role sessions as role sessions, an unknown profile, and the lock
 * files {@code clear} removes or must leave.
 */
@Timeout(300)
class StatusAndClearTest {

    /** A name of the kind the cache gives {@code dev}'s files, for files planted in the folder. */
    private static final String PLANTED = "dev-00000000000000000000.json";

    @TempDir
    Path folder;
    StsFixture fixture;
    Path cache;

    @BeforeEach
    void start() {
        fixture = new StsFixture(folder);
        cache = folder.resolve("cache");
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

    private ChildJvm.Result run(String... args) throws Exception {
        return ChildJvm.run(ChildJvm.builder(Main.class, environment(false), args), folder);
    }

    private ChildJvm.Result session(String profile) throws Exception {
        ChildJvm.Result result = ChildJvm.run(ChildJvm.builder(Main.class, environment(true), "credential-process", "--profile", profile), folder);
        assertEquals(0, result.exitCode(), result.stderr());
        return result;
    }

    /** A session of {@code dev} saved by the cache itself, as if obtained 12 hours ago and ending at {@code expiration}. */
    private SessionKey saved(Instant expiration) {
        return saved(session(expiration));
    }

    private SessionKey saved(Session session) {
        SessionKey key = new SessionKey("dev", fixture.user.accessKeyId(), fixture.serial());
        new CacheFolder(cache).save(key, session);
        return key;
    }

    private static Session session(Instant expiration) {
        AwsSessionCredentials credentials = AwsSessionCredentials.builder().accessKeyId("ASIASAVEDFORTHETEST").secretAccessKey("saved-secret")
                                                                 .sessionToken("saved-token").expirationTime(expiration).build();
        return new Session(credentials, expiration.minus(Duration.ofHours(12)));
    }

    private Path planted(String content) throws IOException {
        Files.createDirectories(cache);
        Path file = Files.writeString(cache.resolve(PLANTED), content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** The lines {@code status} prints for the file: its name, then its indented findings. */
    private static String entry(String stdout, String fileName) {
        int start = stdout.indexOf("  " + fileName + "\n");
        assertTrue(start >= 0, "no entry for " + fileName + " in:\n" + stdout);
        int end = stdout.indexOf("\n  ", start + fileName.length() + 3);
        while (end >= 0 && stdout.startsWith("    ", end + 1)) {
            end = stdout.indexOf("\n  ", end + 1);
        }
        return end < 0 ? stdout.substring(start) : stdout.substring(start, end);
    }

    private static void assertFitsATerminal(String stdout) {
        stdout.lines().forEach(line -> assertTrue(line.length() <= 80, "longer than 80 columns: " + line));
    }

    @Test
    void statusOfAnUnknownProfileIsAnErrorNamingItAndTheFilesLookedIn() throws Exception {
        session("dev");

        ChildJvm.Result status = run("status", "--profile", "nobody");

        assertEquals(1, status.exitCode(), status.stdout());
        assertEquals("", status.stdout());
        assertTrue(status.stderr().contains("'nobody'"), status.stderr());
        assertTrue(status.stderr().contains(fixture.config.toString()) && status.stderr().contains(fixture.credentials.toString()), status.stderr());
    }

    @Test
    void clearOfAnUnknownProfileIsAnErrorNamingItAndTheFilesLookedInAndForgetsNothing() throws Exception {
        session("dev");

        ChildJvm.Result clear = run("clear", "--profile", "nobody");

        assertEquals(1, clear.exitCode(), clear.stdout());
        assertFalse(clear.stdout().contains("Forgot"), clear.stdout());
        assertTrue(clear.stderr().contains("'nobody'") && clear.stderr().contains(fixture.config.toString()), clear.stderr());
        assertTrue(run("status", "--profile", "dev").stdout().contains("MFA session of profile dev"));
    }

    @Test
    void aRoleSessionIsListedAsARoleSessionWithItsRoleItsSourceProfileAndDevice() throws Exception {
        String role = fixture.sts.addRole("prod-admin", true);
        fixture.writeConfig("[profile prod]\nrole_arn = " + role + "\nsource_profile = dev\nregion = us-east-1\nendpoint_url = "
                            + fixture.sts.endpoint() + "\n");
        JsonNode credentials = JsonNode.parser().parse(session("prod").stdout());

        ChildJvm.Result status = run("status");

        assertEquals(0, status.exitCode(), status.stderr());
        String roleEntry = status.stdout().lines().filter(line -> line.contains("role session")).findFirst().orElse("");
        assertEquals("    role session of profile prod", roleEntry, status.stdout());
        assertTrue(status.stdout().contains("    role " + role + "\n"), status.stdout());
        assertTrue(status.stdout().contains("    assumed with the MFA session of profile dev, device\n      " + fixture.serial() + "\n"),
                   status.stdout());
        assertTrue(status.stdout().contains("    MFA session of profile dev\n"), status.stdout());
        assertFalse(status.stdout().contains(credentials.field("AccessKeyId").orElseThrow().text()), status.stdout());
        assertFalse(status.stdout().contains(credentials.field("SecretAccessKey").orElseThrow().text()), status.stdout());
        assertFalse(status.stdout().contains(credentials.field("SessionToken").orElseThrow().text()), status.stdout());
        assertFitsATerminal(status.stdout());
    }

    @Test
    void statusOfAProfileShowsOnlyItsFiles() throws Exception {
        String role = fixture.sts.addRole("prod-admin", true);
        fixture.writeConfig("[profile prod]\nrole_arn = " + role + "\nsource_profile = dev\nregion = us-east-1\nendpoint_url = "
                            + fixture.sts.endpoint() + "\n");
        session("prod");
        planted("{");
        SessionKey prod = SessionKey.forRole("prod", role, fixture.serial(), fixture.user.accessKeyId());

        ChildJvm.Result status = run("status", "--profile", "prod");

        assertEquals(0, status.exitCode(), status.stderr());
        assertTrue(status.stdout().startsWith("Cached MFA sessions of profile 'prod' in " + cache + ":\n  " + prod.fileName() + "\n"),
                   status.stdout());
        assertTrue(status.stdout().contains("  " + prod.fileName() + ".lock\n"), status.stdout());
        assertFalse(status.stdout().contains("  dev-"), status.stdout());
    }

    @Test
    void statusOfAFolderThatCannotBeUsedSaysWhy() throws Exception {
        Files.createSymbolicLink(cache, Files.createDirectory(folder.resolve("elsewhere")));

        ChildJvm.Result status = run("status");

        assertEquals(0, status.exitCode(), status.stderr());
        String unwrapped = status.stdout().replace("\n  ", " ");
        assertTrue(unwrapped.startsWith("The MFA session cache folder " + cache + " is not used: it is a symbolic link"), status.stdout());
        assertTrue(status.stderr().contains("Ignoring the MFA session cache folder " + cache), status.stderr());
    }

    @Test
    void aValidSessionShowsItsTimeLeftAndThatItIsUsedAsItIs() throws Exception {
        SessionKey key = saved(Instant.now().plus(Duration.ofHours(3)));

        String shown = entry(run("status").stdout(), key.fileName());

        assertTrue(shown.contains("MFA session of profile dev\n    device " + fixture.serial()), shown);
        assertTrue(shown.contains("(2h 59m left)") && shown.contains("valid: used as it is"), shown);
    }

    @Test
    void aSessionInTheAdvisoryRefreshWindowIsSaidToBeRenewedAtTheNextUse() throws Exception {
        SessionKey key = saved(Instant.now().plus(Duration.ofMinutes(4)));

        String shown = entry(run("status").stdout(), key.fileName());

        assertTrue(shown.contains("in the advisory refresh window: the next use tries for a new one"), shown);
    }

    @Test
    void aSessionWhoseRenewalFailedIsSaidToBeUsedUntilTheNextTry() throws Exception {
        Instant retryAfter = Instant.now().plus(Duration.ofMinutes(2)).truncatedTo(ChronoUnit.SECONDS);
        SessionKey key = saved(session(Instant.now().plus(Duration.ofMinutes(4))).retryAfter(retryAfter));

        String shown = entry(run("status").stdout(), key.fileName());

        assertTrue(shown.contains("in the advisory refresh window, but a renewal failed: used as it is until\n    " + retryAfter
                                  + ", then the next use tries again"), shown);
    }

    @Test
    void aSessionInTheMandatoryRefreshWindowIsSaidToNeedANewOne() throws Exception {
        SessionKey key = saved(Instant.now().plus(Duration.ofSeconds(40)));

        String shown = entry(run("status").stdout(), key.fileName());

        assertTrue(shown.contains("in the mandatory refresh window: the next use must get a new one"), shown);
    }

    @Test
    void anExpiredSessionIsSaidToBeExpiredAndNotUsed() throws Exception {
        SessionKey key = saved(Instant.now().minus(Duration.ofHours(1)));

        String shown = entry(run("status").stdout(), key.fileName());

        assertTrue(shown.contains("expired at ") && shown.contains("not used"), shown);
    }

    @Test
    void aSessionFileOpenToOtherUsersIsShownAsNotTrustedAndWarnedAbout() throws Exception {
        SessionKey key = saved(Instant.now().plus(Duration.ofHours(3)));
        Files.setPosixFilePermissions(cache.resolve(key.fileName()), PosixFilePermissions.fromString("rw-r--r--"));

        ChildJvm.Result status = run("status");

        String shown = entry(status.stdout(), key.fileName());
        assertTrue(shown.contains("not trusted, not used: it is open to other users (rw-r--r--"), shown);
        assertTrue(status.stderr().contains("Ignoring the MFA session cache file " + cache.resolve(key.fileName())), status.stderr());
        assertFalse(status.stdout().contains("ASIASAVEDFORTHETEST") || status.stdout().contains("saved-secret"), status.stdout());
    }

    @Test
    void aSymbolicLinkIsShownAsNotTrustedAndItsTargetIsNeverRead() throws Exception {
        Path target = Files.writeString(folder.resolve("elsewhere.json"), "{\"Version\":1}");
        Files.createDirectories(cache);
        Files.createSymbolicLink(cache.resolve(PLANTED), target);

        String shown = entry(run("status").stdout(), PLANTED);

        assertTrue(shown.contains("not trusted, not used: it is a symbolic link"), shown);
    }

    @Test
    void aFifoIsShownAsNotTrustedWithoutBeingOpened() throws Exception {
        Files.createDirectories(cache);
        Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", cache.resolve(PLANTED).toString()).start();
        assumeTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo is needed to make a FIFO");

        String shown = entry(run("status").stdout(), PLANTED);

        assertTrue(shown.contains("not trusted, not used: it is not a regular file (a FIFO"), shown);
    }

    @Test
    void aFileOfAnotherUserIsShownAsNotTrustedNamingTheOwner() throws Exception {
        OtherUser other = OtherUser.named("mfa-attacker");
        other.owns(planted("{}"));

        String shown = entry(run("status").stdout(), PLANTED);

        assertTrue(shown.contains("not trusted, not used: it is owned by mfa-attacker"), shown);
    }

    @Test
    void aFileTooLargeForASessionIsShownAsNotTrusted() throws Exception {
        planted("x".repeat(70 * 1024));

        String shown = entry(run("status").stdout(), PLANTED);

        assertTrue(shown.contains("not trusted, not used: it is too large"), shown);
    }

    @Test
    void aCorruptFileIsShownAsCorruptAndWarnedAbout() throws Exception {
        planted("{\"Version\":1,\"Profile\":\"dev\"");

        ChildJvm.Result status = run("status");

        assertTrue(entry(status.stdout(), PLANTED).contains("corrupt, not used: it is not valid JSON"), status.stdout());
        assertTrue(status.stderr().contains(PLANTED), status.stderr());
    }

    @Test
    void clearRemovesTheLockFilesNobodyHoldsAndSaysWhatItRemoved() throws Exception {
        session("dev");
        SessionKey key = new SessionKey("dev", fixture.user.accessKeyId(), fixture.serial());
        assertTrue(Files.exists(cache.resolve(key.fileName() + ".lock")), "credential-process left its lock file");

        ChildJvm.Result clear = run("clear", "--profile", "dev");

        assertEquals(0, clear.exitCode(), clear.stderr());
        assertTrue(clear.stdout().startsWith("Forgot 1 cached MFA session of profile 'dev' in " + cache + ".\n"), clear.stdout());
        assertTrue(clear.stdout().contains("  removed " + key.fileName() + "\n"), clear.stdout());
        assertTrue(clear.stdout().contains("  removed " + key.fileName() + ".lock (a lock file no process held)\n"), clear.stdout());
        assertFalse(Files.exists(cache.resolve(key.fileName() + ".lock")));
        assertTrue(run("status").stdout().startsWith("No cached MFA sessions"));
    }

    @Test
    void clearLeavesALockFileThatAnotherProcessHolds() throws Exception {
        Path asking = folder.resolve("asking");
        fixture.writeConfig("mfa_process = touch " + asking + "; sleep 100; echo 000000\n");
        Map<String, String> environment = environment(false);
        environment.put("AWS_MFA_CODE_SUPPLIER", "process");
        Process holder = ChildJvm.builder(Main.class, environment, "credential-process", "--profile", "dev")
                                 .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(asking) && System.nanoTime() < deadline && holder.isAlive()) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(asking), "credential-process is asking for a code, holding the lock");
            String lock = new SessionKey("dev", fixture.user.accessKeyId(), fixture.serial()).fileName() + ".lock";

            ChildJvm.Result clear = run("clear");

            assertEquals(0, clear.exitCode(), clear.stderr());
            assertTrue(clear.stdout().contains("  kept " + lock + ": another process holds it"), clear.stdout());
            assertTrue(Files.exists(cache.resolve(lock)), "the lock file in use is still there");
        } finally {
            holder.descendants().forEach(ProcessHandle::destroyForcibly);
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void clearRemovesALinkWithoutFollowingItAndLeavesAnotherUsersFile() throws Exception {
        Path target = Files.writeString(folder.resolve("not-ours.json"), "keep me");
        Files.createDirectories(cache);
        Files.createSymbolicLink(cache.resolve(PLANTED), target);
        Files.writeString(cache.resolve("notes.txt"), "not a cache file");
        OtherUser other = OtherUser.named("mfa-attacker");
        Path foreign = Files.writeString(cache.resolve("dev-11111111111111111111.json"), "{}");
        other.owns(foreign);

        ChildJvm.Result clear = run("clear");

        assertEquals(0, clear.exitCode(), clear.stderr());
        assertFalse(Files.exists(cache.resolve(PLANTED), LinkOption.NOFOLLOW_LINKS), "the link is gone");
        assertEquals("keep me", Files.readString(target), "its target is untouched");
        assertTrue(Files.exists(foreign), "another user's file is left");
        assertTrue(Files.exists(cache.resolve("notes.txt")), "a file that is not the cache's is left");
        assertTrue(clear.stdout().contains("  left dev-11111111111111111111.json: it is owned by mfa-attacker"), clear.stdout());
    }

    @Test
    void clearOfAFolderThatCannotBeUsedIsAnErrorNotForgotZero() throws Exception {
        Path elsewhere = Files.createDirectory(folder.resolve("elsewhere"));
        Files.createSymbolicLink(cache, elsewhere);

        ChildJvm.Result clear = run("clear");

        assertEquals(1, clear.exitCode(), clear.stdout());
        assertFalse(clear.stdout().contains("Forgot"), clear.stdout());
        assertTrue(clear.stderr().contains(cache + " cannot be used: it is a symbolic link"), clear.stderr());
    }
}
