package io.github.mfasession.internal.cli;

import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.logging.CommandLogging;
import io.github.mfasession.testkit.IamUser;
import io.github.mfasession.testkit.StsEmulator;
import io.github.mfasession.testkit.Totp;
import io.github.mfasession.testkit.VirtualMfaDevice;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code emulator}: the local STS emulator on its own, as LocalStack and moto run AWS, for trying recipes with no
 * AWS account. Its users, keys, account and devices come from {@link EmulatorSeed}, so a profile pasted once keeps
 * working after a restart; {@code emulator code} prints a device's current code from the same seed.
 */
final class EmulatorCommand extends Command {

    static final String DEFAULT_USER = "alice";
    /** The region the printed profiles name; the emulator answers for any. */
    private static final String REGION = "us-east-1";

    EmulatorCommand() {
        super("emulator", "emulator [--port N] [--user NAME ...] [--role NAME ...]",
              "run the local STS emulator, to try recipes with no AWS account", "port", "user", "role");
    }

    @Override
    boolean takesArguments() {
        return true;
    }

    @Override
    List<String> description() {
        return List.of("Runs the project's STS emulator on loopback until Ctrl-C: GetSessionToken (with the 6-digit codes of virtual"
                       + " MFA devices), AssumeRole and GetCallerIdentity, signed and checked as AWS does. It prints the profiles to"
                       + " paste into ~/.aws/credentials and ~/.aws/config.",
                       "The account, each user's keys and each device's secret are derived from a seed kept in"
                       + " ~/.aws/mfa-session/emulator/seed, so they stay the same from one start to the next; delete the file"
                       + " for new ones. They work only against the emulator.",
                       "`emulator code [--user NAME]` prints the current code of the user's device (from the same seed, even"
                       + " while the emulator is not running), so it can also serve as mfa_process.");
    }

    @Override
    List<Map.Entry<String, String>> optionHelp() {
        return List.of(Map.entry("--port N", "the loopback port to listen on (default: a free one, printed)"),
                       Map.entry("--user NAME", "an IAM user with keys and a virtual MFA device (default: " + DEFAULT_USER
                                                + "); repeat for more"),
                       Map.entry("--role NAME", "a role that requires MFA, assumable by every user; repeat for more"));
    }

    @Override
    int run(Options options, PrintStream out, PrintStream err) {
        List<String> arguments = options.arguments();
        if (arguments.equals(List.of("code"))) {
            if (!options.all("port").isEmpty() || !options.all("role").isEmpty() || options.all("user").size() > 1) {
                throw new Options.UsageException("emulator code takes one --user at most.");
            }
            return printCode(options.get("user").orElse(DEFAULT_USER), out);
        }
        if (!arguments.isEmpty()) {
            throw new Options.UsageException("Unexpected argument '" + arguments.get(0) + "'.");
        }
        return serve(port(options), users(options), new LinkedHashSet<>(options.all("role")), out, err);
    }

    private static int port(Options options) {
        String port = options.get("port").orElse("0");
        try {
            int number = Integer.parseInt(port);
            if (number >= 0 && number <= 65_535) {
                return number;
            }
        } catch (NumberFormatException e) {
            // Reported below, with the other bad values.
        }
        throw new Options.UsageException("--port must be a number from 1 to 65535 (or 0 for a free port), not '" + port + "'.");
    }

    private static Set<String> users(Options options) {
        Set<String> users = new LinkedHashSet<>(options.all("user"));
        if (users.isEmpty()) {
            users.add(DEFAULT_USER);
        }
        return users;
    }

    private static int printCode(String userName, PrintStream out) {
        EmulatorSeed seed;
        try {
            seed = EmulatorSeed.load(EmulatorSeed.defaultFile());
        } catch (EmulatorSeed.NoSeedException e) {
            throw MfaSessionException.create("The emulator has no devices yet: " + EmulatorSeed.defaultFile() + " does not exist. Start it"
                                             + " once with the emulator command.");
        }
        out.println(Totp.code(seed.deviceSecret(userName), Instant.now()));
        return Main.OK;
    }

