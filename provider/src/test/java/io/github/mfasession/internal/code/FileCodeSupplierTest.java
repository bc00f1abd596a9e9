package io.github.mfasession.internal.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaSessionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
