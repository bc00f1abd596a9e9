package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.internal.settings.ProfileFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * Every setting malformed or out of range, every way a code can be wrong and every way of giving one can fail,
 * and broken or missing profile files: each is refused before STS is called (the emulator sees no
 * GetSessionToken) with one clear message that names the setting, file or command.
 */
class BadInputTest {

    @TempDir
    Path folder;
    StsFixture fixture;

    @BeforeEach
    void start() {
        fixture = new StsFixture(folder);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /**
     * Asks for credentials, expecting a refusal that contains the fragment, reads as a message for a person
     * (no exception class names, one paragraph, a full stop at the end) and came before any STS call.
     */
    private MfaSessionException refusedBeforeSts(MfaSessionProvider provider, String fragment) {
        MfaSessionException e = assertThrows(MfaSessionException.class, provider::resolveCredentials);
        String message = e.getMessage();
        assertTrue(message.contains(fragment), message);
        String firstParagraph = message.split("\n", 2)[0];
        assertTrue(firstParagraph.endsWith(".") || firstParagraph.endsWith(":"), message);
        assertFalse(message.contains("Exception"), message);
        assertTrue(firstParagraph.length() < 600, message);
        assertEquals(0, fixture.sts.getSessionTokenCalls(), "refused before calling STS");
        return e;
    }

    /** A setting given as a provider argument, with a code at hand so only the setting can be the problem. */
    private MfaSessionProvider withSetting(String key, String value) {
        fixture.environment.put("AWS_MFA_CODE", fixture.code());
        return fixture.builder().setting(key, value).build();
    }

    static Stream<Arguments> malformedSettings() {
        String tooLong = "arn:aws:iam::123456789012:mfa/" + "a".repeat(227);
        return Stream.of(
            Arguments.of("duration_seconds", "twelve hours", "duration_seconds 'twelve hours' from the provider argument duration_seconds is not a whole number of seconds"),
            Arguments.of("duration_seconds", "3600.5", "duration_seconds '3600.5' from the provider argument duration_seconds is not a whole number"),
            Arguments.of("duration_seconds", "99999999999999999999", "duration_seconds '99999999999999999999' from the provider argument duration_seconds is not a whole number"),
            Arguments.of("duration_seconds", "899", "duration_seconds 899 from the provider argument duration_seconds is out of range for profile 'dev'"),
            Arguments.of("duration_seconds", "129601", "duration_seconds 129601 from the provider argument duration_seconds is out of range"),
            Arguments.of("duration_seconds", "-900", "duration_seconds -900 from the provider argument duration_seconds is out of range"),
            Arguments.of("mfa_serial", "GAHT1234", "The MFA device 'GAHT1234' from the provider argument mfa_serial is not valid"),
            Arguments.of("mfa_serial", tooLong, "The MFA device '" + tooLong + "' from the provider argument mfa_serial is not valid"),
            Arguments.of("mfa_serial", "arn:aws:iam::123456789012:mfa/al ice", "The MFA device 'arn:aws:iam::123456789012:mfa/al ice' from the provider argument mfa_serial is not valid"),
            Arguments.of("mfa_serial", "arn:aws:iam::123456789012:mfa/al!ce", "is not valid: use the device's ARN"),
            Arguments.of("mfa_serial", "arn:aws:iam::123456789012:mfa/alicé", "is not valid: use the device's ARN"),
            Arguments.of("mfa_refresh_before_seconds", "-1", "mfa_refresh_before_seconds -1 from the provider argument mfa_refresh_before_seconds is out of range"),
            Arguments.of("mfa_refresh_before_seconds", "43200", "it must be at least 0 and less than the session length of 43200 seconds"),
            Arguments.of("mfa_refresh_before_seconds", "soon", "mfa_refresh_before_seconds 'soon' from the provider argument mfa_refresh_before_seconds is not a whole number"),
            Arguments.of("mfa_cache", "nowhere", "mfa_cache 'nowhere' from the provider argument mfa_cache is not a cache mode"),
            Arguments.of("mfa_cache_dir", "cache\u0000dir", "from the provider argument mfa_cache_dir is not a valid folder path"),
            Arguments.of("sts_endpoint", "not a url", "sts_endpoint 'not a url' from the provider argument sts_endpoint is not a URL"),
            Arguments.of("mfa_code_supplier", "nonesuch", "mfa_code_supplier 'nonesuch' for profile 'dev' is not a known code supplier"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("malformedSettings")
    void aMalformedSettingIsRefusedNamingItAndWhereItCameFrom(String key, String value, String expected) {
        refusedBeforeSts(withSetting(key, value), expected);
    }

    @Test
    void aMalformedSettingInTheProfileIsRefusedNamingTheProfile() {
        fixture.writeConfig("duration_seconds = 12h\n");
        fixture.environment.put("AWS_MFA_CODE", fixture.code());

        refusedBeforeSts(fixture.builder().build(), "duration_seconds '12h' from duration_seconds in profile 'dev' is not a whole number of seconds");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "12345", "1234567", "12a456", " 123456", "123456\n", "١٢٣٤٥٦", "１２３４５６", "123 456"})
    void aCodeThatIsNotSixAsciiDigitsIsRefusedBeforeSts(String code) {
        ScriptedCodes codes = ScriptedCodes.machine(request -> code);

        refusedBeforeSts(fixture.builder().codeSupplier(codes).build(),
                         "The MFA code from the 'scripted' supplier for device " + fixture.serial() + " (profile 'dev') was refused before calling"
                         + " STS: the last code was not 6 digits.");
    }

    @Test
    void noCodeAtAllIsRefusedBeforeSts() {
        refusedBeforeSts(fixture.builder().codeSupplier(ScriptedCodes.machine(request -> null)).build(), "the last code was not 6 digits");
    }

    @Test
    void aMalformedCodeInTheEnvironmentIsRefusedBeforeSts() {
        fixture.environment.put("AWS_MFA_CODE", "12345");

        refusedBeforeSts(fixture.builder().build(), "The MFA code from the 'env' supplier for device " + fixture.serial());
    }

    @Test
    void anInteractiveSupplierIsAskedAgainAfterAMalformedCodeSayingWhyUntilFiveEntriesInARow() {
        ScriptedCodes person = ScriptedCodes.person(request -> "12345");

        refusedBeforeSts(fixture.builder().codeSupplier(person).build(),
                         "The 'scripted' supplier gave 5 entries in a row for device " + fixture.serial() + " (profile 'dev') that could not be"
                         + " sent to STS; the last: the last code was not 6 digits. Enter the 6 digits the device shows, once each.");
        assertEquals(5, person.requests.size());
        assertEquals("the last code was not 6 digits", person.requests.get(4).lastFailure().orElseThrow());
        assertTrue(person.requests.stream().allMatch(request -> request.attempt() == 1), "none was an attempt");
    }

    @Test
    void onlyCodesSentToStsCountAsAttemptsAMalformedEntryIsAskedAgainUnderTheSameAttempt() {
        String right = fixture.code();
        List<String> answers = new ArrayList<>(List.of("12345", wrong(right), "", wrong(wrong(right)), "abcdef", right));
        ScriptedCodes person = ScriptedCodes.person(request -> answers.remove(0));

        fixture.builder().codeSupplier(person).build().resolveCredentials();

        assertEquals(3, fixture.sts.getSessionTokenCalls(), "the two codes STS rejected and the right one; no malformed entry");
        assertEquals(List.of(1, 1, 2, 2, 3, 3), person.requests.stream().map(MfaCodeRequest::attempt).collect(Collectors.toList()));
        assertEquals(List.of("", "the last code was not 6 digits", "the last code was rejected", "the last code was not 6 digits",
                             "the last code was rejected", "the last code was not 6 digits"),
                     person.requests.stream().map(request -> request.lastFailure().orElse("")).collect(Collectors.toList()));
    }

    /** A code the device does not show now: the given one with its last digit changed. */
    private static String wrong(String code) {
        char last = code.charAt(5);
        return code.substring(0, 5) + (char) (last == '9' ? '0' : last + 1);
    }

    /** The 'file' supplier with a code file and a wait of one second. */
    private MfaSessionProvider fileSupplier(Path codeFile) {
        return fixture.builder().codeSupplier("file").setting("mfa_code_file", codeFile.toString())
                      .setting("mfa_code_file_timeout_seconds", "1").build();
    }

    @Test
    void aCodeFileThatHoldsNoCodeIsRefusedNamingTheFile() throws IOException {
        Path codeFile = Files.writeString(folder.resolve("code"), "abcdef\n");

        refusedBeforeSts(fileSupplier(codeFile), "No new MFA code appeared in " + codeFile + " (mfa_code_file) within 1 seconds");
    }

    @Test
    void aFolderInPlaceOfTheCodeFileIsRefusedNamingIt() throws IOException {
        Path codeFile = Files.createDirectory(folder.resolve("code"));

        refusedBeforeSts(fileSupplier(codeFile), "The MFA code file " + codeFile + " (mfa_code_file) is a folder. It is not read");
    }

    @Test
    void theFileSupplierWithoutAFileIsRefusedNamingTheSetting() {
        refusedBeforeSts(fixture.builder().codeSupplier("file").build(), "The 'file' code supplier needs mfa_code_file for profile 'dev'");
    }

    @Test
    void aMalformedWaitForTheCodeFileIsRefusedNamingTheSetting() {
        refusedBeforeSts(fixture.builder().codeSupplier("file").setting("mfa_code_file", folder.resolve("code").toString())
                                .setting("mfa_code_file_timeout_seconds", "soon").build(),
                         "mfa_code_file_timeout_seconds 'soon' for profile 'dev' is not a number of seconds");
    }

    /** A wait so long that counting it in milliseconds or nanoseconds overflows a long: refused, naming its limit. */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"mfa_process_timeout_seconds, 9999999999999999", "mfa_process_timeout_seconds, 3601",
                "mfa_code_file_timeout_seconds, 9999999999999999", "mfa_code_file_timeout_seconds, 9223372036854775807"})
    void aWaitLongerThanAnHourIsRefusedNamingTheSettingAndItsLimit(String key, String seconds) {
        MfaSessionProvider provider = fixture.builder().codeSupplier(key.startsWith("mfa_process") ? "process" : "file")
                                             .setting("mfa_process", "echo 123456").setting("mfa_code_file", folder.resolve("code").toString())
                                             .setting(key, seconds).build();

        refusedBeforeSts(provider, key + " '" + seconds + "' for profile 'dev' is not a number of seconds from 1 to 3600");
    }

    @Test
    void aHugeWaitEndsTheCommandLineWithOneMessageNotAStackTrace() throws Exception {
        fixture.writeConfig("mfa_process = echo 123456\nmfa_process_timeout_seconds = 9999999999999999\n");

        ChildJvm.Result result = ChildJvm.run(ChildJvm.builder(io.github.mfasession.internal.cli.Main.class, java.util.Map.of(
            "HOME", folder.toString(),
            "AWS_CONFIG_FILE", fixture.config.toString(),
            "AWS_SHARED_CREDENTIALS_FILE", fixture.credentials.toString(),
            "AWS_MFA_CACHE_DIR", folder.resolve("cache").toString()), "credential-process", "--profile", "dev"), folder);

        assertEquals(1, result.exitCode(), result.stderr());
        assertEquals("mfa-session-provider: error: mfa_process_timeout_seconds '9999999999999999' for profile 'dev' is not a number"
                     + " of seconds from 1 to 3600; use a whole number in that range (the default is 60).\n", result.stderr());
        assertEquals(0, fixture.sts.getSessionTokenCalls());
    }

    /** The 'process' supplier running a command, given one second. */
    private MfaSessionProvider processSupplier(String command) {
        return fixture.builder().codeSupplier("process").setting("mfa_process", command).setting("mfa_process_timeout_seconds", "1").build();
    }

    @Test
    void aCommandThatHangsIsStoppedAndRefusedNamingIt() {
        refusedBeforeSts(processSupplier("sleep 30"), "The mfa_process command 'sleep ...' for profile 'dev' did not finish within 1 seconds and was stopped.");
    }

    @Test
    void aCommandThatPrintsJunkIsRefusedNamingIt() {
        refusedBeforeSts(processSupplier("echo 'no code here, only 12345 and 1234567'"),
                         "The mfa_process command 'echo ...' for profile 'dev' printed no 6-digit code.");
    }

    @Test
    void aCommandThatFailsIsRefusedWithItsExitStatusAndErrorOutput() {
        MfaSessionException e = refusedBeforeSts(processSupplier("echo 'device not found' >&2; exit 3"),
                                                 "The mfa_process command 'echo ...' for profile 'dev' failed with exit status 3.");
        assertTrue(e.getMessage().endsWith("The end of its error output:\n  device not found"), e.getMessage());
    }

    @Test
    void aCommandThatDoesNotExistIsRefusedNamingIt() {
        refusedBeforeSts(processSupplier("/nonexistent/mfa-tool --totp"), "The mfa_process command '/nonexistent/mfa-tool ...' for profile 'dev' failed");
    }

    @Test
    void theProcessSupplierWithoutACommandIsRefusedNamingTheSetting() {
        refusedBeforeSts(fixture.builder().codeSupplier("process").build(), "The 'process' code supplier needs mfa_process for profile 'dev'");
    }

    @Test
    void aMalformedTimeLimitForTheCommandIsRefusedNamingTheSetting() {
        refusedBeforeSts(fixture.builder().codeSupplier("process").setting("mfa_process", "echo 123456")
                                .setting("mfa_process_timeout_seconds", "0").build(),
                         "mfa_process_timeout_seconds '0' for profile 'dev' is not a number of seconds from 1 to 3600");
    }

    /** A provider reading the profile files as the SDK finds them by default, with a code at hand. */
    private MfaSessionProvider withDefaultProfileFiles() {
        fixture.environment.put("AWS_MFA_CODE", fixture.code());
        return fixture.builder().profileFile(ProfileFiles::readDefault).build();
    }

    @Test
    void missingConfigFilesAreRefusedNamingTheProfileAndBothFiles() {
        Path config = folder.resolve("no-config");
        Path credentials = folder.resolve("no-credentials");
        try (DefaultProfileFiles files = DefaultProfileFiles.at(config, credentials)) {
            refusedBeforeSts(withDefaultProfileFiles(), "Profile 'dev' was not found in " + config + " or " + credentials + ".");
        }
    }

    @Test
    void aConfigFileThatCannotBeReadIsRefusedSayingSoNotBlamingItsSyntax() throws IOException {
        Path notAFile = Files.createDirectory(folder.resolve("config-folder"));
        MfaSessionProvider provider = fixture.builder()
                                             .profileFile(() -> ProfileFile.builder().content(notAFile).type(ProfileFile.Type.CONFIGURATION).build())
                                             .build();

        MfaSessionException e = refusedBeforeSts(provider, "Check that each file exists, is a file and can be read by this user.");
        assertFalse(e.getMessage().contains("syntax"), e.getMessage());
    }

    @Test
    void brokenProfileSyntaxIsRefusedNamingTheLine() {
        fixture.writeConfig("[profile broken\n");
        fixture.environment.put("AWS_MFA_CODE", fixture.code());

        refusedBeforeSts(fixture.builder().build(), "Could not read the AWS config file " + fixture.config + ": Profile definition must end with ']'"
                                                    + " on line 5. End the profile name on line 5 with ']', as in [profile dev]");
    }

    @Test
    void aBrokenLineHoldingTheSecretKeyIsRefusedWithoutQuotingIt() {
        fixture.writeCredentials("[dev]\naws_access_key_id = " + fixture.user.accessKeyId() + "\naws_secret_access_key " + fixture.user.secretAccessKey() + "\n");
        fixture.environment.put("AWS_MFA_CODE", fixture.code());

        MfaSessionException e = refusedBeforeSts(fixture.builder().build(), "Could not read the AWS credentials file " + fixture.credentials
                                                                            + ": Expected an '=' sign defining a property on line 3.");
        assertFalse(e.getMessage().contains(fixture.user.secretAccessKey()), e.getMessage());
    }

    @Test
    void aProfileThatIsNotThereIsRefusedNamingIt() {
        fixture.environment.put("AWS_MFA_CODE", fixture.code());

        refusedBeforeSts(fixture.builder().profileName("prod").build(), "Profile 'prod' was not found in ");
    }

    @Test
    void aProfileWithoutMfaSerialIsRefusedNamingTheSetting() {
        fixture.environment.put("AWS_MFA_CODE", fixture.code());
        MfaSessionProvider onlyKeys = fixture.builder()
                                             .profileFile(() -> ProfileFile.builder().content(fixture.credentials).type(ProfileFile.Type.CREDENTIALS).build())
                                             .build();

        refusedBeforeSts(onlyKeys, "Profile 'dev' has no mfa_serial. Add mfa_serial = arn:aws:iam::<account-id>:mfa/<device-name> to the profile");
    }

    @Test
    void aProfileWithoutASecretKeyIsRefusedNamingBothKeys() {
        fixture.writeCredentials("[dev]\naws_access_key_id = " + fixture.user.accessKeyId() + "\n");
        fixture.environment.put("AWS_MFA_CODE", fixture.code());

        refusedBeforeSts(fixture.builder().build(), "Profile 'dev' has no usable access keys");
    }
}
