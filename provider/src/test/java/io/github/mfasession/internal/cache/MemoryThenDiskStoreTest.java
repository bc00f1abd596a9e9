package io.github.mfasession.internal.cache;

import static io.github.mfasession.internal.cache.TestSessions.key;
import static io.github.mfasession.internal.cache.TestSessions.session;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.mfasession.internal.session.Session;
import io.github.mfasession.internal.session.SessionKey;
import io.github.mfasession.internal.session.SessionStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryThenDiskStoreTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Instant IN_12_HOURS = NOW.plus(Duration.ofHours(12));

    @TempDir
    Path home;

    private final SessionKey key = key("dev");
    private final MapStore memory = new MapStore();

    private DiskSessionStore disk(Path folder) {
        return new DiskSessionStore(folder, Duration.ofMinutes(5), Duration.ofSeconds(5), CLOCK);
    }

    private MemoryThenDiskStore store(Path folder) {
        return new MemoryThenDiskStore(memory, disk(folder), CLOCK);
    }

    @Test
    void aFreshSessionInMemoryIsUsedWithoutTheDisk() {
        disk(home).save(key, session("ASIAONDISK", IN_12_HOURS, IN_12_HOURS.minusSeconds(300)));
        memory.save(key, session("ASIAINMEMORY", IN_12_HOURS, IN_12_HOURS.minusSeconds(300)));

        assertEquals("ASIAINMEMORY", store(home).load(key).orElseThrow().credentials().accessKeyId());
    }

    @Test
    void aSessionDueForRenewalInMemoryGivesWayToOneAnotherProcessSaved() {
        memory.save(key, session("ASIADUE", IN_12_HOURS, NOW.minusSeconds(1)));
        disk(home).save(key, session("ASIARENEWED", IN_12_HOURS.plusSeconds(60), IN_12_HOURS));

        assertEquals("ASIARENEWED", store(home).load(key).orElseThrow().credentials().accessKeyId());
    }

    @Test
    void withNothingOnDiskTheSessionInMemoryIsReturnedForTheCallerToJudge() {
        memory.save(key, session("ASIADUE", IN_12_HOURS, NOW.minusSeconds(1)));

        assertEquals("ASIADUE", store(home).load(key).orElseThrow().credentials().accessKeyId());
    }

    @Test
    void aSessionTheDiskCannotKeepIsStillSharedInThisProcess() throws IOException {
        Path unusable = Files.createFile(home.resolve("not-a-folder")).resolve("cache");
        store(unusable).save(key, session("ASIAKEPT", IN_12_HOURS, IN_12_HOURS.minusSeconds(300)));

        assertEquals("ASIAKEPT", store(unusable).load(key).orElseThrow().credentials().accessKeyId());
    }

    @Test
    void savingWritesTheDiskToo() {
        store(home).save(key, session("ASIABOTH", IN_12_HOURS, IN_12_HOURS.minusSeconds(300)));

        assertEquals("ASIABOTH", disk(home).load(key).orElseThrow().credentials().accessKeyId());
    }

    /** This process's memory, without the process-wide singleton other tests share. */
    private static final class MapStore implements SessionStore {
        private final Map<SessionKey, Session> sessions = new HashMap<>();

        @Override
        public Optional<Session> load(SessionKey key) {
            return Optional.ofNullable(sessions.get(key));
        }

        @Override
        public void save(SessionKey key, Session session) {
            sessions.put(key, session);
        }

        @Override
        public <T> T locked(SessionKey key, Supplier<T> action) {
            return action.get();
        }
    }
}
