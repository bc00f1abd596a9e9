package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret key, session token or MFA code in anything the library prints, at any log level, in any exception
 * message, cause or {@code toString()}: {@link SecretsFlowMain} runs every path that touches one (the provider, role
 * chains, base credentials from credential_process, and the credential-process command) in JVMs whose loggers
 * (ours, the SDK's, the emulator's) all write at TRACE, and everything they printed is searched, record by record,
 * so that each leak is pinned to the logger that printed it. The SDK's own loggers that print a secret at DEBUG
 * are exactly {@link #SDK_LOGGERS_THAT_PRINT_SECRETS}, and the README names each of them.
 */
class SecretsTest {

    /**
     * The SigV4 signer's canonical request: the {@code x-amz-security-token} header of a request signed with a session
     * (our AssumeRole calls, and every request a host signs with the session this provider gives it), and the SHA-256
     * of the body, from which a GetSessionToken request's code is recovered in a second.
     */
    static final String SIGNER = "software.amazon.awssdk.http.auth.aws.internal.signer.DefaultV4RequestSigner";
    static final Set<String> SDK_LOGGERS_THAT_PRINT_SECRETS = Set.of(SIGNER);

    /** A log record of slf4j-simple, or a [flow] line of the flow's own: thread, level, logger, then the message. */
    private static final Pattern RECORD = Pattern.compile("^\\[([^\\]]+)\\] (TRACE|DEBUG|INFO|WARN|ERROR) (\\S+) - ", Pattern.MULTILINE);

    @TempDir
    static Path folder;
    static String printed;
    static final List<Record> records = new ArrayList<>();
    static final List<String> secretKeysAndTokens = new ArrayList<>();
    static final List<String> codes = new ArrayList<>();
    static String serial;

    record Record(String level, String logger, String text) {
    }

    @BeforeAll
    static void runTheWholeFlowAtTrace() throws Exception {
        Path secretsFile = folder.resolve("secrets.txt");
        ProcessBuilder builder = ChildJvm.builder(SecretsFlowMain.class, Map.of("HOME", folder.toString()), secretsFile.toString());
        builder.command().add(1, "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace");
        ChildJvm.Result result = ChildJvm.run(builder, folder);
        assertEquals(0, result.exitCode(), result.stderr());
        printed = result.stdout() + result.stderr();
        Matcher start = RECORD.matcher(printed);
        List<int[]> starts = new ArrayList<>();
        while (start.find()) {
            starts.add(new int[] {start.start(), start.end()});
        }
        assertTrue(starts.size() > 0 && starts.get(0)[0] == 0, "every line belongs to a record: " + printed.substring(0, Math.min(500, printed.length())));
        for (int i = 0; i < starts.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : printed.length();
            Matcher header = RECORD.matcher(printed.substring(starts.get(i)[0], end));
            assertTrue(header.lookingAt());
            records.add(new Record(header.group(2), header.group(3), printed.substring(starts.get(i)[0], end)));
        }
        for (String line : Files.readAllLines(secretsFile)) {
            String[] kindAndValue = line.split(" ", 2);
            switch (kindAndValue[0]) {
                case "secret" -> secretKeysAndTokens.add(kindAndValue[1]);
                case "code" -> codes.add(kindAndValue[1]);
                default -> serial = kindAndValue[1];
            }
        }
    }

    /** The loggers of the records that hold the text. */
    private static Set<String> printedBy(String text) {
        Set<String> loggers = new TreeSet<>();
        records.stream().filter(record -> record.text().contains(text)).forEach(record -> loggers.add(record.logger()));
        return loggers;
    }

    @Test
    void everyLoggerWroteAtTraceAndEveryPathRan() {
        assertTrue(printed.contains("TRACE software.amazon.awssdk."), "the SDK's loggers wrote at TRACE");
        assertTrue(printed.contains("DEBUG io.github.mfasession.internal.sts.GetSessionToken - STS rejected MFA code attempt 1 of 3"), printed);
        assertTrue(printed.contains("DEBUG io.github.mfasession.internal.refresh.Refresher - Reusing the stored MFA session"), printed);
        assertTrue(printed.contains("Ignoring the MFA session cache file"), printed);
        for (String failure : List.of("(InternalFailure: ", "could not be read: ", "STS rejected the MFA code from the 'scripted' supplier",
                                      "the last code was not 6 digits", "which has passed by this computer's clock", "(SignatureDoesNotMatch)",
                                      "Expected an '=' sign defining a property on line 3", "failed with exit status 1",
                                      "The MFA device 'bad serial'", "Value '******' at 'tokenCode'", "STS denied AssumeRole of",
                                      "Calling STS AssumeRole for profile prod", "New role session for profile prod",
                                      "New MFA session for profile from-process")) {
            assertTrue(printed.contains(failure), "the flow failed with " + failure);
        }
        assertFalse(printed.contains("the command failed for profile"), "credential-process ran for dev, jump and prod");
        assertEquals(18, secretKeysAndTokens.size(), "the long-term secret, a wrong one, and the secrets and tokens of eight sessions");
        assertTrue(codes.size() >= 12, "the codes sent, refused and set: " + codes.size());
    }

    @Test
    void noSecretKeyIsPrintedAnywhere() {
        for (int i = 0; i < secretKeysAndTokens.size(); i++) {
            String secret = secretKeysAndTokens.get(i);
            // Session tokens are the long values; secret keys are 40 characters, the long-term one and each session's.
            if (secret.length() <= 45) {
                assertEquals(Set.of(), printedBy(secret), "a secret key was printed");
            }
        }
    }

    @Test
    void sessionTokensArePrintedOnlyByTheSdksSignerAtDebug() {
        for (String token : secretKeysAndTokens) {
            if (token.length() > 45) {
                assertTrue(SDK_LOGGERS_THAT_PRINT_SECRETS.containsAll(printedBy(token)), "a session token was printed by " + printedBy(token));
                records.stream().filter(record -> record.text().contains(token))
                       .forEach(record -> assertEquals("DEBUG", record.level(), record.logger()));
            }
        }
    }

    @Test
    void noMfaCodeIsPrintedAnywhere() {
        for (String code : codes) {
            // As a word of its own: a code's six digits can occur by chance inside an account id, a hash or a timestamp.
            assertFalse(Pattern.compile("(?<![0-9A-Za-z])" + Pattern.quote(code) + "(?![0-9A-Za-z])").matcher(printed).find(),
                        "code " + code + " was printed");
        }
    }

    /** The SHA-256 of each GetSessionToken body this flow could have sent, one per code; from it the code comes back. */
    private static List<String> bodyHashes() throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        List<String> hashes = new ArrayList<>();
        for (String code : codes) {
            String body = "Action=GetSessionToken&Version=2011-06-15&DurationSeconds=43200&SerialNumber="
                          + URLEncoder.encode(serial, StandardCharsets.UTF_8) + "&TokenCode=" + code;
            hashes.add(HexFormat.of().formatHex(sha256.digest(body.getBytes(StandardCharsets.UTF_8))));
        }
        return hashes;
    }

    @Test
    void bodyHashesThatGiveACodeBackArePrintedOnlyByTheSdksSigner() throws Exception {
        for (String hash : bodyHashes()) {
            assertTrue(SDK_LOGGERS_THAT_PRINT_SECRETS.containsAll(printedBy(hash)), "a body hash was printed by " + printedBy(hash));
        }
    }

    /**
     * The known leaks outside this library, all through the SDK's SigV4 signer at DEBUG: the body hash of
     * GetSessionToken (so its code) and the session token of AssumeRole. The SDK offers no switch to keep them out
     * (the signer logs its canonical request unconditionally, and the token and hash are part of what is signed), so
     * the README names the logger to keep at INFO. This test fails when an SDK update stops either, so the advice can
     * be updated; and it fails when another logger starts.
     */
    @Test
    void knownSdkLeaksAreExactlyTheSignersCodeHashAndSessionTokenAndTheReadmeNamesItsLogger() throws Exception {
        Set<String> leakingLoggers = new TreeSet<>();
        boolean hashPrinted = false;
        for (String hash : bodyHashes()) {
            hashPrinted |= printedBy("x-amz-content-sha256:" + hash).contains(SIGNER);
            leakingLoggers.addAll(printedBy(hash));
        }
        boolean tokenPrinted = false;
        for (String token : secretKeysAndTokens) {
            if (token.length() > 45) {
                tokenPrinted |= printedBy("x-amz-security-token:" + token).contains(SIGNER);
                leakingLoggers.addAll(printedBy(token));
            }
        }

        assertTrue(hashPrinted, "the SDK no longer logs a hash of GetSessionToken's body at DEBUG; update the README and RELIABILITY.md");
        assertTrue(tokenPrinted, "the SDK no longer logs the session token of AssumeRole at DEBUG; update the README and RELIABILITY.md");
        assertEquals(SDK_LOGGERS_THAT_PRINT_SECRETS, leakingLoggers);
        String readme = Files.readString(Path.of("..", "README.md"));
        for (String logger : leakingLoggers) {
            assertTrue(readme.contains("`" + logger.substring(0, logger.lastIndexOf('.')) + "`") || readme.contains("`" + logger + "`"),
                       "the README names " + logger);
        }
    }
}
