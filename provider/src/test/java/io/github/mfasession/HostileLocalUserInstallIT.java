package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another local user attacks the folder {@code install} writes the launcher to: whoever can change that folder, or
 * swap it through a folder above it, changes what {@code credential_process} runs as this user. The attacker is a
 * user created for the test, acting through {@code setpriv}; {@code install} runs as this user from the all-jar.
 */
@Timeout(300)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "owners and modes of POSIX folders")
class HostileLocalUserInstallIT {

    private static final String LAUNCHER = "mfa-session-provider";

    @TempDir
    Path folder;
    OtherUser attacker;

    @BeforeEach
    void start() throws Exception {
        attacker = OtherUser.named("mfa-attacker");
        // The test's folder is root's; others may enter it (not write to it), as they may enter a home folder.
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private ChildJvm.Result install(Path bin) throws Exception {
        ProcessBuilder builder = ChildJvm.allJar(java.util.Map.of(), "install", "--dir", bin.toString());
        builder.environment().put("HOME", folder.toString());
        return ChildJvm.run(builder, folder);
    }

    private static List<String> names(Path bin) throws Exception {
        try (Stream<Path> files = Files.list(bin)) {
            return files.map(file -> file.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void aFolderAboveThatOthersCanWriteIsRefusedAndNothingIsWritten() throws Exception {
        Path shared = Files.createDirectory(folder.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path bin = shared.resolve("bin");

        ChildJvm.Result result = install(bin);

        assertEquals(1, result.exitCode(), result.stdout());
        assertEquals("", result.stdout(), "no credential_process line pointing into a folder the other user can swap");
        assertTrue(result.stderr().contains("Cannot install into " + bin + ": " + shared + " can be written by other users, who could replace"
                                            + " the install folder inside it. Remove their write permission (chmod go-w " + shared
                                            + "), or choose another folder with --dir."), result.stderr());
        assertFalse(Files.exists(bin, LinkOption.NOFOLLOW_LINKS), "nothing made where the other user could rename it and put theirs");
    }

    @Test
    void aFolderAboveOwnedByAnotherUserIsRefused() throws Exception {
        // A folder of theirs that this user may enter, as another user's home or a shared tool folder may be.
        Path theirs = Files.createDirectory(folder.resolve("theirs"));
        attacker.owns(theirs);
        Path bin = theirs.resolve("bin");

        ChildJvm.Result result = install(bin);

        assertEquals(1, result.exitCode(), result.stdout());
        assertTrue(result.stderr().contains("Cannot install into " + bin + ": " + theirs + " is owned by " + attacker.name()
                                            + ": every folder above the install folder must belong to you or root."), result.stderr());
        assertFalse(Files.exists(bin, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void whatAnotherUserPlantedInAnOpenInstallFolderIsReplacedOrRemovedNeverUsed() throws Exception {
        Path bin = Files.createDirectory(folder.resolve("bin"));
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxrwxrwx"));
        String jarName = ChildJvm.allJarPath().getFileName().toString();
        // A launcher of theirs, an archive the next run would map, and the jar's name as a link to the jar being
        // installed: a copy that is "the same file" as long as the link's target stays what it is.
        attacker.sh("printf '#!/bin/sh\\necho forged\\n' > " + bin.resolve(LAUNCHER) + " && chmod 777 " + bin.resolve(LAUNCHER)
                    + " && printf forged > " + bin.resolve("mfa-session-provider-123.jsa")
                    + " && ln -s " + ChildJvm.allJarPath() + " " + bin.resolve(jarName));

        ChildJvm.Result result = install(bin);

        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stderr().contains("The install folder " + bin + " was open to other users (rwxrwxrwx); making it private"),
                   result.stderr());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(bin)));
        assertEquals(List.of(LAUNCHER, jarName), names(bin), "the archive is gone");
        assertTrue(Files.isRegularFile(bin.resolve(jarName), LinkOption.NOFOLLOW_LINKS), "a copy, not the link");
        assertTrue(Files.readString(bin.resolve(LAUNCHER)).contains("# Written by `java -jar " + jarName + " install`"));
        List<String> owners = new ArrayList<>();
        for (String name : names(bin)) {
            owners.add(Files.getOwner(bin.resolve(name), LinkOption.NOFOLLOW_LINKS).getName());
        }
        assertEquals(List.of(System.getProperty("user.name"), System.getProperty("user.name")), owners);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(bin.resolve(LAUNCHER), LinkOption.NOFOLLOW_LINKS)));
    }
}
