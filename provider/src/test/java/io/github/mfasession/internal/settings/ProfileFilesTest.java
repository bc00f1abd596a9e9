package io.github.mfasession.internal.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mfasession.MfaSessionException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * Profile files as the AWS CLI reads them: each quirk in real users' files (src/test/resources/profile-files) and
 * its kin, with the value the AWS CLI reads from it. The values in the table are checked against the AWS CLI itself
 * ({@code /usr/bin/aws configure get}, the Debian package that {@code .ci/run} installs), so the table cannot drift
 * from what the CLI does.
 */
class ProfileFilesTest {

    private static final String KEY_ID = "AKIAFAKEALICE0000001";
    private static final String SECRET = "aliceSecretKeyForTestsOnly00000000000001";
    private static final String SERIAL = "arn:aws:iam::123456789012:mfa/alice";
    private static final Path AWS_CLI = Path.of("/usr/bin/aws");

    @TempDir
    Path folder;

    /**
     * One quirk: a config or credentials file holding profile {@code dev}, a key, and the value the AWS CLI reads for
     * it ({@code cliReadsIt} false where the AWS CLI refuses the file and this provider still reads it).
     */
    record Quirk(String name, ProfileFile.Type type, byte[] content, String key, String value, boolean cliReadsIt) {

        static Quirk config(String name, String text, String key, String value) {
            return new Quirk(name, ProfileFile.Type.CONFIGURATION, text.getBytes(StandardCharsets.UTF_8), key, value, true);
        }

        static Quirk credentials(String name, String text, String key, String value) {
            return new Quirk(name, ProfileFile.Type.CREDENTIALS, text.getBytes(StandardCharsets.UTF_8), key, value, true);
        }

        static Quirk fixture(String file, String key, String value, boolean cliReadsIt) {
            ProfileFile.Type type = file.startsWith("config") ? ProfileFile.Type.CONFIGURATION : ProfileFile.Type.CREDENTIALS;
            return new Quirk("users' " + file, type, resource(file), key, value, cliReadsIt);
        }

        @Override
        public String toString() {
            return name + ": " + key;
        }
    }

