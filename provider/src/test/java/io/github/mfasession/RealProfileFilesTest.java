package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.testkit.IamUser;
import io.github.mfasession.testkit.MutableClock;
import io.github.mfasession.testkit.StsEmulator;
import io.github.mfasession.testkit.VirtualMfaDevice;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The profile files real users sent in (src/test/resources/profile-files, see its README.md), read by the
 * provider as it reads ~/.aws by default ({@code aws.configFile} and {@code aws.sharedCredentialsFile} stand in
 * for {@code AWS_CONFIG_FILE} and {@code AWS_SHARED_CREDENTIALS_FILE}): the base credentials and the settings both
 * come from them, and a session comes back from the local STS.
 */
class RealProfileFilesTest {

    /** The fake keys and device the users' files hold. */
    static final String ACCESS_KEY_ID = "AKIAFAKEALICE0000001";
    static final String SECRET_KEY = "aliceSecretKeyForTestsOnly00000000000001";
    static final String FILES_SERIAL = "arn:aws:iam::123456789012:mfa/alice";

    @TempDir
    Path folder;
    final MutableClock clock = MutableClock.atSystemTime();
    final StsEmulator sts = StsEmulator.builder().clock(clock).build();
    final IamUser alice = sts.addUser("alice", ACCESS_KEY_ID, SECRET_KEY);
    final VirtualMfaDevice device = sts.addVirtualMfaDevice(alice);
    Path config;
    Path credentials;
    private DefaultProfileFiles defaultFiles;

    @BeforeEach
    void pointTheSdkAtTheFiles() {
        config = folder.resolve("config");
        credentials = folder.resolve("credentials");
        defaultFiles = DefaultProfileFiles.at(config, credentials);
    }