    private static int serve(int port, Set<String> users, Set<String> roles, PrintStream out, PrintStream err) {
        EmulatorSeed seed = EmulatorSeed.loadOrCreate(EmulatorSeed.defaultFile());
        StsEmulator sts;
        try {
            sts = StsEmulator.builder().accountId(seed.accountId()).port(port).build();
        } catch (UncheckedIOException e) {
            throw MfaSessionException.create(e.getMessage() + " Choose another with --port, or leave it out for a free one.", e);
        }
        List<VirtualMfaDevice> devices = new ArrayList<>();
        List<String> roleArns = new ArrayList<>();
        try {
            for (String userName : users) {
                IamUser user = sts.addUser(userName, seed.accessKeyId(userName), seed.secretAccessKey(userName));
                devices.add(sts.addVirtualMfaDevice(user, userName, seed.deviceSecret(userName)));
            }
            for (String role : roles) {
                roleArns.add(sts.addRole(role, true));
            }
        } catch (IllegalArgumentException e) {
            sts.close();
            throw new Options.UsageException(e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sts.close();
            err.println(CommandLogging.PREFIX + "the STS emulator at " + sts.endpoint() + " has stopped.");
            stopped.countDown();
        }, "emulator-stop"));
        out.print(profiles(sts.endpoint(), seed, devices, roleArns));
        out.println("Serving until Ctrl-C.");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Main.OK;
    }

    /** What the user pastes: credentials, config, the environment for older tools, and how to get a code. */
    static String profiles(URI endpoint, EmulatorSeed seed, List<VirtualMfaDevice> devices, List<String> roleArns) {
        String jar = Main.jarPath().map(path -> Launcher.credentialProcessWord(path.toString(), Launcher.ON_WINDOWS))
                         .orElse("/path/to/" + Main.jarName());
        StringBuilder text = new StringBuilder();
        text.append("STS emulator at ").append(endpoint).append(", account ").append(seed.accountId()).append(".\n")
            .append("Its keys and devices come from ").append(seed.file()).append(" and work only here.\n\n")
            .append("# ~/.aws/credentials (or the file AWS_SHARED_CREDENTIALS_FILE names)\n");
        for (VirtualMfaDevice device : devices) {
            IamUser user = device.user();
            text.append('[').append(profile(user)).append("]\n")
                .append("aws_access_key_id = ").append(user.accessKeyId()).append('\n')
                .append("aws_secret_access_key = ").append(user.secretAccessKey()).append("\n\n");
        }
        text.append("# ~/.aws/config (or the file AWS_CONFIG_FILE names)\n");
        for (VirtualMfaDevice device : devices) {
            String profile = profile(device.user());
            text.append("[profile ").append(profile).append("]\n")
                .append("region = ").append(REGION).append('\n')
                .append("endpoint_url = ").append(endpoint).append('\n')
                .append("mfa_serial = ").append(device.serialNumber()).append("\n\n")
                .append(credentialProcessProfile(profile, endpoint, jar));
        }
        String sourceProfile = profile(devices.get(0).user());
        for (String roleArn : roleArns) {
            String profile = sourceProfile + '-' + roleArn.substring(roleArn.lastIndexOf('/') + 1);
            // The AWS CLI and boto3 read role_arn themselves and would call the real STS for AssumeRole (CLI 2.9
            // ignores endpoint_url there): this profile is for MfaSessionProvider, its -mfa twin for those tools.
            text.append("# For MfaSessionProvider in Java; with the AWS CLI or boto3 use ").append(profile).append("-mfa\n")
                .append("[profile ").append(profile).append("]\n")
                .append("region = ").append(REGION).append('\n')
                .append("endpoint_url = ").append(endpoint).append('\n')
                .append("role_arn = ").append(roleArn).append('\n')
                .append("source_profile = ").append(sourceProfile).append("\n\n")
                .append(credentialProcessProfile(profile, endpoint, jar));
        }
        text.append("# For tools given credentials by environment (export, serve) rather than by a profile:\n")
            .append("export AWS_ENDPOINT_URL_STS=").append(endpoint).append('\n')
            .append("# Older ones (AWS CLI 2.9, boto3 1.26, as in Debian 12) need it on every call:\n")
            .append("#   aws --endpoint-url ").append(endpoint).append(" ...\n")
            .append("#   session.client(\"sts\", endpoint_url=\"").append(endpoint).append("\")\n\n");
        for (VirtualMfaDevice device : devices) {
            String user = device.user().userName();
            text.append("# The code of ").append(user).append("'s device: java -jar ").append(jar).append(" emulator code --user ").append(user)
                .append("\n# or in an authenticator app: otpauth://totp/mfa-session-emulator:").append(user).append("?secret=")
                .append(device.base32Secret()).append("&issuer=mfa-session-emulator\n");
        }
        return text.append('\n').toString();
    }

    /** {@code <profile>-mfa}: the profile's session through this jar's credential_process, for the AWS CLI and boto3. */
    private static String credentialProcessProfile(String profile, URI endpoint, String jar) {
        return "[profile " + profile + "-mfa]\n"
               + "region = " + REGION + "\n"
               + "endpoint_url = " + endpoint + "\n"
               + "credential_process = java -jar " + jar + " credential-process --profile " + profile + "\n\n";
    }

    private static String profile(IamUser user) {
        return "emulator-" + user.userName();
    }
}