    static byte[] resource(String file) {
        try (InputStream in = ProfileFilesTest.class.getResourceAsStream("/profile-files/" + file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Stream<Quirk> quirks() {
        return Stream.of(
            // The users' files, as they sent them.
            Quirk.fixture("config.bom", "region", "us-east-1", false),
            Quirk.fixture("config.bom", "mfa_serial", SERIAL, false),
            Quirk.fixture("credentials.bom", "aws_access_key_id", KEY_ID, false),
            Quirk.fixture("config.nbsp", "region", "us-east-1", true),
            Quirk.fixture("config.nbsp", "mfa_serial", SERIAL, true),
            Quirk.fixture("credentials.indented", "aws_access_key_id", KEY_ID, true),
            Quirk.fixture("credentials.indented", "aws_secret_access_key", SECRET, true),
            Quirk.fixture("credentials.uppercase", "aws_access_key_id", KEY_ID, true),
            Quirk.fixture("credentials.uppercase", "aws_secret_access_key", SECRET, true),
            // Their kin.
            Quirk.credentials("settings indented by tabs", "[dev]\n\taws_access_key_id = " + KEY_ID + "\n\taws_secret_access_key = " + SECRET + "\n",
                              "aws_secret_access_key", SECRET),
            Quirk.credentials("a blank line of other Unicode spaces (U+3000, U+2003)",
                              "[other]\nx = 1\n\u3000\u2003\n[dev]\naws_access_key_id = " + KEY_ID + "\n", "aws_access_key_id", KEY_ID),
            Quirk.credentials("no-break spaces around '=' and after the value",
                              "[dev]\naws_access_key_id\u00a0=\u00a0" + KEY_ID + "\u00a0\n", "aws_access_key_id", KEY_ID),
            Quirk.credentials("an indented comment between settings",
                              "[dev]\naws_access_key_id = " + KEY_ID + "\n    # rotated in May\naws_secret_access_key = " + SECRET + "\n",
                              "aws_access_key_id", KEY_ID),
            Quirk.config("name: value", "[profile dev]\nregion: eu-west-1\n", "region", "eu-west-1"),
            Quirk.config("a mixed-case name in the config file", "[profile dev]\nMFA_Serial = " + SERIAL + "\n", "mfa_serial", SERIAL),
            Quirk.config("an indented profile line", "  [profile dev]\nregion = eu-west-1\n", "region", "eu-west-1"),
            Quirk.config("Windows line ends", "[profile dev]\r\nregion = eu-west-1\r\n", "region", "eu-west-1"),
            // What the SDK already reads as the AWS CLI does must stay so: its sub-settings and continued values.
            Quirk.config("the SDK's sub-settings", "[profile dev]\ns3 =\n    max_concurrent_requests = 20\n    addressing_style = path\nregion = eu-west-1\n",
                         "s3.max_concurrent_requests", "20"),
            Quirk.config("a sub-setting indented by a tab with no-break spaces around '='", "[profile dev]\ns3 =\n\tAddressing_Style\u00a0=\u00a0path\n",
                         "s3.Addressing_Style", "path"),
            Quirk.config("the setting after sub-settings", "[profile dev]\ns3 =\n    max_concurrent_requests = 20\nregion = eu-west-1\n", "region", "eu-west-1"),
            Quirk.config("a continued value", "[profile dev]\ncredential_process = /usr/bin/fetch\n    --flag\n", "credential_process",
                         "/usr/bin/fetch\n--flag"),
            Quirk.credentials("a setting indented deeper than the one above continues it",
                              "[dev]\n  aws_access_key_id = " + KEY_ID + "\n    aws_secret_access_key = " + SECRET + "\n", "aws_access_key_id",
                              KEY_ID + "\naws_secret_access_key = " + SECRET));
    }

    private Path write(Quirk quirk) throws IOException {
        Path file = Files.createTempFile(folder, quirk.type() == ProfileFile.Type.CONFIGURATION ? "config" : "credentials", "");
        return Files.write(file, quirk.content());
    }

    private ProfileFile read(Quirk quirk) throws IOException {
        Path file = write(quirk);
        Path none = folder.resolve("none");
        return quirk.type() == ProfileFile.Type.CONFIGURATION ? ProfileFiles.read(file, none) : ProfileFiles.read(none, file);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quirks")
    void eachQuirkReadsTheValueTheAwsCliReads(Quirk quirk) throws IOException {
        Optional<Profile> dev = read(quirk).profile("dev");

        assertTrue(dev.isPresent(), quirk.name());
        assertEquals(Optional.of(quirk.value()), dev.get().property(quirk.key()), quirk.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quirks")
    void theAwsCliReadsTheValueInTheTable(Quirk quirk) throws Exception {
        assumeTrue(Files.isExecutable(AWS_CLI), "the AWS CLI is not installed at " + AWS_CLI + " (.ci/run installs it)");
        Path file = write(quirk);
        Path empty = Files.createTempFile(folder, "empty", "");
        boolean config = quirk.type() == ProfileFile.Type.CONFIGURATION;

        ProcessBuilder cli = new ProcessBuilder(AWS_CLI.toString(), "configure", "get", quirk.key(), "--profile", "dev");
        cli.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        cli.environment().put("HOME", folder.toString());
        cli.environment().put("AWS_CONFIG_FILE", (config ? file : empty).toString());
        cli.environment().put("AWS_SHARED_CREDENTIALS_FILE", (config ? empty : file).toString());
        Process process = cli.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));

        if (quirk.cliReadsIt()) {
            assertEquals(0, process.exitValue(), output);
            assertEquals(quirk.value(), output.stripTrailing());
        } else {
            assertNotEquals(0, process.exitValue(), output);
            assertTrue(output.contains("Unable to parse config file"), output);
        }
    }

    @Test
    void theSdksOwnParserRefusesOrMisreadsTheUsersFiles() throws IOException {
        for (String file : List.of("config.bom", "config.nbsp", "credentials.bom", "credentials.indented")) {
            ProfileFile.Type type = file.startsWith("config") ? ProfileFile.Type.CONFIGURATION : ProfileFile.Type.CREDENTIALS;
            assertThrows(IllegalArgumentException.class,
                         () -> ProfileFile.builder().content(new ByteArrayInputStream(resource(file))).type(type).build(), file);
        }
        ProfileFile uppercase = ProfileFile.builder().content(new ByteArrayInputStream(resource("credentials.uppercase")))
                                           .type(ProfileFile.Type.CREDENTIALS).build();
        assertEquals(Optional.empty(), uppercase.profile("dev").orElseThrow().property("aws_access_key_id"));
    }

    @Test
    void aLineThatStillCannotBeReadIsNamedWithItsFileItsNumberAndWhatToChange() throws IOException {
        Path credentials = Files.writeString(folder.resolve("credentials"), "[dev]\naws_access_key_id = " + KEY_ID + "\n\naws_secret_access_key " + SECRET + "\n");

        MfaSessionException e = assertThrows(MfaSessionException.class, () -> ProfileFiles.read(folder.resolve("none"), credentials));

        assertEquals("Could not read the AWS credentials file " + credentials + ": Expected an '=' sign defining a property on line 4."
                     + " Write each setting as name = value (line 4 is not shown here: it may hold a secret key).", e.getMessage());
    }

    @Test
    void aBlankLineOfAZeroWidthSpaceIsNotWhiteSpaceForTheAwsCliEither() throws IOException {
        Path config = Files.writeString(folder.resolve("config"), "[profile other]\nregion = eu-west-1\n\u200b\n[profile dev]\nregion = us-east-1\n");

        MfaSessionException e = assertThrows(MfaSessionException.class, () -> ProfileFiles.read(config, folder.resolve("none")));

        assertTrue(e.getMessage().startsWith("Could not read the AWS config file " + config + ": Expected an '=' sign defining a property on line 3."),
                   e.getMessage());
    }

    @Test
    void aFolderInPlaceOfAFileIsNamed() throws IOException {
        Path config = Files.createDirectory(folder.resolve("config"));

        MfaSessionException e = assertThrows(MfaSessionException.class, () -> ProfileFiles.read(config, folder.resolve("none")));

        assertEquals("Could not read the AWS config file " + config + ": it is not a regular file. Put the file itself there, or point"
                     + " AWS_CONFIG_FILE at it.", e.getMessage());
    }

    @Test
    void aLinkToNothingIsAMissingFileAsTheSdkTreatsIt() throws IOException {
        Path credentials = Files.createSymbolicLink(folder.resolve("credentials"), folder.resolve("nowhere"));

        assertEquals(Optional.empty(), ProfileFiles.read(folder.resolve("none"), credentials).profile("dev"));
    }

    @Test
    void aFileLargerThanAnyProfileFileIsRefusedNamingIt() throws IOException {
        Path config = folder.resolve("config");
        byte[] line = "# padding padding padding padding padding padding padding padding padding\n".getBytes(StandardCharsets.UTF_8);
        try (var out = Files.newOutputStream(config)) {
            for (long written = 0; written <= ProfileFiles.MAX_BYTES; written += line.length) {
                out.write(line);
            }
        }

        MfaSessionException e = assertThrows(MfaSessionException.class, () -> ProfileFiles.read(config, folder.resolve("none")));

        assertTrue(e.getMessage().startsWith("Could not read the AWS config file " + config + ": it is larger than 8 MiB"), e.getMessage());
    }

    /** Any text: as many lines after as before, so the SDK's line numbers in its messages are the user's. */
    @Property(tries = 500)
    void normalisingKeepsEveryLine(@ForAll("profileText") String text) {
        String normalised = ProfileFiles.normalise(text);

        assertEquals(text.startsWith("\uFEFF") ? lines(text.substring(1)) : lines(text), lines(normalised));
    }

    private static int lines(String text) {
        return text.split("\r\n|\r|\n", -1).length;
    }

    /** A file without quirks, which the SDK already reads as the AWS CLI does, reads the same after normalising. */
    @Property(tries = 300)
    void aFileTheSdkAlreadyReadsReadsTheSameAfterNormalising(@ForAll("plainFiles") String text) {
        ProfileFile before = ProfileFile.builder().content(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))
                                        .type(ProfileFile.Type.CONFIGURATION).build();
        ProfileFile after = ProfileFile.builder().content(new ByteArrayInputStream(ProfileFiles.normalise(text).getBytes(StandardCharsets.UTF_8)))
                                       .type(ProfileFile.Type.CONFIGURATION).build();

        assertEquals(properties(before), properties(after));
    }

    private static Map<String, Map<String, String>> properties(ProfileFile file) {
        Map<String, Map<String, String>> all = new TreeMap<>();
        file.profiles().forEach((name, profile) -> all.put(name, new TreeMap<>(profile.properties())));
        return all;
    }

    @Provide
    Arbitrary<String> profileText() {
        Arbitrary<String> pieces = Arbitraries.oneOf(List.of(
            Arbitraries.strings().ofMaxLength(30),
            Arbitraries.of("[profile dev]", "[dev]", "  x = 1", "\tx: 2", "s3 =", "    a = b", "# c", " ; c", "\u00a0", "\u3000", "\uFEFF", "=",
                           "\r", "\r\n", "\n", "", "key", "KEY = V")));
        return pieces.list().ofMaxSize(12).map(parts -> String.join("\n", parts));
    }

    @Provide
    Arbitrary<String> plainFiles() {
        Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').withChars('_').ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> value = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                                             .withChars('/', '+', ':', '.', '-', '=').ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> setting = Combinators.combine(name, value, Arbitraries.of(" = ", "=", " =", "= ")).as((n, v, eq) -> n + eq + v);
        Arbitrary<String> subSettings = Combinators.combine(name, setting.list().ofMinSize(1).ofMaxSize(3))
                                                   .as((n, subs) -> n + " =\n" + String.join("\n", subs.stream().map(sub -> "    " + sub).toList()));
        Arbitrary<String> section = Combinators.combine(name, Arbitraries.oneOf(List.of(setting, subSettings)).list().ofMaxSize(4),
                                                        Arbitraries.of("", "\n", "\n# note\n"))
                                               .as((n, body, gap) -> "[profile " + n + "]\n" + String.join("\n", body) + "\n" + gap);
        return section.list().ofMaxSize(4).map(sections -> String.join("", sections));
    }

    @Test
    void theNormalisedTextOfTheUsersFilesIsWhatTheSdkReadsAsTheAwsCliDoes() {
        List<String> normalised = new ArrayList<>();
        for (String file : List.of("config.bom", "config.nbsp", "credentials.indented", "credentials.uppercase")) {
            normalised.add(ProfileFiles.normalise(new String(resource(file), StandardCharsets.UTF_8)));
        }

        assertEquals("[profile dev]\nregion = us-east-1\nmfa_serial = " + SERIAL + "\n", normalised.get(0));
        assertEquals("[profile other]\nregion = eu-west-1\n\n[profile dev]\nregion = us-east-1\nmfa_serial = " + SERIAL + "\n", normalised.get(1));
        assertEquals("[dev]\naws_access_key_id = " + KEY_ID + "\naws_secret_access_key = " + SECRET + "\n", normalised.get(2));
        assertEquals(normalised.get(2), normalised.get(3));
        assertFalse(normalised.get(0).startsWith("\uFEFF"));
    }
}
