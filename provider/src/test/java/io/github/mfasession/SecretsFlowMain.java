package io.github.mfasession;

import io.github.mfasession.internal.cache.SessionCache;
import io.github.mfasession.testkit.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Every path that touches a secret, in one process whose loggers all write at TRACE: a rejected code then a
 * good one, sessions from memory and from disk, a corrupt cache file cut inside a secret, and each kind of
 * failure, printing every exception's stack trace (its message, {@code toString()} and causes) and every
 * object's {@code toString()} as a host would log them. The secrets themselves go to the file named by the
 * first argument, one a line, for the test to look for in what this process printed; so does the device's serial.
 */
public final class SecretsFlowMain {

    private final Set<String> secrets = new LinkedHashSet<>();
    private final Set<String> codes = new LinkedHashSet<>();
    private String serial;

    public static void main(String[] args) throws IOException {
        Path folder = Files.createTempDirectory("secrets-flow");
        SecretsFlowMain flow = new SecretsFlowMain();
        try (StsFixture fixture = new StsFixture(folder)) {
            flow.run(fixture);
        }
        List<String> lines = new ArrayList<>();
        lines.add("serial " + flow.serial);
        flow.secrets.forEach(secret -> lines.add("secret " + secret));
        flow.codes.forEach(code -> lines.add("code " + code));
        Files.write(Path.of(args[0]), lines, StandardCharsets.UTF_8);
    }

    private void run(StsFixture fixture) throws IOException {
        secrets.add(fixture.user.secretAccessKey());
        serial = fixture.serial();

        // A person who mistypes once, then types the right code: rejected by STS, then a session saved to disk.
        ScriptedCodes person = ScriptedCodes.person(request -> code(request.attempt() == 1 ? wrong(fixture.code()) : fixture.code()));
        AwsSessionCredentials session = keep(fixture.builder().codeSupplier(person).build().resolveCredentials());
        person.requests.forEach(request -> System.err.println("request: " + request));
        System.err.println("provider: " + fixture.builder().codeSupplier(person).build());
        System.err.println("session: " + session);

        // Another provider in this process, then one that has only the disk.
        keep(fixture.builder().codeSupplier(person).build().resolveCredentials());
        SessionCache.forgetInMemory("dev");
        keep(fixture.builder().codeSupplier(person).build().resolveCredentials());

        // The cache file cut inside its secret, as a crash in the middle of a write by a careless tool would leave it.
        Path file = sessionFile(folder(fixture));
        String json = Files.readString(file);
        Files.writeString(file, json.substring(0, json.indexOf(session.secretAccessKey()) + 10));
        SessionCache.forgetInMemory("dev");
        fixture.clock.advance(Duration.ofMinutes(1));
        keep(fixture.builder().codeSupplier(ScriptedCodes.machine(request -> code(fixture.code()))).build().resolveCredentials());

        // Each kind of failure, with a code that was sent or refused.
        fixture.clock.advance(Duration.ofMinutes(1));
        fixture.sts.failNext(4, 500, "InternalFailure");
        fail(fixture.builder().codeSupplier(ScriptedCodes.machine(request -> code(fixture.code()))).cache("memory"));
        fixture.clock.advance(Duration.ofMinutes(1));
        fixture.sts.respondNextWithRaw(1, 200, "<GetSessionTokenResponse><broken");
        fail(fixture.builder().codeSupplier(ScriptedCodes.machine(request -> code(fixture.code()))).cache("memory"));
        fixture.clock.advance(Duration.ofMinutes(1));
        fail(fixture.builder().codeSupplier(ScriptedCodes.machine(request -> code(wrong(fixture.code())))).cache("memory"));
        fail(fixture.builder().codeSupplier(ScriptedCodes.machine(request -> code("98765x"))).cache("memory"));
        MutableClock farAhead = MutableClock.startingAt(fixture.clock.instant().plus(Duration.ofDays(3)));
        fixture.clock.advance(Duration.ofMinutes(1));
        fail(fixture.builder().clock(farAhead).codeSupplier(ScriptedCodes.machine(request -> code(fixture.code()))).cache("memory"));
        fixture.clock.advance(Duration.ofMinutes(1));
        fixture.writeCredentials("[dev]\naws_access_key_id = " + fixture.user.accessKeyId() + "\naws_secret_access_key = wrong" + fixture.user.secretAccessKey() + "\n");
        secrets.add("wrong" + fixture.user.secretAccessKey());
        fail(fixture.builder().codeSupplier(ScriptedCodes.machine(request -> code(fixture.code()))).cache("memory"));
        fixture.writeCredentials("[dev]\naws_access_key_id = " + fixture.user.accessKeyId() + "\naws_secret_access_key " + fixture.user.secretAccessKey() + "\n");
        fail(fixture.builder().codeSupplier(ScriptedCodes.machine(request -> code(fixture.code()))).cache("memory"));
        fixture.writeCredentials("[dev]\naws_access_key_id = " + fixture.user.accessKeyId() + "\naws_secret_access_key = " + fixture.user.secretAccessKey() + "\n");
        fixture.environment.put("AWS_MFA_CODE", code(fixture.code()));
        fixture.environment.put("AWS_MFA_PROCESS", "echo " + code(fixture.code(1)) + " >&2; exit 1");
        fail(fixture.builder().codeSupplier("process").cache("memory"));
        fail(fixture.builder().setting("mfa_serial", "bad serial").cache("memory"));
    }

    private String code(String code) {
        codes.add(code);
        return code;
    }

    private AwsSessionCredentials keep(AwsSessionCredentials session) {
        secrets.add(session.secretAccessKey());
        secrets.add(session.sessionToken());
        return session;
    }

    /** Asks for a session that cannot be had; none in memory stands in the way, as providers of one process share them. */
    private static void fail(MfaSessionProvider.Builder builder) {
        SessionCache.forgetInMemory("dev");
        try (MfaSessionProvider provider = builder.build()) {
            provider.resolveCredentials();
            System.err.println("unexpectedly got a session");
        } catch (RuntimeException e) {
            // As a host logs a failure: message, toString and every cause, with stack frames.
            e.printStackTrace();
        }
    }

    private static Path folder(StsFixture fixture) {
        return fixture.folder.resolve("cache");
    }

    private static Path sessionFile(Path cache) throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            List<Path> sessions = files.filter(f -> f.toString().endsWith(".json")).collect(Collectors.toList());
            return sessions.get(0);
        }
    }

    /** A code the device does not show now: the right one with its last digit changed. */
    private static String wrong(String code) {
        char last = code.charAt(5);
        return code.substring(0, 5) + (char) (last == '9' ? '0' : last + 1);
    }
}
