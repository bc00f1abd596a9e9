package io.github.mfasession.internal.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user this process creates files as: the only owner a file in a private folder may have. Learned once from a
 * file the process creates itself, which is exact even where {@code user.name} is not (a container user with no
 * name, sudo); the name lookup is the fallback when no temporary file can be made.
 */
public final class CurrentUser {

    private static final Logger log = LoggerFactory.getLogger(CurrentUser.class);
    private static final Optional<UserPrincipal> OWNER = find();
    private static final Optional<UserPrincipal> ROOT = root();

    private CurrentUser() {
    }

    /** Empty when the process cannot tell who it is; then no file can be trusted. */
    public static Optional<UserPrincipal> owner() {
        return OWNER;
    }

    /** Whether the owner is this user or the system's superuser, who may own the folders above a private folder. */
    public static boolean isMeOrRoot(UserPrincipal owner) {
        return owner.equals(OWNER.orElse(null)) || owner.equals(ROOT.orElse(null));
    }

    private static Optional<UserPrincipal> root() {
        try {
            return Optional.of(FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("root"));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * A new empty file in the temporary folder, named from the clock: {@code Files.createTempFile}'s random names
     * start the JDK's security providers, which would cost a session answered from the cache about a fifth of its
     * run. Made as {@code createTempFile} makes it, only if the name is free and never through a link; a name
     * someone else holds is skipped.
     */
    private static Path probeFile() throws IOException {
        Path folder = Paths.get(System.getProperty("java.io.tmpdir"));
        for (int attempt = 1; ; attempt++) {
            try {
                return Files.createFile(folder.resolve("mfa-session-owner-" + Long.toHexString(System.nanoTime()) + ".tmp"));
            } catch (FileAlreadyExistsException taken) {
                if (attempt == 10) {
                    throw taken;
                }
            }
        }
    }

    private static Optional<UserPrincipal> find() {
        try {
            Path probe = probeFile();
            try {
                return Optional.of(Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS));
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException | RuntimeException probeFailed) {
            try {
                return Optional.of(FileSystems.getDefault().getUserPrincipalLookupService()
                                              .lookupPrincipalByName(System.getProperty("user.name")));
            } catch (IOException | RuntimeException lookupFailed) {
                log.warn("Cannot tell which user this process runs as ({}; {}): no file in the MFA session cache folder"
                         + " (cached sessions, a server's token) will be trusted.",
                         probeFailed.toString(), lookupFailed.toString());
                return Optional.empty();
            }
        }
    }
}
