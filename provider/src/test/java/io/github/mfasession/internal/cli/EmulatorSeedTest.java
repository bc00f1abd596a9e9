package io.github.mfasession.internal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.MfaSessionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The emulator command's identities: derived from a private seed file, the same at every start. */
class EmulatorSeedTest {

    @TempDir
    Path home;

    private Path seedFile() {
        return home.resolve(".aws").resolve("mfa-session").resolve("emulator").resolve("seed");
    }

    @Test
    void theSameSeedGivesTheSameAccountKeysAndDeviceSecret() {
        EmulatorSeed first = EmulatorSeed.loadOrCreate(seedFile());
        EmulatorSeed again = EmulatorSeed.load(seedFile());

        assertEquals(first.accountId(), again.accountId());
        assertEquals(first.accessKeyId("alice"), again.accessKeyId("alice"));
        assertEquals(first.secretAccessKey("alice"), again.secretAccessKey("alice"));
        assertArrayEquals(first.deviceSecret("alice"), again.deviceSecret("alice"));
    }

    @Test
    void identitiesAreShapedAsAwsMakesThemAndDifferPerUser() {
        EmulatorSeed seed = EmulatorSeed.loadOrCreate(seedFile());

        assertTrue(seed.accountId().matches("[1-9]\\d{11}"), seed.accountId());
        assertTrue(seed.accessKeyId("alice").matches("AKIA[A-Z2-7]{16}"), seed.accessKeyId("alice"));
        assertTrue(seed.secretAccessKey("alice").matches("[A-Za-z0-9+/]{40}"));
        assertEquals(20, seed.deviceSecret("alice").length);
        assertNotEquals(seed.accessKeyId("alice"), seed.accessKeyId("bob"));
        assertNotEquals(seed.secretAccessKey("alice"), seed.secretAccessKey("bob"));
    }

    @Test
    void aNewSeedGivesNewIdentities() throws Exception {
        String before = EmulatorSeed.loadOrCreate(seedFile()).accessKeyId("alice");
        Files.delete(seedFile());

        assertNotEquals(before, EmulatorSeed.loadOrCreate(seedFile()).accessKeyId("alice"));
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "POSIX permissions; on Windows the file is in the user's profile folder")
    void theSeedIsPrivate() throws Exception {
        EmulatorSeed.loadOrCreate(seedFile());

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(seedFile())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(seedFile().getParent())));
        try (var left = Files.list(seedFile().getParent())) {
            assertEquals(1, left.count(), "no temporary file left beside it");
        }
    }

    @Test
    void noSeedYetIsSaidAsSuch() {
        assertThrows(EmulatorSeed.NoSeedException.class, () -> EmulatorSeed.load(seedFile()));
    }

    @Test
    void aSeedFileThatIsNotOursIsRefusedNamingTheFile() throws Exception {
        Files.createDirectories(seedFile().getParent());
        Files.writeString(seedFile(), "not a seed\n");

        MfaSessionException e = assertThrows(MfaSessionException.class, () -> EmulatorSeed.loadOrCreate(seedFile()));
        assertEquals("The emulator's seed file " + seedFile() + " is not what the emulator wrote. Delete it to get new identities"
                     + " (profiles pasted before then stop working).", e.getMessage());
    }
}
