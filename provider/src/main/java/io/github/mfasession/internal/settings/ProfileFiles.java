package io.github.mfasession.internal.settings;

import io.github.mfasession.MfaSessionException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileLocation;
import software.amazon.awssdk.profiles.ProfileFileSystemSetting;

/**
 * The shared config and credentials files, read as the AWS CLI reads them and parsed by the SDK's own
 * {@link ProfileFile} parser. Users check their setup with the AWS CLI, whose parser (botocore's, Python's
 * {@code configparser} with lower-cased option names and {@code str.strip()}) reads files that the SDK's refuses
 * or reads differently. {@link #normalise(String)} rewrites what the AWS CLI reads into what the SDK reads the same
 * way, one line for one line, so the SDK's line numbers are the user's:
 * <ul>
 *   <li>a UTF-8 byte-order mark at the start is dropped (Windows editors write one; the AWS CLI itself refuses it);</li>
 *   <li>white space means what Python's {@code str.strip()} removes, all of Unicode's (a no-break space U+00A0,
 *       U+3000, ...): a line of only white space is blank, and names and values lose it at both ends;</li>
 *   <li>setting names are lower-cased ({@code AWS_ACCESS_KEY_ID} is {@code aws_access_key_id}), and {@code name: value}
 *       is {@code name = value};</li>
 *   <li>an indented line is a continuation of the setting above only when it is indented deeper than that setting's
 *       line, as in {@code configparser}: so {@code s3 =} followed by indented {@code max_concurrent_requests = 20} stays the
 *       SDK's sub-setting, while setting lines indented alike under a {@code [profile]} line are settings, and an
 *       indented comment is a comment.</li>
 * </ul>
 * Where the SDK and the AWS CLI still differ, the SDK's reading stands: it removes a trailing {@code # comment} from a
 * value, which the AWS CLI keeps as part of it.
 */
public final class ProfileFiles {

    /** Far beyond any real profile file; a bound, so that a mistaken path cannot fill the heap. */
    static final int MAX_BYTES = 8 * 1024 * 1024;
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");
    private static final String CONTINUATION_INDENT = "    ";
    private static final Pattern LINE_NUMBER = Pattern.compile("on line \\d+");

    /**
     * Where {@link #takeOverDefaultFiles()} keeps the default files' paths once it has hidden them from the SDK. System
     * properties rather than a field, and named as the other {@code aws.} ones, so that a JVM started with this one's
     * {@code aws.} system properties (as {@code serve} starts its background server) finds the user's files, not the
     * hiding place. The background server's JVM gets every property with this prefix.
     */
    public static final String PROPERTY_PREFIX = "aws.mfaSessionProvider.";
    static final String CONFIG_FILE_PROPERTY = PROPERTY_PREFIX + "configFile";
    static final String CREDENTIALS_FILE_PROPERTY = PROPERTY_PREFIX + "sharedCredentialsFile";

    private ProfileFiles() {
    }

    /**
     * The files the SDK and the AWS CLI read by default: {@code aws.configFile} or {@code AWS_CONFIG_FILE}, else
     * {@code ~/.aws/config}; {@code aws.sharedCredentialsFile} or {@code AWS_SHARED_CREDENTIALS_FILE}, else
     * {@code ~/.aws/credentials}. A file that does not exist is left out, as the SDK does.
     *
     * @throws MfaSessionException naming the one file that cannot be read, with the line and what to change
     */
    public static ProfileFile readDefault() {
        return read(configurationFilePath(), credentialsFilePath());
    }

    /** The default config file, as the SDK and the AWS CLI find it. */
    public static Path configurationFilePath() {
        String takenOver = System.getProperty(CONFIG_FILE_PROPERTY);
        return takenOver != null ? Paths.get(takenOver) : ProfileFileLocation.configurationFilePath();
    }

    /** The default credentials file, as the SDK and the AWS CLI find it. */
    public static Path credentialsFilePath() {
        String takenOver = System.getProperty(CREDENTIALS_FILE_PROPERTY);
        return takenOver != null ? Paths.get(takenOver) : ProfileFileLocation.credentialsFilePath();
    }