    @AfterEach
    void restore() {
        defaultFiles.close();
        sts.close();
    }

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = RealProfileFilesTest.class.getResourceAsStream("/profile-files/" + name)) {
            return in.readAllBytes();
        }
    }

    /** A users' config file, with the emulator's device and endpoint in place of AWS's: its quirks kept as they are. */
    private void writeConfigFrom(String name) throws IOException {
        String text = new String(fixture(name), StandardCharsets.UTF_8).replace(FILES_SERIAL, device.serialNumber());
        Files.writeString(config, text + "endpoint_url = " + sts.endpoint() + "\n");
    }

    private void writePlainConfig() throws IOException {
        Files.writeString(config, "[profile dev]\nregion = us-east-1\nendpoint_url = " + sts.endpoint() + "\nmfa_serial = " + device.serialNumber() + "\n");
    }

    private final ScriptedCodes codes = ScriptedCodes.machine(request -> sts.currentCode(device.serialNumber()));

    private MfaSessionProvider provider() {
        return new MfaSessionProvider.BuilderImpl().profileName("dev").cacheDirectory(folder.resolve("cache")).codeSupplier(codes).build();
    }

    /** Each users' file with its companion (a plain credentials or config file) in the default places. */
    private void writeDefaultFiles(String name) throws IOException {
        if (name.startsWith("config")) {
            writeConfigFrom(name);
            Files.write(credentials, fixture("credentials.nbsp"));
        } else {
            writePlainConfig();
            Files.write(credentials, fixture(name));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"config.bom", "config.nbsp", "credentials.bom", "credentials.indented", "credentials.nbsp", "credentials.uppercase"})
    void credentialProcessReadsEachUsersFileAsTheAwsCliDoes(String name) throws Exception {
        writeDefaultFiles(name);

        ChildJvm.Result result = ChildJvm.run(ChildJvm.builder(io.github.mfasession.internal.cli.Main.class, Map.of(
            "HOME", folder.toString(),
            "AWS_CONFIG_FILE", config.toString(),
            "AWS_SHARED_CREDENTIALS_FILE", credentials.toString(),
            "AWS_MFA_CACHE_DIR", folder.resolve("cache").toString(),
            "AWS_MFA_CODE", sts.currentCode(device.serialNumber())), "credential-process", "--profile", "dev"), folder);

        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stdout().contains("\"AccessKeyId\":\"ASIA"), result.stdout());
        assertEquals(ACCESS_KEY_ID, sts.calls().get(0).accessKeyId(), "the base credentials");
        assertEquals(device.serialNumber(), sts.calls().get(0).serialNumber(), "the settings");
    }

    /** As serve starts its background server: a JVM given the command line's own aws. system properties, hiding place included. */
    @Test
    void aJvmStartedWithTheCommandLinesSystemPropertiesReadsTheUsersFilesNotTheHidingPlace() throws Exception {
        writeDefaultFiles("credentials.indented");
        String hidingPlace = System.getProperty("java.io.tmpdir");
        ProcessBuilder child = ChildJvm.builder(io.github.mfasession.internal.cli.Main.class, Map.of(
            "HOME", folder.toString(),
            "AWS_MFA_CACHE_DIR", folder.resolve("cache").toString(),
            "AWS_MFA_CODE", sts.currentCode(device.serialNumber())), "credential-process", "--profile", "dev");
        child.command().addAll(1, java.util.List.of("-Daws.configFile=" + hidingPlace, "-Daws.sharedCredentialsFile=" + hidingPlace,
                                                    "-Daws.mfaSessionProvider.configFile=" + config, "-Daws.mfaSessionProvider.sharedCredentialsFile=" + credentials));

        ChildJvm.Result result = ChildJvm.run(child, folder);

        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(ACCESS_KEY_ID, sts.calls().get(0).accessKeyId());
    }

    @Test
    void theLibraryReadsUpperCaseKeysAsTheAwsCliDoes() throws IOException {
        writeDefaultFiles("credentials.uppercase");

        assertTrue(provider().resolveCredentials().accessKeyId().startsWith("ASIA"));
        assertEquals(ACCESS_KEY_ID, sts.calls().get(0).accessKeyId());
    }

    /**
     * Inside a host, every SDK client builder parses the default files itself (aws-sdk-java-v2 #3269), the STS client
     * too, so a line the SDK's parser refuses stops every AWS client of the program, not only this provider: the
     * provider names that file and line and what to change, before any code is asked for.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"config.bom", "config.nbsp", "credentials.bom", "credentials.indented"})
    void whereTheSdkItselfCannotReadADefaultFileTheLibraryNamesItsLineBeforeAnyPrompt(String name) throws IOException {
        writeDefaultFiles(name);
        Path file = name.startsWith("config") ? config : credentials;

        MfaSessionException e = assertThrows(MfaSessionException.class, provider()::resolveCredentials);

        assertTrue(e.getMessage().startsWith("The AWS SDK for Java cannot read the AWS " + (name.startsWith("config") ? "config" : "credentials")
                                             + " file " + file + ": "), e.getMessage());
        assertTrue(e.getMessage().matches("(?s).* on line \\d+\\. .*credential_process.*"), e.getMessage());
        assertTrue(codes.requests.isEmpty(), "no code was asked for");
        assertTrue(sts.calls().isEmpty());
    }

    @Test
    void aLineThatStillCannotBeReadIsNamedWithItsOneFileAndLineAndWhatToChange() throws IOException {
        writePlainConfig();
        Files.writeString(credentials, "[dev]\naws_access_key_id = " + ACCESS_KEY_ID + "\naws_secret_access_key " + SECRET_KEY + "\n");

        MfaSessionException e = assertThrows(MfaSessionException.class, provider()::resolveCredentials);

        assertTrue(e.getMessage().startsWith("Could not read the AWS credentials file " + credentials
                                             + ": Expected an '=' sign defining a property on line 3. Write each setting as name = value"),
                   e.getMessage());
        assertFalse(e.getMessage().contains(config.toString()), "names the one file: " + e.getMessage());
        assertFalse(e.getMessage().contains(SECRET_KEY), e.getMessage());
        assertTrue(sts.calls().isEmpty());
    }

    @Test
    void aBrokenConfigFileIsNamedAloneToo() throws IOException {
        Files.writeString(config, "[profile dev]\nregion = us-east-1\n[profile broken\n");
        Files.write(credentials, fixture("credentials.nbsp"));

        MfaSessionException e = assertThrows(MfaSessionException.class, provider()::resolveCredentials);

        assertTrue(e.getMessage().startsWith("Could not read the AWS config file " + config
                                             + ": Profile definition must end with ']' on line 3. "), e.getMessage());
        assertFalse(e.getMessage().contains(credentials.toString()), "names the one file: " + e.getMessage());
    }
}
