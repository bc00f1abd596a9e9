package io.github.mfasession.internal.cli;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaCodeSupplier;
import io.github.mfasession.MfaSessionException;
import io.github.mfasession.MfaSessionProvider;
import io.github.mfasession.internal.code.CodeSuppliers;
import io.github.mfasession.testkit.IamUser;
import io.github.mfasession.testkit.StsEmulator;
import io.github.mfasession.testkit.Totp;
import io.github.mfasession.testkit.VirtualMfaDevice;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * {@code demo}: the whole flow with no AWS account. A local STS emulator, a throwaway profile and virtual MFA
 * device; the user types the code the device shows through the supplier the automatic choice gives a person
 * (terminal, desktop's dialog program, Swing dialog); then
 * {@code credential-process} in a second JVM is served from the disk cache.
 */
final class DemoCommand extends Command {

    private static final String PROFILE = "demo";

    DemoCommand() {
        super("demo", "demo", "try the whole flow locally: STS emulator, throwaway profile, virtual MFA device");
    }

    @Override
    List<String> description() {
        return List.of("Runs the whole flow on this machine with no AWS account: starts the local STS emulator on loopback,"
                       + " makes a throwaway profile and virtual MFA device in a temporary folder, shows the code the device"
                       + " shows, asks for it as the automatic choice would (on the terminal, else in the desktop's own dialog"
                       + " program or a Swing dialog; with none, it enters the code itself),"
                       + " prints the session without its secrets, and shows a second process served from the disk cache."
                       + " The temporary folder is removed at the end, also on Ctrl-C.");
    }

    @Override
    int run(Options options, PrintStream out, PrintStream err) {
        Path folder = temporaryFolder();
        // Ctrl-C at the prompt ends the JVM without running the finally below; the hook removes the folder then.
        Thread removeFolder = new Thread(() -> delete(folder), "demo-folder-removal");
        Runtime.getRuntime().addShutdownHook(removeFolder);
        try (StsEmulator sts = StsEmulator.start()) {
            out.println("mfa-session-provider demo: the whole flow on this machine, with no AWS account.");
            out.println();
            out.println("1. Started a local STS emulator at " + sts.endpoint() + ".");
            IamUser user = sts.addUser("demo-user");
            VirtualMfaDevice device = sts.addVirtualMfaDevice(user);
            ProfileFile profiles = writeProfile(folder, sts, user, device);
            out.println("2. Made a throwaway profile '" + PROFILE + "' in " + folder + " for IAM user " + user.userName()
                        + ",\n   with mfa_serial = " + device.serialNumber());

            out.println("3. The provider needs a session, so it asks for a code (STS takes the code the device shows, or the one just"
                        + "\n   before or after it, each once).");
            MfaCodeSupplier supplier = new ShowingTheCode(supplierFor(sts, device, out), sts, device.serialNumber(), out);

            MfaSessionProvider.Builder builder = MfaSessionProvider.builder()
                                                                   .profileName(PROFILE)
                                                                   .profileFile(profiles)
                                                                   .mfaSerial(device.serialNumber())
                                                                   .region(Region.US_EAST_1)
                                                                   .stsEndpoint(sts.endpoint())
                                                                   .cache("disk")
                                                                   .cacheDirectory(folder.resolve("cache"))
                                                                   .codeSupplier(supplier);
            AwsSessionCredentials session;
            try (MfaSessionProvider provider = builder.build()) {
                session = provider.resolveCredentials();
            }
            out.println("4. STS GetSessionToken gave a session: access key " + session.accessKeyId() + ", valid until "
                        + session.expirationTime().orElseThrow().truncatedTo(ChronoUnit.SECONDS) + " (the secret key and token are not shown).");
            out.println("   The session works: GetCallerIdentity says " + callerArn(sts, session) + ".");

            String secondProcess = credentialProcessInAnotherJvm(folder);
            int calls = sts.getSessionTokenCalls();
            out.println("5. Another process, `credential-process --profile " + PROFILE + "` as the AWS CLI would run it, printed access key "
                        + secondProcess + " from the disk cache: no prompt, still " + calls + " GetSessionToken call" + (calls == 1 ? "" : "s")
                        + " in all.");
            out.println();
            out.println("Done. With a real profile: MfaSessionProvider.create(\"dev\") in Java, or credential_process; see the README.");
            return Main.OK;
        } finally {
            delete(folder);
            try {
                Runtime.getRuntime().removeShutdownHook(removeFolder);
            } catch (IllegalStateException e) {
                // The JVM is ending already: the hook runs, and finds nothing left to remove.
            }
        }
    }

    /**
     * Shows the device's current code before every attempt, so that a slow typist can always finish, and after a
     * rejected code says why, by the device's codes: it had expired, it was used already, or it was not the device's.
     */
    static final class ShowingTheCode implements MfaCodeSupplier {
        private final MfaCodeSupplier asker;
        private final StsEmulator sts;
        private final String serial;
        private final PrintStream out;
        private String lastTyped;

        ShowingTheCode(MfaCodeSupplier asker, StsEmulator sts, String serial, PrintStream out) {
            this.asker = asker;
            this.sts = sts;
            this.serial = serial;
            this.out = out;
        }

        @Override
        public String name() {
            return asker.name();
        }

        @Override
        public boolean isInteractive() {
            return asker.isInteractive();
        }

        @Override
        public synchronized String code(MfaCodeRequest request) {
            Instant now = Instant.now();
            if (lastTyped != null && request.lastFailure().isPresent()) {
                out.println("   " + whyRejected(sts, serial, lastTyped, now));
            }
            long secondsLeft = Totp.STEP.getSeconds() - Math.floorMod(now.getEpochSecond(), Totp.STEP.getSeconds());
            out.println("   The virtual device shows " + sts.code(serial, now) + " now, for " + secondsLeft + " more seconds.");
            out.flush();
            lastTyped = asker.code(request);
            return lastTyped;
        }
    }

    /** Why STS refused a code of the demo's device, judged by the device's codes around {@code now}. */
    static String whyRejected(StsEmulator sts, String serial, String typed, Instant now) {
        long step = Totp.step(now);
        // STS takes the codes of the current 30-second step and of one step either side, each once.
        for (long accepted = step - 1; accepted <= step + 1; accepted++) {
            if (typed.equals(sts.code(serial, startOf(accepted)))) {
                return "That code was used already: STS takes each code once.";
            }
        }
        for (long older = step - 2; older > step - 20; older--) {
            if (typed.equals(sts.code(serial, startOf(older)))) {
                return "The code expired: STS takes a code only until 30 seconds after the device stops showing it.";
            }
        }
        return "That was not the code the device showed.";
    }

    private static Instant startOf(long step) {
        return Instant.ofEpochSecond(step * Totp.STEP.getSeconds());
    }

    /**
     * The supplier the automatic choice would use for a person (the terminal, else the desktop's dialog program or the
     * Swing dialog, in the order the command line gives them); otherwise, so the demo still runs anywhere, the code is
     * entered for the user.
     */
    private static MfaCodeSupplier supplierFor(StsEmulator sts, VirtualMfaDevice device, PrintStream out) {
        Optional<MfaCodeSupplier> person = CodeSuppliers.discover().applicable(key -> Optional.empty()).filter(MfaCodeSupplier::isInteractive)
                                                        .findFirst();
        if (person.isPresent()) {
            String name = person.get().name();
            out.println("   Type the code " + (name.equals("console") ? "at the prompt on this terminal"
                                               : name.equals("desktop") ? "in the desktop's dialog" : "in the dialog") + ".");
            return person.get();
        }
        out.println("   (No terminal or desktop here, so the demo enters the device's code itself.)");
        return new MfaCodeSupplier() {
            @Override
            public String name() {
                return "demo";
            }

            @Override
            public String code(MfaCodeRequest request) {
                return sts.currentCode(device.serialNumber());
            }
        };
    }

    /**
     * Runs this command line's {@code credential-process} in a new JVM reading the demo's files, with no way to get
     * a code: it can only answer from the disk cache. Returns the access key id it printed.
     */
    private static String credentialProcessInAnotherJvm(Path folder) {
        ProcessBuilder builder = new ProcessBuilder(
            ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
            Main.class.getName(), "credential-process", "--profile", PROFILE);
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().put("AWS_CONFIG_FILE", folder.resolve("config").toString());
        builder.environment().put("AWS_SHARED_CREDENTIALS_FILE", folder.resolve("credentials").toString());
        builder.environment().put("AWS_MFA_CACHE_DIR", folder.resolve("cache").toString());
        builder.environment().put("AWS_MFA_CODE_SUPPLIER", "env");
        builder.redirectError(ProcessBuilder.Redirect.INHERIT).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            Process process = builder.start();
            String json = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw MfaSessionException.create("The demo's second process could not read the cached session (see its message above).");
            }
            return JsonNode.parser().parse(json).field("AccessKeyId").map(JsonNode::text).orElse("(none)");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start a second JVM for the demo", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MfaSessionException.create("The demo was interrupted.", e);
        }
    }

    private static String callerArn(StsEmulator sts, AwsSessionCredentials session) {
        try (StsClient client = StsClient.builder()
                                         .endpointOverride(sts.endpoint())
                                         .region(Region.US_EAST_1)
                                         .credentialsProvider(StaticCredentialsProvider.create(session))
                                         .httpClient(UrlConnectionHttpClient.create())
                                         .build()) {
            return client.getCallerIdentity().arn();
        }
    }

    private static ProfileFile writeProfile(Path folder, StsEmulator sts, IamUser user, VirtualMfaDevice device) {
        try {
            Path config = Files.writeString(folder.resolve("config"),
                "[profile " + PROFILE + "]\nregion = us-east-1\nmfa_serial = " + device.serialNumber() + "\nendpoint_url = " + sts.endpoint() + "\n");
            Path credentials = Files.writeString(folder.resolve("credentials"),
                "[" + PROFILE + "]\naws_access_key_id = " + user.accessKeyId() + "\naws_secret_access_key = " + user.secretAccessKey() + "\n");
            return ProfileFile.aggregator()
                              .addFile(ProfileFile.builder().content(config).type(ProfileFile.Type.CONFIGURATION).build())
                              .addFile(ProfileFile.builder().content(credentials).type(ProfileFile.Type.CREDENTIALS).build())
                              .build();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the demo's profile in " + folder, e);
        }
    }

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("mfa-session-demo-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary folder for the demo", e);
        }
    }

    private static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary folder holds only the throwaway profile; nothing to report.
        }
    }
}
