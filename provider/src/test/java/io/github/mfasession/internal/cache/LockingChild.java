package io.github.mfasession.internal.cache;

import io.github.mfasession.internal.session.Session;
import io.github.mfasession.internal.session.SessionKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Another process using the same cache folder, started by the tests as a separate JVM. It talks to the
 * test on stdout, one line per step: {@code READY} once it is loaded, {@code LOCKED} while it holds the
 * lock, {@code SESSION <access key id>} when it has a session.
 *
 * <ul>
 *   <li>{@code session <folder> <fetch-log> <go-file>}: once the go file exists (so that every child
 *       starts at the same moment), gets the session the way {@code Refresher} does: under the lock,
 *       the stored session if it is fresh, else a "fetch" that appends a line to the fetch log, takes a
 *       moment, and saves a new session.</li>
 *   <li>{@code hold <folder>}: takes the lock and keeps it until the process is killed.</li>
 * </ul>
 *
 * <p>An end-to-end version replaces {@link #obtainSession} by {@code MfaSessionProvider.resolveCredentials()}
 * against the STS emulator, and the fetch log by the emulator's count of GetSessionToken calls.
 */
public final class LockingChild {

    static final SessionKey KEY = TestSessions.key("shared");
    /** Long enough that every other child arrives while the first one is still fetching. */
    private static final Duration FETCH_TIME = Duration.ofMillis(300);
    private static final Duration GO_WAIT = Duration.ofSeconds(60);
    private static final Duration HOLD_TIME = Duration.ofMinutes(2);

    private LockingChild() {
    }

    public static void main(String[] args) throws Exception {
        CacheFolder store = TestSessions.folder(Paths.get(args[1]), Duration.ofSeconds(60));
        switch (args[0]) {
            case "session":
                say("READY");
                awaitFile(Paths.get(args[3]));
                Session session = obtainSession(store, Paths.get(args[2]));
                say("SESSION " + session.credentials().accessKeyId());
                break;
            case "hold":
                TestSessions.locked(store, KEY, () -> {
                    say("LOCKED");
                    sleep(HOLD_TIME);
                    return "held";
                });
                break;
            default:
                throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    static Session obtainSession(CacheFolder store, Path fetchLog) {
        return TestSessions.locked(store, KEY, () -> store.load(KEY)
                                                          .filter(s -> s.expiration().isAfter(Instant.now().plusSeconds(300)))
                                                          .orElseGet(() -> fetch(store, fetchLog)));
    }

    private static Session fetch(CacheFolder store, Path fetchLog) {
        try {
            Files.write(fetchLog, ("fetch by " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8),
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        sleep(FETCH_TIME);
        Instant expiration = Instant.now().plus(Duration.ofHours(1));
        Session session = TestSessions.session("ASIA" + UUID.randomUUID().toString().replace("-", "").toUpperCase(), expiration);
        store.save(KEY, session);
        return session;
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + GO_WAIT.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no go file " + file);
            }
            Thread.sleep(2);
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