    /**
     * For a process of this library's own, the command line, and never inside a host: from now on the default files
     * are read only here, as the AWS CLI reads them, and the SDK no longer reads them. It would: every SDK client
     * builder parses the default files itself, even when given a profile file (aws-sdk-java-v2 #3269), and fails on
     * lines that the AWS CLI reads, such as a byte-order mark or indented settings. Every client this library builds is
     * given the files read here; code of the process that needs them reads them with {@link #readDefault()}, as
     * {@code ProfileFile.defaultProfileFile()} is empty from now on. This sets the system properties
     * {@code aws.configFile} and {@code aws.sharedCredentialsFile}, which is why a host's JVM never calls it.
     */
    public static synchronized void takeOverDefaultFiles() {
        if (System.getProperty(CONFIG_FILE_PROPERTY) == null || System.getProperty(CREDENTIALS_FILE_PROPERTY) == null) {
            System.setProperty(CONFIG_FILE_PROPERTY, ProfileFileLocation.configurationFilePath().toString());
            System.setProperty(CREDENTIALS_FILE_PROPERTY, ProfileFileLocation.credentialsFilePath().toString());
        }
        // A folder: the SDK skips it as it skips a missing file.
        String noFile = Paths.get(System.getProperty("java.io.tmpdir")).toAbsolutePath().toString();
        System.setProperty(ProfileFileSystemSetting.AWS_CONFIG_FILE.property(), noFile);
        System.setProperty(ProfileFileSystemSetting.AWS_SHARED_CREDENTIALS_FILE.property(), noFile);
    }

    /**
     * Why the SDK's own reading of the default files fails, as every SDK client builder reads them: the one file it
     * cannot read, its line and what to change; empty when it reads both (or they were taken over).
     */
    public static Optional<String> whyTheSdkCannotReadTheDefaultFiles() {
        if (System.getProperty(CONFIG_FILE_PROPERTY) != null) {
            return Optional.empty();
        }
        Optional<String> config = whyTheSdkCannotRead(ProfileFileLocation.configurationFilePath(), ProfileFile.Type.CONFIGURATION);
        return config.isPresent() ? config : whyTheSdkCannotRead(ProfileFileLocation.credentialsFilePath(), ProfileFile.Type.CREDENTIALS);
    }

