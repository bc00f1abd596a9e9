package io.github.mfasession.internal.cache;

import static io.github.mfasession.internal.cache.TestSessions.SERIAL;
import static io.github.mfasession.internal.cache.TestSessions.assertPrivateRegularFile;
import static io.github.mfasession.internal.cache.TestSessions.assertSameSession;
import static io.github.mfasession.internal.cache.TestSessions.key;
import static io.github.mfasession.internal.cache.TestSessions.session;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.internal.session.Session;
import io.github.mfasession.internal.session.SessionKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Role sessions in the cache folder: one file per role profile, trusted only for the source session that assumed it. */
class RoleSessionFilesTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant IN_AN_HOUR = NOW.plus(Duration.ofHours(1));
    private static final String ROLE = "arn:aws:iam::123456789012:role/admin";

    @TempDir
    Path folder;

    private CacheFolder store() {
        return TestSessions.folder(folder, Duration.ofSeconds(5));
    }

    private static SessionKey roleKey(String accessKeyId) {
        return SessionKey.forRole("prod", ROLE, SERIAL, accessKeyId);
    }

    @Test
    void aRoleSessionLoadsForTheSourceSessionThatAssumedIt() throws IOException {
        Session saved = session("ASIAROLE", IN_AN_HOUR);
        store().save(roleKey("AKIAUSERONE"), saved);

        assertSameSession(saved, store().load(roleKey("AKIAUSERONE")).orElseThrow());
        assertPrivateRegularFile(store().file(roleKey("AKIAUSERONE")));
    }

    @Test
    void aRoleSessionOfOtherLongTermKeysIsNotLoaded() {
        store().save(roleKey("AKIAUSERONE"), session("ASIAROLE", IN_AN_HOUR));

        assertEquals(Optional.empty(), store().load(roleKey("AKIAUSERTWO")));
    }

    @Test
    void aRoleSessionFileOfAnEarlierVersionIsNotLoaded() throws IOException {
        store().save(roleKey("AKIAUSERONE"), session("ASIAROLE", IN_AN_HOUR));
        Path file = store().file(roleKey("AKIAUSERONE"));
        Files.writeString(file, Files.readString(file).replace("\"BaseAccessKeyId\"", "\"SourceAccessKeyId\""));

        assertEquals(Optional.empty(), store().load(roleKey("AKIAUSERONE")));
    }

    @Test
    void eachRoleProfileKeepsOneFileWhateverItsKeys() {
        assertEquals(roleKey("AKIAUSERONE").fileName(), roleKey("AKIAUSERTWO").fileName());
        assertTrue(roleKey("AKIAUSERONE").fileName().startsWith("prod-"));
        assertNotEquals(roleKey("AKIAUSERONE"), roleKey("AKIAUSERTWO"));
    }

    @Test
    void anotherRoleOrTheMfaSessionOfTheSameNameHasItsOwnFile() {
        SessionKey otherRole = SessionKey.forRole("prod", "arn:aws:iam::123456789012:role/reader", SERIAL, "AKIAUSERONE");

        assertNotEquals(roleKey("AKIAUSERONE").fileName(), otherRole.fileName());
        assertNotEquals(roleKey("AKIAUSERONE").fileName(), key("prod").fileName());
    }

    @Test
    void aRoleFileRenamedToAnMfaSessionsNameIsNotTrusted() throws IOException {
        store().save(roleKey("AKIAUSERONE"), session("ASIAROLE", IN_AN_HOUR));
        Files.move(store().file(roleKey("AKIAUSERONE")), store().file(key("prod")));

        assertEquals(Optional.empty(), store().load(key("prod")));
    }

    @Test
    void theFileNamesTheRoleAndTheLongTermAccessKeyId() throws IOException {
        store().save(roleKey("AKIAUSERONE"), session("ASIAROLE", IN_AN_HOUR));

        String json = Files.readString(store().file(roleKey("AKIAUSERONE")));
        assertTrue(json.contains("\"RoleArn\":\"" + ROLE + "\""), json);
        assertTrue(json.contains("\"BaseAccessKeyId\":\"AKIAUSERONE\""), json);
        assertTrue(json.contains("\"Profile\":\"prod\""), json);
    }
}
