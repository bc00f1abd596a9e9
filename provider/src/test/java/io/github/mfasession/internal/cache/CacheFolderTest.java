package io.github.mfasession.internal.cache;

import static io.github.mfasession.internal.cache.TestSessions.assertPrivateFolder;
import static io.github.mfasession.internal.cache.TestSessions.assertPrivateRegularFile;
import static io.github.mfasession.internal.cache.TestSessions.assertSameSession;
import static io.github.mfasession.internal.cache.TestSessions.key;
import static io.github.mfasession.internal.cache.TestSessions.session;
import static io.github.mfasession.internal.cache.TestSessions.temporaryFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.internal.session.Session;
import io.github.mfasession.internal.session.SessionKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

class CacheFolderTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant IN_12_HOURS = NOW.plus(Duration.ofHours(12));

    @TempDir
    Path home;

    private Path folder() {
        return home.resolve(".aws").resolve("mfa-session").resolve("cache");
    }

    private CacheFolder store() {
        return TestSessions.folder(folder(), Duration.ofSeconds(5));
    }

    @Test
    void aSavedSessionLoadsWithTheSameCredentialsExpirationAndTimeObtained() {
        Session saved = session("ASIAROUNDTRIP", IN_12_HOURS, NOW);
        store().save(key("dev"), saved);

        Session loaded = store().load(key("dev")).orElseThrow();

        assertSameSession(saved, loaded);
        assertEquals(Optional.of(NOW), loaded.obtained());
        assertEquals(Optional.empty(), loaded.retryAfter());
    }

    @Test
    void aBackOffAfterAFailedRenewalIsSavedSoOtherProcessesBackOffToo() {
        store().save(key("dev"), session("ASIABACKOFF", IN_12_HOURS, NOW).retryAfter(NOW.plus(Duration.ofMinutes(5))));

        assertEquals(Optional.of(NOW.plus(Duration.ofMinutes(5))), store().load(key("dev")).orElseThrow().retryAfter());
    }

    @Test
    void aSessionTooLargeToBeReadBackIsNotWritten() {
        String token = "t".repeat(70 * 1024);
        Session huge = new Session(software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create("ASIAHUGE", "secret", token)
                                                                                          .toBuilder().expirationTime(IN_12_HOURS).build(), NOW);
        store().save(key("dev"), session("ASIABEFORE", IN_12_HOURS));

        String log = io.github.mfasession.StandardError.printedWhile(() -> store().save(key("dev"), huge));

        assertTrue(log.contains("Not saving the MFA session for profile 'dev'") && log.contains("larger than the 65536 bytes"), log);
        assertEquals("ASIABEFORE", store().load(key("dev")).orElseThrow().credentials().accessKeyId(), "the file was left as it was");
    }

    @Test
    void theFileIsNamedBySessionKeyAndPrivate() throws IOException {
        store().save(key("dev"), session("ASIAMODE", IN_12_HOURS));

        assertPrivateRegularFile(folder().resolve(key("dev").fileName()));
        assertEquals(folder().resolve(key("dev").fileName()), store().file(key("dev")));
    }

    @Test
    void theFolderAndItsMissingParentsAreCreatedPrivate() throws IOException {
        store().save(key("dev"), session("ASIAFOLDER", IN_12_HOURS));

        assertPrivateFolder(folder());
        assertPrivateFolder(home.resolve(".aws"));
    }

    @Test
    void aFolderOpenToOthersIsMadePrivateBeforeWriting() throws IOException {
        Files.createDirectories(folder());
        Files.setPosixFilePermissions(folder(), PosixFilePermissions.fromString("rwxr-xr-x"));

        store().save(key("dev"), session("ASIATIGHTEN", IN_12_HOURS));

        assertPrivateFolder(folder());
    }

    @Test
    void savingLeavesOnlyTheSessionFile() throws IOException {
        store().save(key("dev"), session("ASIAFIRST", IN_12_HOURS));
        store().save(key("dev"), session("ASIASECOND", IN_12_HOURS));

        try (Stream<Path> files = Files.list(folder())) {
            assertEquals(List.of(key("dev").fileName()), files.map(f -> f.getFileName().toString()).collect(Collectors.toList()));
        }
        assertEquals("ASIASECOND", store().load(key("dev")).orElseThrow().credentials().accessKeyId());
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFileAndDoesNotThrow() throws IOException {
        // A non-empty folder where the session file should be: the final rename cannot replace it.
        Path blocker = folder().resolve(key("dev").fileName());
        Files.createDirectories(blocker.resolve("inside"));

        store().save(key("dev"), session("ASIABLOCKED", IN_12_HOURS));

        assertEquals(List.of(), temporaryFiles(folder()));
        assertTrue(Files.isDirectory(blocker));
    }

    @Test
    void savingOnAnInterruptedThreadLeavesNoTemporaryFileAndKeepsTheInterrupt() throws IOException {
        store().save(key("dev"), session("ASIABEFORE", IN_12_HOURS));

        Thread.currentThread().interrupt();
        store().save(key("dev"), session("ASIAINTERRUPTED", IN_12_HOURS));

        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        assertEquals(List.of(), temporaryFiles(folder()));
        assertTrue(store().load(key("dev")).isPresent(), "the file is either the old session or the new one");
    }

    @Test
    void theFileHoldsOnlyTheSessionItsProfileDeviceAndFormatVersion() throws IOException {
        store().save(key("dev"), session("ASIAFIELDS", IN_12_HOURS));

        JsonNode json = JsonNode.parser().parse(Files.readAllBytes(store().file(key("dev"))));

        assertEquals(Set.of("Version", "Profile", "MfaSerial", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration", "RenewAt", "Obtained"),
                     json.asObject().keySet());
        assertEquals("1", json.field("Version").orElseThrow().asNumber());
        assertEquals("dev", json.field("Profile").orElseThrow().asString());
        assertEquals(TestSessions.SERIAL, json.field("MfaSerial").orElseThrow().asString());
        assertEquals(IN_12_HOURS.toString(), json.field("Expiration").orElseThrow().asString());
    }

    @Test
    void eachKeyHasItsOwnFile() {
        SessionKey otherKeys = new SessionKey("dev", "AKIAOTHERKEYEXAMPLE", TestSessions.SERIAL);
        store().save(key("dev"), session("ASIAFIRSTKEY", IN_12_HOURS));
        store().save(otherKeys, session("ASIASECONDKEY", IN_12_HOURS));

        assertEquals("ASIAFIRSTKEY", store().load(key("dev")).orElseThrow().credentials().accessKeyId());
        assertEquals("ASIASECONDKEY", store().load(otherKeys).orElseThrow().credentials().accessKeyId());
    }

    @Test
    void nothingIsLoadedWhenThereIsNoFolderAndNothingIsCreated() {
        assertEquals(Optional.empty(), store().load(key("dev")));
        assertFalse(Files.exists(home.resolve(".aws")));
    }

    @Test
    void locksAreTakenInTheFolderAndTheActionsResultReturned() {
        AtomicInteger runs = new AtomicInteger();

        String result = TestSessions.locked(store(), key("dev"), () -> runs.incrementAndGet() == 1 ? "ran" : "twice");

        assertEquals("ran", result);
        assertTrue(Files.isRegularFile(store().lockFile(key("dev"))));
    }

    @Test
    void theLockFileIsPrivate() throws IOException {
        TestSessions.locked(store(), key("dev"), () -> "ran");

        assertPrivateRegularFile(store().lockFile(key("dev")));
    }

    @Test
    void aNestedLockForTheSameKeyRunsAtOnce() {
        CacheFolder store = store();

        String result = TestSessions.locked(store, key("dev"), () -> TestSessions.locked(store, key("dev"), () -> "inner"));

        assertEquals("inner", result);
    }

    @Test
    void listShowsTheProfileDeviceAndExpirationOfEachSession() {
        store().save(key("prod"), session("ASIAPROD", IN_12_HOURS));
        store().save(key("dev"), session("ASIADEV", NOW.plus(Duration.ofHours(1))));

        List<StoredSession> sessions = store().list();

        assertEquals(List.of("dev", "prod"), sessions.stream().map(StoredSession::profile).collect(Collectors.toList()));
        assertEquals(NOW.plus(Duration.ofHours(1)), sessions.get(0).expiration());
        assertEquals(TestSessions.SERIAL, sessions.get(1).mfaSerial());
        assertEquals(store().file(key("prod")), sessions.get(1).file());
    }

    @Test
    void listIncludesExpiredSessionsSoStatusCanShowThem() {
        store().save(key("dev"), session("ASIAOLD", NOW.minus(Duration.ofHours(1))));

        List<StoredSession> sessions = store().list();

        assertEquals(1, sessions.size());
        assertTrue(sessions.get(0).isExpiredAt(NOW));
    }

    @Test
    void listedSessionsShowNoSecret() {
        store().save(key("dev"), session("ASIASHOWN", IN_12_HOURS));

        String shown = store().list().toString();

        assertTrue(shown.contains("dev"), shown);
        assertFalse(shown.contains("secret-of-"), shown);
        assertFalse(shown.contains("token-of-"), shown);
        assertFalse(shown.contains("ASIASHOWN"), shown);
    }

    @Test
    void listLeavesOutFilesThatCannotBeTrusted() throws IOException {
        store().save(key("dev"), session("ASIAGOOD", IN_12_HOURS));
        Files.write(folder().resolve("junk.json"), "{not json".getBytes());

        assertEquals(List.of("dev"), store().list().stream().map(StoredSession::profile).collect(Collectors.toList()));
    }

    @Test
    void clearingAProfileDeletesOnlyItsSessions() {
        store().save(key("dev"), session("ASIADEV", IN_12_HOURS));
        store().save(key("prod"), session("ASIAPROD", IN_12_HOURS));

        assertEquals(List.of(store().file(key("dev"))), store().clear(Optional.of("dev")).sessionFiles());

        assertEquals(Optional.empty(), store().load(key("dev")));
        assertTrue(store().load(key("prod")).isPresent());
    }

    @Test
    void clearingEverythingDeletesEverySessionFileAndTheLockFilesNobodyHolds() throws IOException {
        TestSessions.locked(store(), key("dev"), () -> {
            store().save(key("dev"), session("ASIADEV", IN_12_HOURS));
            return "saved";
        });
        store().save(key("prod"), session("ASIAPROD", IN_12_HOURS));
        Files.write(folder().resolve("junk.json"), "{not json".getBytes());

        CacheFolder.Cleared cleared = store().clear(Optional.empty());

        assertEquals(3, cleared.sessionFiles().size());
        assertEquals(List.of(store().lockFile(key("dev"))), cleared.lockFiles());
        assertEquals(List.of(), store().list());
        assertFalse(Files.exists(folder().resolve("junk.json")));
        assertFalse(Files.exists(store().lockFile(key("dev"))));
    }

    @Test
    void aLockFileInUseIsKeptByClear() throws Exception {
        store().save(key("dev"), session("ASIADEV", IN_12_HOURS));
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread holder = new Thread(() -> TestSessions.locked(store(), key("dev"), () -> {
            holding.countDown();
            await(release);
            return "held";
        }));
        holder.start();
        holding.await();
        try {
            CacheFolder.Cleared cleared = store().clear(Optional.of("dev"));

            assertEquals(List.of(store().file(key("dev"))), cleared.sessionFiles());
            assertEquals(List.of(), cleared.lockFiles());
            assertTrue(Files.exists(store().lockFile(key("dev"))));
        } finally {
            release.countDown();
            holder.join();
        }
    }

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void inspectionNamesEachFileWithItsSessionOrWhyItIsNotUsed() throws IOException {
        store().save(key("dev"), session("ASIADEV", IN_12_HOURS));
        TestSessions.locked(store(), key("dev"), () -> "ran");
        Files.write(folder().resolve("junk.json"), "{not json".getBytes());

        List<CachedFile> files = store().inspect().files();

        assertEquals(3, files.size(), files.toString());
        assertEquals("dev", files.get(0).session().orElseThrow().profile());
        assertEquals(IN_12_HOURS, files.get(0).session().orElseThrow().expiration());
        CachedFile lock = files.stream().filter(f -> f.kind() == CachedFile.Kind.LOCK).findFirst().orElseThrow();
        assertEquals(Optional.empty(), lock.problem());
        CachedFile junk = files.stream().filter(f -> f.file().endsWith("junk.json")).findFirst().orElseThrow();
        assertTrue(junk.problem().orElseThrow().startsWith("is open to other users"), junk.problem().toString());
        assertFalse(files.toString().contains("secret-of-"), files.toString());
    }

    @Test
    void clearingAMissingFolderDeletesNothing() {
        assertEquals(List.of(), store().clear(Optional.empty()).sessionFiles());
    }

    @Test
    void clearingAProfileRemovesItsLockFileLeftWithoutASessionFile() throws IOException {
        TestSessions.locked(store(), key("dev"), () -> "ran");
        TestSessions.locked(store(), key("prod"), () -> "ran");

        CacheFolder.Cleared cleared = store().clear(Optional.of("dev"));

        assertEquals(List.of(store().lockFile(key("dev"))), cleared.lockFiles());
        assertTrue(Files.exists(store().lockFile(key("prod"))), "another profile's lock file stays");
    }

    @Test
    void clearingLeavesEntriesWhoseNamesAreNotTheCachesAndFolders() throws IOException {
        store().save(key("dev"), session("ASIADEV", IN_12_HOURS));
        Files.writeString(folder().resolve("notes.txt"), "mine");
        Files.createDirectory(folder().resolve("serve"));
        Files.createDirectory(folder().resolve("folder.json"));

        CacheFolder.Cleared cleared = store().clear(Optional.empty());

        assertEquals(List.of(store().file(key("dev"))), cleared.sessionFiles());
        assertEquals(Map.of(folder().resolve("folder.json"), "it is a folder"), cleared.left());
        assertTrue(Files.exists(folder().resolve("notes.txt")) && Files.isDirectory(folder().resolve("serve")));
    }

    @Test
    void inspectionTellsAFileThatIsNotTrustedFromOneThatIsCorrupt() throws IOException {
        Files.createDirectories(folder());
        Files.setPosixFilePermissions(Files.writeString(folder().resolve("corrupt.json"), "{"), PosixFilePermissions.fromString("rw-------"));
        Files.writeString(folder().resolve("open.json"), "{}");

        Map<String, CachedFile.Trouble> troubles = store().inspect().files().stream()
            .collect(Collectors.toMap(f -> f.file().getFileName().toString(), f -> f.trouble().orElseThrow()));

        assertEquals(Map.of("corrupt.json", CachedFile.Trouble.CORRUPT, "open.json", CachedFile.Trouble.UNTRUSTED), troubles);
    }

    @Test
    void inspectionKeepsWhenASessionWasObtainedAndWhenARenewalMayBeTriedAgain() {
        Instant obtained = IN_12_HOURS.minus(Duration.ofHours(12));
        store().save(key("dev"), session("ASIADEV", IN_12_HOURS, obtained).retryAfter(NOW.plusSeconds(60)));

        StoredSession stored = store().inspect().files().get(0).session().orElseThrow();

        assertEquals(Optional.of(obtained), stored.obtained());
        assertEquals(Optional.of(NOW.plusSeconds(60)), stored.retryAfter());
    }
}
