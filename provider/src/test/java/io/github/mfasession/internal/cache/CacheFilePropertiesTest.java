package io.github.mfasession.internal.cache;

import static io.github.mfasession.internal.cache.TestSessions.SERIAL;
import static io.github.mfasession.internal.cache.TestSessions.key;
import static io.github.mfasession.internal.cache.TestSessions.session;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.internal.refresh.RefreshPolicy;
import io.github.mfasession.internal.session.Session;
import io.github.mfasession.internal.session.SessionKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever is in a cache file (any bytes, any JSON, a good file cut anywhere), loading it never throws, and a
 * session is trusted only when the file holds a complete, unexpired session of this format for this key.
 */
class CacheFilePropertiesTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final SessionKey KEY = key("dev");
    private static final RefreshPolicy POLICY = new RefreshPolicy(Duration.ofMinutes(5));
    private static Path home;

    @BeforeContainer
    static void createFolder() throws IOException {
        home = Files.createTempDirectory("cache-file-properties");
    }

    @AfterContainer
    static void deleteFolder() throws IOException {
        try (Stream<Path> files = Files.walk(home)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(file);
            }
        }
    }

    private static CacheFolder store() {
        return TestSessions.folder(home.resolve("cache"), Duration.ofSeconds(5));
    }

    /** The key's file, private as this user's own, holding exactly these bytes. */
    private static Optional<Session> loadFrom(byte[] bytes) throws IOException {
        CacheFolder store = store();
        Path file = store.file(KEY);
        Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.write(file, bytes);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return store.load(KEY);
    }

    @Provide
    Arbitrary<byte[]> anyBytes() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(2_000);
        Arbitrary<byte[]> jsonish = Arbitraries.strings().withChars("{}[]\":,0123456789.eE+-truefalsn \\u/VersionExpirationSessionToken")
                                               .ofMaxLength(300).map(text -> text.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> large = Arbitraries.integers().between(60_000, 70_000).map(size -> new byte[size]);
        return Arbitraries.oneOf(List.of(random, jsonish, large));
    }

    @Property(tries = 300)
    void anyBytesLoadWithoutThrowingAndAreNeverTrusted(@ForAll("anyBytes") byte[] bytes) throws IOException {
        assertEquals(Optional.empty(), loadFrom(bytes));
    }

    @Property(tries = 200)
    void aGoodFileCutAnywhereIsNeverTrusted(@ForAll @IntRange(min = 0, max = 10_000) int cut) throws IOException {
        byte[] whole = SessionFile.write(KEY, session("ASIAGOOD", NOW.plus(Duration.ofHours(12))));
        byte[] part = new byte[cut % whole.length];
        System.arraycopy(whole, 0, part, 0, part.length);

        assertEquals(Optional.empty(), loadFrom(part));
    }

    @Property(tries = 200)
    void aGoodFileWithAnyOneByteChangedNeverThrowsAndNeverYieldsASessionUsedPastItsEnd(@ForAll @IntRange(min = 0, max = 10_000) int position,
                                                                                 @ForAll byte value) throws IOException {
        byte[] bytes = SessionFile.write(KEY, session("ASIAGOOD", NOW.plus(Duration.ofHours(12))));
        bytes[position % bytes.length] = value;

        loadFrom(bytes).ifPresent(session -> assertTrue(session.expiration().isAfter(NOW)
                                                        || POLICY.judge(session, NOW.toEpochMilli()) == RefreshPolicy.Decision.RENEW_OR_FAIL,
                                                        "an ended session would be used"));
    }

    /** One field of a cache file: its JSON value (null when absent) and whether that value is one a good file has. */
    static final class Field {
        final String name;
        final String json;
        final boolean valid;
        final String text;

        Field(String name, String json, boolean valid, String text) {
            this.name = name;
            this.json = json;
            this.valid = valid;
            this.text = text;
        }

        @Override
        public String toString() {
            return name + "=" + json + (valid ? " (valid)" : " (invalid)");
        }
    }

    /** A field that is mostly valid, so that a fair share of whole files is complete, and otherwise missing or one of the invalid values. */
    private static Arbitrary<Field> field(String name, Arbitrary<String> validTexts, String... invalidJson) {
        return mostlyValid(name, validTexts.map(text -> new Field(name, quote(text), true, text)), invalidJson);
    }

    private static Arbitrary<Field> mostlyValid(String name, Arbitrary<Field> valid, String... invalidJson) {
        List<Arbitrary<Field>> choices = new ArrayList<>(Collections.nCopies(15, valid));
        choices.add(Arbitraries.just(new Field(name, null, false, null)));
        for (String json : invalidJson) {
            choices.add(Arbitraries.just(new Field(name, json, false, null)));
        }
        return Arbitraries.oneOf(choices);
    }

    /** Non-empty strings of any characters: every secret and token a file could hold. */
    private static Arbitrary<String> anyNonEmptyText() {
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(60);
    }

    @Provide
    Arbitrary<List<Field>> sessionFiles() {
        Arbitrary<Field> version = mostlyValid("Version", Arbitraries.just(new Field("Version", "1", true, null)), "2", "\"1\"", "1.0", "null");
        Arbitrary<Field> profile = field("Profile", Arbitraries.just("dev"), "\"prod\"", "\"Dev\"", "\"\"", "1", "null");
        Arbitrary<Field> serial = field("MfaSerial", Arbitraries.just(SERIAL), "\"arn:aws:iam::123456789012:mfa/bob\"", "\"\"", "[]");
        Arbitrary<Field> accessKeyId = field("AccessKeyId", anyNonEmptyText(), "\"\"", "7", "{}");
        Arbitrary<Field> secret = field("SecretAccessKey", anyNonEmptyText(), "\"\"", "false", "null");
        Arbitrary<Field> token = field("SessionToken", anyNonEmptyText(), "\"\"", "[\"token\"]");
        // Any time, past ones included: whether a session is still good to hand out is the refresh policy's to say.
        Arbitrary<Field> expiration = field("Expiration", Arbitraries.longs().between(-10_000_000, 10_000_000).map(s -> NOW.plusSeconds(s).toString()),
                                            "\"tomorrow\"", "\"2030-01-02\"", "1893456000");
        Arbitrary<Field> obtained = mostlyValid("Obtained", Arbitraries.longs().between(-10_000_000, 0).map(s -> new Field("Obtained",
                                                quote(NOW.plusSeconds(s).toString()), true, null)), "\"soon\"", "\"\"", "0")
                                                 // Files of earlier versions have none: fine.
                                                 .map(field -> field.json == null ? new Field("Obtained", null, true, null) : field);
        // Written for earlier versions, not read: any value, or none, is fine.
        Arbitrary<Field> renewAt = Arbitraries.of(new Field("RenewAt", "\"soon\"", true, null), new Field("RenewAt", null, true, null),
                                                  new Field("RenewAt", quote(NOW.toString()), true, null));
        Arbitrary<Field> extra = Arbitraries.of(new Field("Note", "\"anything\"", true, null), new Field("Note", null, true, null));
        Arbitrary<List<Field>> fields = Combinators.combine(version, profile, serial, accessKeyId, secret, token, expiration, obtained)
                                                   .as(List::of);
        return Combinators.combine(fields, extra, renewAt, Arbitraries.randoms()).as((list, note, renew, random) -> {
            List<Field> shuffled = new ArrayList<>(list);
            shuffled.add(note);
            shuffled.add(renew);
            Collections.shuffle(shuffled, new Random(random.nextLong()));
            return shuffled;
        });
    }

    @Property(tries = 600)
    @StatisticsReport(onFailureOnly = true)
    void anyJsonObjectIsTrustedExactlyWhenItIsACompleteSessionForTheKeyAndNeverUsedPastItsEnd(@ForAll("sessionFiles") List<Field> fields) throws IOException {
        StringBuilder json = new StringBuilder("{");
        for (Field field : fields) {
            if (field.json != null) {
                json.append(json.length() > 1 ? "," : "").append('"').append(field.name).append("\":").append(field.json);
            }
        }
        json.append('}');

        Optional<Session> loaded = loadFrom(json.toString().getBytes(StandardCharsets.UTF_8));

        boolean complete = fields.stream().allMatch(field -> field.valid);
        Statistics.label("complete").collect(complete);
        assertEquals(complete, loaded.isPresent(), json.toString());
        if (loaded.isPresent()) {
            assertEquals(text(fields, "AccessKeyId"), loaded.get().credentials().accessKeyId());
            assertEquals(text(fields, "SecretAccessKey"), loaded.get().credentials().secretAccessKey());
            assertEquals(text(fields, "SessionToken"), loaded.get().credentials().sessionToken());
            assertEquals(Instant.parse(text(fields, "Expiration")), loaded.get().expiration());
            boolean ended = !loaded.get().expiration().isAfter(NOW);
            assertTrue(!ended || POLICY.judge(loaded.get(), NOW.toEpochMilli()) == RefreshPolicy.Decision.RENEW_OR_FAIL,
                       "an ended session must be renewed, never used");
        }
        Statistics.label("complete").coverage(coverage -> {
            coverage.check(true).percentage(percent -> percent > 3);
            coverage.check(false).percentage(percent -> percent > 50);
        });
    }

    private static String text(List<Field> fields, String name) {
        return fields.stream().filter(field -> field.name.equals(name)).findFirst().orElseThrow().text;
    }

    /** A JSON string for any text: everything outside printable ASCII escaped, so no character can break the file. */
    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
