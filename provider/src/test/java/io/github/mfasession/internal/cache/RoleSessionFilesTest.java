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
    private static final Instant RENEW_AT = IN_AN_HOUR.minus(Duration.ofMinutes(5));
    private static final String ROLE = "arn:aws:iam::123456789012:role/admin";

    @TempDir
    Path folder;

    private DiskSessionStore store() {
        return new DiskSessionStore(folder, Duration.ofMinutes(5), Duration.ofSeconds(5), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static SessionKey roleKey(String sourceAccessKeyId) {
        return SessionKey.forRole("prod", ROLE, SERIAL, sourceAccessKeyId);
    }

    @Test
    void aRoleSessionLoadsForTheSourceSessionThatAssumedIt() throws IOException {
        Session saved = session("ASIAROLE", IN_AN_HOUR, RENEW_AT);
        store().save(roleKey("ASIAMFAONE"), saved);

        assertSameSession(saved, store().load(roleKey("ASIAMFAONE")).orElseThrow());
        assertPrivateRegularFile(store().file(roleKey("ASIAMFAONE")));
    }

    @Test
    void aRoleSessionAssumedWithAnEarlierSourceSessionIsNotLoaded() {
        store().save(roleKey("ASIAMFAONE"), session("ASIAROLE", IN_AN_HOUR, RENEW_AT));

        assertEquals(Optional.empty(), store().load(roleKey("ASIAMFATWO")));
    }

    @Test
    void eachRoleProfileKeepsOneFileWhateverItsSourceSession() {
        assertEquals(roleKey("ASIAMFAONE").fileName(), roleKey("ASIAMFATWO").fileName());
        assertTrue(roleKey("ASIAMFAONE").fileName().startsWith("prod-"));
        assertNotEquals(roleKey("ASIAMFAONE"), roleKey("ASIAMFATWO"));
    }

    @Test
    void anotherRoleOrTheMfaSessionOfTheSameNameHasItsOwnFile() {
        SessionKey otherRole = SessionKey.forRole("prod", "arn:aws:iam::123456789012:role/reader", SERIAL, "ASIAMFAONE");

        assertNotEquals(roleKey("ASIAMFAONE").fileName(), otherRole.fileName());
        assertNotEquals(roleKey("ASIAMFAONE").fileName(), key("prod").fileName());
    }

    @Test
    void aRoleFileRenamedToAnMfaSessionsNameIsNotTrusted() throws IOException {
        store().save(roleKey("ASIAMFAONE"), session("ASIAROLE", IN_AN_HOUR, RENEW_AT));
        Files.move(store().file(roleKey("ASIAMFAONE")), store().file(key("prod")));

        assertEquals(Optional.empty(), store().load(key("prod")));
    }

    @Test
    void theFileNamesTheRoleAndTheSourceSessionsAccessKeyId() throws IOException {
        store().save(roleKey("ASIAMFAONE"), session("ASIAROLE", IN_AN_HOUR, RENEW_AT));

        String json = Files.readString(store().file(roleKey("ASIAMFAONE")));
        assertTrue(json.contains("\"RoleArn\":\"" + ROLE + "\""), json);
        assertTrue(json.contains("\"SourceAccessKeyId\":\"ASIAMFAONE\""), json);
        assertTrue(json.contains("\"Profile\":\"prod\""), json);
    }
}
