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
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * Every path that touches a secret, in one process whose loggers all write at TRACE: a rejected code then a
 * good one, sessions from memory and from disk, a corrupt cache file cut inside a secret, each kind of failure,
 * a code echoed by STS, a role chain, base credentials from credential_process, and the credential-process
 * command in JVMs of its own, printing every exception's stack trace (its message, {@code toString()} and causes)
 * and every object's {@code toString()} as a host would log them. What this class prints itself starts with a
 * {@code [flow]} line shaped like a log record's, so the test can tell every line's logger. The secrets go to the
 * file named by the first argument, one a line, for the test to look for in what was printed; so does the device's
 * serial.
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
        person.requests.forEach(request -> System.err.println("[flow] INFO toString - request: " + request));
        System.err.println("[flow] INFO toString - provider: " + fixture.builder().codeSupplier(person).build());
        System.err.println("[flow] INFO toString - session: " + session);

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
        fixture.sts.failNext(1, 500, "InternalFailure");
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
        fixture.environment.clear();

        // STS (or a proxy in its place) echoing the code in its error text.
        fixture.clock.advance(Duration.ofMinutes(1));
        String echoed = code(fixture.code());
        fixture.sts.respondNextWithRaw(1, 400, "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Value '" + echoed
                                               + "' at 'tokenCode' failed</Message></Error><RequestId>1</RequestId></ErrorResponse>");
        fail(fixture.builder().codeSupplier(ScriptedCodes.machine(request -> echoed)).cache("memory"));

        roles(fixture);
        baseCredentialsFromAProcess(fixture);
        credentialProcessCommand(fixture);
    }

    /** Role chaining: the MFA session signs AssumeRole of jump, whose session signs AssumeRole of prod; and a refused role. */
    private void roles(StsFixture fixture) throws IOException {
        fixture.clock.advance(Duration.ofMinutes(1));
        ScriptedCodes machine = ScriptedCodes.machine(request -> code(fixture.code()));
        String jump = fixture.sts.addRole("jump", true);
        String prod = fixture.sts.addRole("prod-admin", true);
        String endpoint = "region = us-east-1\nendpoint_url = " + fixture.sts.endpoint() + "\n";
        fixture.writeConfig("[profile jump]\nrole_arn = " + jump + "\nsource_profile = dev\n" + endpoint
                            + "[profile prod]\nrole_arn = " + prod + "\nsource_profile = jump\nrole_session_name = alice\n" + endpoint
                            + "[profile nobody]\nrole_arn = arn:aws:iam::" + fixture.sts.accountId() + ":role/nobody\nsource_profile = dev\n" + endpoint);
        keep(fixture.builder().profileName("dev").codeSupplier(machine).build().resolveCredentials());
        keep(fixture.builder().profileName("jump").codeSupplier(machine).build().resolveCredentials());
        AwsSessionCredentials role = keep(fixture.builder().profileName("prod").codeSupplier(machine).build().resolveCredentials());
        System.err.println("[flow] INFO toString - role session: " + role);
        try (MfaSessionProvider nobody = fixture.builder().profileName("nobody").codeSupplier(machine).build()) {
            nobody.resolveCredentials();
        } catch (RuntimeException e) {
            printed(e);
        }
    }

    /** Base credentials from the SDK's credential_process support: the long-term keys come out of a command. */
    private void baseCredentialsFromAProcess(StsFixture fixture) throws IOException {
        fixture.clock.advance(Duration.ofMinutes(1));
        Path keys = Files.writeString(fixture.folder.resolve("keys.json"), "{\"Version\": 1, \"AccessKeyId\": \"" + fixture.user.accessKeyId()
                                                                           + "\", \"SecretAccessKey\": \"" + fixture.user.secretAccessKey() + "\"}");
        Files.writeString(fixture.config, Files.readString(fixture.config) + "[profile from-process]\ncredential_process = cat " + keys
                                          + "\nmfa_serial = " + fixture.serial() + "\nregion = us-east-1\nendpoint_url = " + fixture.sts.endpoint() + "\n");
        keep(fixture.builder().profileName("from-process").codeSupplier(ScriptedCodes.machine(request -> code(fixture.code())))
                    .build().resolveCredentials());
    }

    /**
     * The command line's credential-process, in a JVM of its own that logs as this one does: an MFA session, then a
     * role chain from it. Its standard error is printed here to be searched; its standard output, the credentials it
     * is there to print, is kept as secrets.
     */
    private void credentialProcessCommand(StsFixture fixture) throws IOException {
        fixture.clock.advance(Duration.ofMinutes(1));
        String code = code(fixture.code());
        Path cache = fixture.folder.resolve("command-cache");
        for (String profile : List.of("dev", "jump", "prod")) {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                                                           "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace", "-cp", System.getProperty("java.class.path"),
                                                           "io.github.mfasession.internal.cli.Main", "credential-process", "--profile", profile));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
            builder.environment().put("HOME", fixture.folder.toString());
            builder.environment().put("AWS_CONFIG_FILE", fixture.config.toString());
            builder.environment().put("AWS_SHARED_CREDENTIALS_FILE", fixture.credentials.toString());
            builder.environment().put("AWS_MFA_CACHE_DIR", cache.toString());
            builder.environment().put("AWS_MFA_CODE", code);
            Path out = fixture.folder.resolve("command-" + profile + ".json");
            Process process = builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                                     .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.PIPE).start();
            String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            System.err.print(errors);
            try {
                if (process.waitFor() != 0) {
                    System.err.println("[flow] ERROR credential-process - the command failed for profile " + profile);
                }
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            JsonNode json = JsonNode.parser().parse(Files.readString(out));
            secrets.add(json.field("SecretAccessKey").orElseThrow().text());
            secrets.add(json.field("SessionToken").orElseThrow().text());
        }
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
            System.err.println("[flow] ERROR fail - unexpectedly got a session");
        } catch (RuntimeException e) {
            printed(e);
        }
    }

    /** As a host logs a failure: message, toString and every cause, with stack frames; under a line the test reads as a record's. */
    private static void printed(RuntimeException e) {
        System.err.println("[flow] ERROR printStackTrace - a failure as a host logs it:");
        e.printStackTrace();
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