    private static Optional<String> whyTheSdkCannotRead(Path path, ProfileFile.Type type) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            // The SDK skips it.
            return Optional.empty();
        }
        try {
            ProfileFile.builder().content(path).type(type).build();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("The AWS SDK for Java cannot read " + describe(path, type) + ": " + withoutFullStop(e.getMessage())
                               + ". The SDK reads that file itself whenever it makes a client, for this provider's calls to STS as for"
                               + " every other AWS client in this program (aws-sdk-java-v2 #3269), and its parser refuses some lines that"
                               + " the AWS CLI reads. " + advice(e.getMessage()) + " Or use this provider through credential_process:"
                               + " its credential-process command reads the file as the AWS CLI does.");
        }
    }

    /** As {@link #readDefault()}, for these two files. */
    public static ProfileFile read(Path config, Path credentials) {
        ProfileFile.Aggregator files = ProfileFile.aggregator();
        readOne(config, ProfileFile.Type.CONFIGURATION).ifPresent(files::addFile);
        readOne(credentials, ProfileFile.Type.CREDENTIALS).ifPresent(files::addFile);
        return files.build();
    }

    private static String describe(Path path, ProfileFile.Type type) {
        return (type == ProfileFile.Type.CONFIGURATION ? "the AWS config file " : "the AWS credentials file ") + path;
    }

    private static Optional<ProfileFile> readOne(Path path, ProfileFile.Type type) {
        String what = describe(path, type);
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        // Checked before opening: opening a FIFO would wait for a writer.
        if (!Files.isRegularFile(path)) {
            throw MfaSessionException.create("Could not read " + what + ": it is not a regular file. Put the file itself there,"
                                             + " or point " + variable(type) + " at it.");
        }
        String text;
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw MfaSessionException.create("Could not read " + what + ": it is larger than " + MAX_BYTES / (1024 * 1024)
                                                 + " MiB, which no profile file needs. Check that " + variable(type) + " names the right file.");
            }
            // Malformed UTF-8 becomes U+FFFD, as the SDK's own reader makes it.
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            throw MfaSessionException.create("Could not read " + what + ": " + reason(e)
                                             + ". Check that it is a file that this user can read.", e);
        }
        try {
            byte[] normalised = normalise(text).getBytes(StandardCharsets.UTF_8);
            return Optional.of(ProfileFile.builder().content(new ByteArrayInputStream(normalised)).type(type).build());
        } catch (RuntimeException e) {
            // The SDK's parser names a broken line by its number and never quotes it: the line may hold a secret key.
            throw MfaSessionException.create("Could not read " + what + ": " + withoutFullStop(e.getMessage()) + ". " + advice(e.getMessage()));
        }
    }

    /** Why reading failed, without the path again: a FileSystemException's message is the path. */
    private static String reason(Exception e) {
        Throwable cause = e instanceof UncheckedIOException ? e.getCause() : e;
        if (cause instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (cause instanceof FileSystemException && ((FileSystemException) cause).getReason() != null) {
            return ((FileSystemException) cause).getReason();
        }
        return withoutFullStop(cause.getMessage());
    }

    private static String variable(ProfileFile.Type type) {
        return type == ProfileFile.Type.CONFIGURATION ? "AWS_CONFIG_FILE" : "AWS_SHARED_CREDENTIALS_FILE";
    }

    /** What to change, for each complaint of the SDK's parser. */
    private static String advice(String complaint) {
        String text = String.valueOf(complaint);
        Matcher line = LINE_NUMBER.matcher(text);
        String there = line.find() ? "line " + line.group().substring("on line ".length()) : "that line";
        if (text.startsWith("Expected an '=' sign")) {
            return "Write each setting as name = value (" + there + " is not shown here: it may hold a secret key).";
        }
        if (text.contains("must end with ']'")) {
            return "End the profile name on " + there + " with ']', as in [profile dev] (in the credentials file: [dev]).";
        }
        if (text.startsWith("Expected a profile definition")) {
            return "Put a profile line such as [profile dev] (in the credentials file: [dev]) before the first setting.";
        }
        if (text.startsWith("Expected a profile or property definition")) {
            return "Remove the indentation of " + there + ", or indent it under a setting with an empty value (name =) as one of its sub-settings.";
        }
        if (text.startsWith("Property did not have a name")) {
            return "Put the setting's name before '=' on " + there + ".";
        }
        return "Fix " + there + " and try again.";
    }

    private static String withoutFullStop(String text) {
        String trimmed = String.valueOf(text).trim();
        return trimmed.endsWith(".") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    /**
     * The profile file text as the AWS CLI reads it, written so that the SDK's parser reads it the same way; as many
     * lines as the text has. See the class comment for the rules.
     */
    static String normalise(String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String[] lines = LINE_BREAK.split(body, -1);
        StringBuilder out = new StringBuilder(body.length() + 64);
        // As configparser keeps them: whether a setting was read since the last [section] line, the indentation of the
        // line that started it, and whether its value was empty, which makes its continuation lines sub-settings.
        boolean inSetting = false;
        int settingIndent = 0;
        boolean subSettings = false;
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.append('\n');
            }
            String line = lines[i];
            String content = strip(line);
            if (content.isEmpty()) {
                continue;
            }
            char first = content.charAt(0);
            if (first == '#' || first == ';') {
                out.append(content);
                continue;
            }
            int indent = indentOf(line);
            if (inSetting && indent > settingIndent) {
                out.append(CONTINUATION_INDENT).append(subSettings ? subSetting(content) : content);
                continue;
            }
            int delimiter = delimiterOf(content);
            if (first == '[' || delimiter <= 0) {
                // A [section] line, or one the SDK's parser will refuse with its line number, as the AWS CLI refuses it.
                out.append(content);
                inSetting = false;
                continue;
            }
            String value = strip(content.substring(delimiter + 1));
            out.append(strip(content.substring(0, delimiter)).toLowerCase(Locale.ROOT)).append(" = ").append(value);
            inSetting = true;
            settingIndent = indent;
            subSettings = value.isEmpty();
        }
        return out.toString();
    }

    /** configparser's delimiter: the first '=' or ':' of the line; -1 when it has neither. */
    private static int delimiterOf(String content) {
        int equals = content.indexOf('=');
        int colon = content.indexOf(':');
        if (equals < 0 || colon < 0) {
            return Math.max(equals, colon);
        }
        return Math.min(equals, colon);
    }

    /**
     * A sub-setting line ({@code name = value} under {@code s3 =}) as botocore reads it: name and value stripped of
     * all white space, the name kept as written. Left as it is where the SDK's own trimming reads it alike.
     */
    private static String subSetting(String content) {
        int equals = content.indexOf('=');
        if (equals < 0) {
            return content;
        }
        String name = content.substring(0, equals);
        String value = content.substring(equals + 1);
        if (strip(name).equals(name.trim()) && strip(value).equals(value.trim())) {
            return content;
        }
        return strip(name) + " = " + strip(value);
    }

    private static int indentOf(String line) {
        int i = 0;
        while (i < line.length() && isSpace(line.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The text without white space at either end, as Python's {@code str.strip()} removes it. */
    static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    /** Python's white space ({@code str.isspace()}): Java's, plus the no-break spaces (U+00A0, U+2007, U+202F) and U+0085. */
    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }
}
