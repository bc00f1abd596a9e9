package io.github.mfasession.internal.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaSessionException;
import io.github.mfasession.OtherUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.utils.UserHomeDirectoryUtils;

/** The file supplier with real files, written by another thread as another program would. */
class FileCodeSupplierTest {

    private final FileCodeSupplier supplier = new FileCodeSupplier();

    @TempDir
    Path dir;

    @Test
    void waitsForACodeWrittenLater() throws Exception {
        Path file = dir.resolve("code");
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(file, "123456"),
                                                                    CompletableFuture.delayedExecutor(400, TimeUnit.MILLISECONDS));

        assertEquals("123456", supplier.code(request(file, "5")));
        writer.get();
    }

    @Test
    void takesTheDigitsFromAroundWhitespace() throws Exception {
        Path file = dir.resolve("code");
        Files.writeString(file, "  654321 \r\n");

        assertEquals("654321", supplier.code(request(file, "5")));
    }

    @Test
    void removesTheFileOnceTheCodeIsTaken() throws Exception {
        Path file = dir.resolve("code");
        Files.writeString(file, "123123\n");

        supplier.code(request(file, "5"));

        assertFalse(Files.exists(file));
    }

    @Test
    void waitsForTheRestOfACodeBeingWritten() throws Exception {
        Path file = dir.resolve("code");
        Files.writeString(file, "123");
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(file, "123987\n"),
                                                                    CompletableFuture.delayedExecutor(400, TimeUnit.MILLISECONDS));

        assertEquals("123987", supplier.code(request(file, "5")));
        writer.get();
    }

    @Test
    void sameCodeWrittenAgainIsNotTakenTwice() throws Exception {
        Path file = dir.resolve("code");
        Files.writeString(file, "111222\n");
        supplier.code(request(file, "5"));
        Files.writeString(file, "111222\n");

        MfaSessionException e = assertThrows(MfaSessionException.class, () -> supplier.code(request(file, "1")));

        assertTrue(e.getMessage().startsWith("No new MFA code appeared in " + file + " (mfa_code_file) within 1 seconds"), e.getMessage());
        assertFalse(e.getMessage().contains("111222"), e.getMessage());
    }

    @Test
    void missingFileEndsInAnErrorNamingTheFileWhenTimeRunsOut() {
        Path file = dir.resolve("never-written");
        long start = System.nanoTime();

        MfaSessionException e = assertThrows(MfaSessionException.class, () -> supplier.code(request(file, "1")));

        assertTrue(System.nanoTime() - start < 5_000_000_000L, "returned within bounds");
        assertEquals("No new MFA code appeared in " + file + " (mfa_code_file) within 1 seconds for device"
                     + " arn:aws:iam::123456789012:mfa/alice (profile 'dev'). Write the 6-digit code the device shows to that file;"
                     + " each code is taken once. Wait longer with mfa_code_file_timeout_seconds.", e.getMessage());
    }

    private MfaSessionException refusal(Path file) {
        // Preemptive: a FIFO opened for reading would block this thread until someone writes to it.
        return assertTimeoutPreemptively(Duration.ofSeconds(10),
                                         () -> assertThrows(MfaSessionException.class, () -> supplier.code(request(file, "2"))));
    }

    @Test
    void aFifoIsRefusedAtOnceWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("code");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());

        MfaSessionException e = refusal(fifo);

        assertEquals("The MFA code file " + fifo + " (mfa_code_file) is not a regular file (a FIFO or a device). It is not read:"
                     + " point mfa_code_file at a file only you can write, in a folder only you can change (chmod 600).", e.getMessage());
    }

    @Test
    void aLinkToDevZeroIsRefusedNotFollowed() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("code"), Path.of("/dev/zero"));

        MfaSessionException e = refusal(link);

        assertTrue(e.getMessage().startsWith("The MFA code file " + link + " (mfa_code_file) is a symbolic link. It is not read"), e.getMessage());
    }

    @Test
    void aFileOtherUsersCanWriteIsRefused() throws Exception {
        Path file = dir.resolve("code");
        Files.writeString(file, "123456\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

        MfaSessionException e = refusal(file);

        assertTrue(e.getMessage().startsWith("The MFA code file " + file + " (mfa_code_file) can be written by other users (rw-rw-rw-)."),
                   e.getMessage());
        assertFalse(e.getMessage().contains("123456"));
    }

    @Test
    void aFileOwnedByAnotherUserIsRefused() throws Exception {
        OtherUser other = OtherUser.named("mfa-code-writer");
        Path file = dir.resolve("code");
        Files.writeString(file, "123456\n");
        other.owns(file);

        MfaSessionException e = refusal(file);

        assertTrue(e.getMessage().startsWith("The MFA code file " + file + " (mfa_code_file) belongs to mfa-code-writer, not to "),
                   e.getMessage());
        assertTrue(Files.exists(file), "another user's file is left alone");
    }

    @Test
    void aFileInAFolderOthersCanChangeIsRefusedButInAStickyOneLikeTmpIsRead() throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path file = open.resolve("code");
        Files.writeString(file, "123456\n");

        MfaSessionException e = refusal(file);

        assertTrue(e.getMessage().startsWith("The folder " + open + " of the MFA code file (mfa_code_file) can be changed by other users"),
                   e.getMessage());
        assertEquals(0, new ProcessBuilder("chmod", "+t", open.toString()).inheritIO().start().waitFor());
        assertEquals("123456", supplier.code(request(file, "2")));
    }

    @Test
    void appliesWhenAFileIsSet() {
        assertTrue(supplier.appliesTo(key -> key.equals("mfa_code_file") ? Optional.of("/tmp/code") : Optional.empty()));
        assertFalse(supplier.appliesTo(key -> Optional.empty()));
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aTildeIsTheHomeFolderTheSdkFindsWithHomeFirst() throws Exception {
        // The build runs tests with HOME set apart from the JVM's user.home, as a shell with another HOME would.
        Path home = Path.of(UserHomeDirectoryUtils.userHomeDirectory());
        Files.createDirectories(home);
        Path file = Files.createTempFile(home, "code", ".txt");
        Files.writeString(file, "246810\n");

        assertEquals("246810", supplier.code(request("~/" + file.getFileName(), "5")));
        assertFalse(Files.exists(file));
    }

    private static MfaCodeRequest request(Path file, String timeoutSeconds) {
        return request(file.toString(), timeoutSeconds);
    }

    private static MfaCodeRequest request(String file, String timeoutSeconds) {
        Map<String, String> settings = Map.of("mfa_code_file", file, "mfa_code_file_timeout_seconds", timeoutSeconds);
        return MfaCodeRequest.builder()
                             .profile("dev")
                             .mfaSerial("arn:aws:iam::123456789012:mfa/alice")
                             .settings(key -> Optional.ofNullable(settings.get(key)))
                             .build();
    }
}
