package io.github.mfasession.internal.cache;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;

/**
 * A process of another user whose cache folder is read-only to it, started by {@link UnusableCacheFolderTest}:
 * {@code save <folder>} saves a session and prints whether it loads back; {@code lock <folder>} runs an action under
 * the key's lock and prints what it returned and whether a lock file appeared.
 */
public final class ReadOnlyFolderChild {

    private ReadOnlyFolderChild() {
    }

    public static void main(String[] args) {
        Path path = Paths.get(args[1]);
        CacheFolder folder = TestSessions.folder(path, Duration.ofSeconds(5));
        if (args[0].equals("save")) {
            folder.save(TestSessions.key("dev"), TestSessions.session("ASIAREADONLY", Instant.now().plus(Duration.ofHours(12))));
            System.out.println("LOADED " + folder.load(TestSessions.key("dev")).isPresent());
        } else {
            String ran = TestSessions.locked(folder, TestSessions.key("dev"), () -> "ran");
            System.out.println("RAN " + ran + " LOCK FILE " + Files.exists(folder.lockFile(TestSessions.key("dev"))));
        }
    }
}
