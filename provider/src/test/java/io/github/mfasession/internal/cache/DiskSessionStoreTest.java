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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

class DiskSessionStoreTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant IN_12_HOURS = NOW.plus(Duration.ofHours(12));
    private static final Instant RENEW_AT = IN_12_HOURS.minus(Duration.ofMinutes(5));

    @TempDir
    Path home;

    private Path folder() {
        return home.resolve(".aws").resolve("mfa-session").resolve("cache");
    }

    private DiskSessionStore store() {
        return store(Duration.ofMinutes(5));
    }

    private DiskSessionStore store(Duration refreshBefore) {
        return new DiskSessionStore(folder(), refreshBefore, Duration.ofSeconds(5), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void aSavedSessionLoadsWithTheSameCredentialsAndExpiration() {
        Session saved = session("ASIAROUNDTRIP", IN_12_HOURS, RENEW_AT);
        store().save(key("dev"), saved);

        Session loaded = store().load(key("dev")).orElseThrow();

        assertSameSession(saved, loaded);
        assertEquals(RENEW_AT, loaded.renewAt());
    }

    @Test
    void theFileIsNamedBySessionKeyAndPrivate() throws IOException {
        store().save(key("dev"), session("ASIAMODE", IN_12_HOURS, RENEW_AT));

        assertPrivateRegularFile(folder().resolve(key("dev").fileName()));
        assertEquals(folder().resolve(key("dev").fileName()), store().file(key("dev")));
    }

    @Test
    void theFolderAndItsMissingParentsAreCreatedPrivate() throws IOException {
        store().save(key("dev"), session("ASIAFOLDER", IN_12_HOURS, RENEW_AT));

        assertPrivateFolder(folder());
        assertPrivateFolder(home.resolve(".aws"));
    }

    @Test
    void aFolderOpenToOthersIsMadePrivateBeforeWriting() throws IOException {
        Files.createDirectories(folder());
        Files.setPosixFilePermissions(folder(), PosixFilePermissions.fromString("rwxr-xr-x"));

        store().save(key("dev"), session("ASIATIGHTEN", IN_12_HOURS, RENEW_AT));

        assertPrivateFolder(folder());
    }

    @Test
    void savingLeavesOnlyTheSessionFile() throws IOException {
        store().save(key("dev"), session("ASIAFIRST", IN_12_HOURS, RENEW_AT));
        store().save(key("dev"), session("ASIASECOND", IN_12_HOURS, RENEW_AT));

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

        store().save(key("dev"), session("ASIABLOCKED", IN_12_HOURS, RENEW_AT));

        assertEquals(List.of(), temporaryFiles(folder()));
        assertTrue(Files.isDirectory(blocker));
    }

    @Test
    void savingOnAnInterruptedThreadLeavesNoTemporaryFileAndKeepsTheInterrupt() throws IOException {
        store().save(key("dev"), session("ASIABEFORE", IN_12_HOURS, RENEW_AT));

        Thread.currentThread().interrupt();
        store().save(key("dev"), session("ASIAINTERRUPTED", IN_12_HOURS, RENEW_AT));

        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        assertEquals(List.of(), temporaryFiles(folder()));
        assertTrue(store().load(key("dev")).isPresent(), "the file is either the old session or the new one");
    }

    @Test
    void theFileHoldsOnlyTheSessionItsProfileDeviceAndFormatVersion() throws IOException {
        store().save(key("dev"), session("ASIAFIELDS", IN_12_HOURS, RENEW_AT));

        JsonNode json = JsonNode.parser().parse(Files.readAllBytes(store().file(key("dev"))));

        assertEquals(Set.of("Version", "Profile", "MfaSerial", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration", "RenewAt"),
                     json.asObject().keySet());
        assertEquals("1", json.field("Version").orElseThrow().asNumber());
        assertEquals("dev", json.field("Profile").orElseThrow().asString());
        assertEquals(TestSessions.SERIAL, json.field("MfaSerial").orElseThrow().asString());
        assertEquals(IN_12_HOURS.toString(), json.field("Expiration").orElseThrow().asString());
    }

    @Test
    void eachKeyHasItsOwnFile() {
        SessionKey otherKeys = new SessionKey("dev", "AKIAOTHERKEYEXAMPLE", TestSessions.SERIAL);
        store().save(key("dev"), session("ASIAFIRSTKEY", IN_12_HOURS, RENEW_AT));
        store().save(otherKeys, session("ASIASECONDKEY", IN_12_HOURS, RENEW_AT));

        assertEquals("ASIAFIRSTKEY", store().load(key("dev")).orElseThrow().credentials().accessKeyId());
        assertEquals("ASIASECONDKEY", store().load(otherKeys).orElseThrow().credentials().accessKeyId());
    }

    @Test
    void nothingIsLoadedWhenThereIsNoFolderAndNothingIsCreated() {
        assertEquals(Optional.empty(), store().load(key("dev")));
        assertFalse(Files.exists(home.resolve(".aws")));
    }

    @Test
    void aLoadedSessionIsRenewedNoLaterThanThisStoresMargin() {
        store().save(key("dev"), session("ASIAMARGIN", IN_12_HOURS, RENEW_AT));

        Session loaded = store(Duration.ofHours(1)).load(key("dev")).orElseThrow();

        assertEquals(IN_12_HOURS.minus(Duration.ofHours(1)), loaded.renewAt());
    }

    @Test
    void aLoadedSessionKeepsTheRenewTimeChosenByTheProcessThatObtainedIt() {
        Instant early = NOW.plus(Duration.ofHours(2));
        store().save(key("dev"), session("ASIAEARLY", IN_12_HOURS, early));

        assertEquals(early, store().load(key("dev")).orElseThrow().renewAt());
    }

    @Test
    void locksAreTakenInTheFolderAndTheActionsResultReturned() {
        AtomicInteger runs = new AtomicInteger();

        String result = store().locked(key("dev"), () -> runs.incrementAndGet() == 1 ? "ran" : "twice");

        assertEquals("ran", result);
        assertTrue(Files.isRegularFile(store().lockFile(key("dev"))));
    }

    @Test
    void theLockFileIsPrivate() throws IOException {
        store().locked(key("dev"), () -> "ran");

        assertPrivateRegularFile(store().lockFile(key("dev")));
    }

    @Test
    void aNestedLockForTheSameKeyRunsAtOnce() {
        DiskSessionStore store = store();

        String result = store.locked(key("dev"), () -> store.locked(key("dev"), () -> "inner"));

        assertEquals("inner", result);
    }

    @Test
    void listShowsTheProfileDeviceAndExpirationOfEachSession() {
        store().save(key("prod"), session("ASIAPROD", IN_12_HOURS, RENEW_AT));
        store().save(key("dev"), session("ASIADEV", NOW.plus(Duration.ofHours(1)), NOW.plus(Duration.ofMinutes(55))));

        List<StoredSession> sessions = store().list();

        assertEquals(List.of("dev", "prod"), sessions.stream().map(StoredSession::profile).collect(Collectors.toList()));
        assertEquals(NOW.plus(Duration.ofHours(1)), sessions.get(0).expiration());
        assertEquals(TestSessions.SERIAL, sessions.get(1).mfaSerial());
        assertEquals(store().file(key("prod")), sessions.get(1).file());
    }

    @Test
    void listIncludesExpiredSessionsSoStatusCanShowThem() {
        store().save(key("dev"), session("ASIAOLD", NOW.minus(Duration.ofHours(1)), NOW.minus(Duration.ofHours(2))));

        List<StoredSession> sessions = store().list();

        assertEquals(1, sessions.size());
        assertTrue(sessions.get(0).isExpiredAt(NOW));
    }

    @Test
    void listedSessionsShowNoSecret() {
        store().save(key("dev"), session("ASIASHOWN", IN_12_HOURS, RENEW_AT));

        String shown = store().list().toString();

        assertTrue(shown.contains("dev"), shown);
        assertFalse(shown.contains("secret-of-"), shown);
        assertFalse(shown.contains("token-of-"), shown);
        assertFalse(shown.contains("ASIASHOWN"), shown);
    }

    @Test
    void listLeavesOutFilesThatCannotBeTrusted() throws IOException {
        store().save(key("dev"), session("ASIAGOOD", IN_12_HOURS, RENEW_AT));
        Files.write(folder().resolve("junk.json"), "{not json".getBytes());

        assertEquals(List.of("dev"), store().list().stream().map(StoredSession::profile).collect(Collectors.toList()));
    }

    @Test
    void clearingAProfileDeletesOnlyItsSessions() {
        store().save(key("dev"), session("ASIADEV", IN_12_HOURS, RENEW_AT));
        store().save(key("prod"), session("ASIAPROD", IN_12_HOURS, RENEW_AT));

        assertEquals(1, store().clear(Optional.of("dev")));

        assertEquals(Optional.empty(), store().load(key("dev")));
        assertTrue(store().load(key("prod")).isPresent());
    }

    @Test
    void clearingEverythingDeletesEverySessionFileButKeepsLockFiles() throws IOException {
        store().locked(key("dev"), () -> {
            store().save(key("dev"), session("ASIADEV", IN_12_HOURS, RENEW_AT));
            return null;
        });
        store().save(key("prod"), session("ASIAPROD", IN_12_HOURS, RENEW_AT));
        Files.write(folder().resolve("junk.json"), "{not json".getBytes());

        assertEquals(3, store().clear(Optional.empty()));

        assertEquals(List.of(), store().list());
        assertFalse(Files.exists(folder().resolve("junk.json")));
        assertTrue(Files.exists(store().lockFile(key("dev"))));
    }

    @Test
    void clearingAMissingFolderDeletesNothing() {
        assertEquals(0, store().clear(Optional.empty()));
    }
}
