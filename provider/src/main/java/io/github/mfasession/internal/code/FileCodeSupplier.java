package io.github.mfasession.internal.code;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaCodeSupplier;
import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.settings.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code file}: waits for another program (a script, a phone bridge, a test) to write the code to the
 * file in {@code mfa_code_file}, takes it, and removes the file so the code is never read twice.
 */
public final class FileCodeSupplier implements MfaCodeSupplier, AutoChoosable {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);
    /** A code with some whitespace around it; a longer file is not a code file and is not read. */
    private static final int MAX_FILE_BYTES = 64;
    private static final Pattern CODE = Pattern.compile("\\s*(\\d{6})\\s*");
    private static final Logger log = LoggerFactory.getLogger(FileCodeSupplier.class);
    /** File → the codes this process took from it: a file that could not be removed is not taken twice. */
    private static final Map<Path, Set<String>> TAKEN = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "file";
    }

    @Override
    public boolean appliesTo(Function<String, Optional<String>> settings) {
        return settings.apply("mfa_code_file").isPresent();
    }

    @Override
    public String code(MfaCodeRequest request) {
        Path file = codeFile(request);
        Duration timeout = Timeouts.seconds(request, "mfa_code_file_timeout_seconds", DEFAULT_TIMEOUT);
        Set<String> taken = TAKEN.computeIfAbsent(file, f -> ConcurrentHashMap.newKeySet());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> code = read(file);
            // add() is false for a code this process already took from this file: wait for a new one.
            if (code.isPresent() && taken.add(code.get())) {
                consume(file);
                return code.get();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw MfaSessionException.create(
                    "No new MFA code appeared in " + file + " (mfa_code_file) within " + timeout.getSeconds() + " seconds for device "
                    + request.mfaSerial() + " (profile '" + request.profile() + "'). Write the 6-digit code the device shows to that"
                    + " file; each code is taken once. Wait longer with mfa_code_file_timeout_seconds.");
            }
            try {
                Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw MfaSessionException.create("Interrupted while waiting for an MFA code in " + file + " for profile '"
                                                 + request.profile() + "'.", e);
            }
        }
    }

    private static Path codeFile(MfaCodeRequest request) {
        String text = request.setting("mfa_code_file").orElseThrow(() -> MfaSessionException.create(
            "The 'file' code supplier needs mfa_code_file for profile '" + request.profile() + "': set it (or AWS_MFA_CODE_FILE)"
            + " to the file that will hold the code."));
        return Paths.get(Settings.expandHome(text)).toAbsolutePath().normalize();
    }

    /** The code in the file; empty while the file is missing, unreadable, being written or holds anything else. */
    private static Optional<String> read(Path file) {
        try {
            // Only a regular file: opening a FIFO to read would block until someone writes to it.
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_FILE_BYTES) {
                return Optional.empty();
            }
            Matcher matcher = CODE.matcher(new String(Files.readAllBytes(file), StandardCharsets.US_ASCII));
            return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Removes the file, or empties it where it cannot be removed, so no one takes the code again. */
    private static void consume(Path file) {
        try {
            Files.delete(file);
        } catch (IOException deleteFailed) {
            try {
                Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING).close();
            } catch (IOException truncateFailed) {
                log.warn("Could not remove or empty the MFA code file {} after taking its code; this process will not take that code again.",
                         file);
            }
        }
    }
}
