package io.github.mfasession.internal.cli;

import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.settings.ProfileFiles;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The all-jar's command line. Standard output carries only what a command is asked for (credentials for
 * {@code credential-process} and {@code export}); prompts go to the terminal or a dialog, messages to
 * standard error. Exit status 0 on success, 1 when the command failed, 2 for a usage mistake.
 */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private static final Map<String, Command> COMMANDS = new TreeMap<>();

    static {
        register(new CredentialProcessCommand());
        register(new ExportCommand());
        register(new StatusCommand());
        register(new ClearCommand());
        register(new DemoCommand());
    }

    private Main() {
    }

    private static void register(Command command) {
        COMMANDS.put(command.name(), command);
    }

    public static void main(String[] args) {
        // The SDK logs through SLF4J; with no binding on the class path SLF4J would warn on stderr at every start.
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        // This process is ours: the profile files are read as the AWS CLI reads them, and the SDK's client builders,
        // which would parse them again and refuse some lines the AWS CLI reads, are kept from them.
        ProfileFiles.takeOverDefaultFiles();
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(usage());
            return args.length == 0 ? USAGE : OK;
        }
        if (args[0].equals("--version") || args[0].equals("-V")) {
            out.println("mfa-session-provider " + Version.current());
            return OK;
        }
        Command command = COMMANDS.get(args[0]);
        if (command == null) {
            err.println("Unknown command '" + args[0] + "'. Run with --help to see the commands.");
            return USAGE;
        }
        try {
            Options options = Options.parse(Arrays.copyOfRange(args, 1, args.length), command.options());
            return command.run(options, out, err);
        } catch (Options.UsageException e) {
            err.println(e.getMessage() + " Usage: " + command.usage());
            return USAGE;
        } catch (MfaSessionException e) {
            err.println(e.getMessage());
            return FAILED;
        }
    }

    static String usage() {
        StringBuilder text = new StringBuilder();
        text.append("mfa-session-provider ").append(Version.current())
            .append(": AWS sessions for IAM users with MFA, one prompt per session for every tool on this machine.\n\n")
            .append("Usage: java -jar mfa-session-provider-all.jar <command> [options]\n\nCommands:\n");
        for (Command command : COMMANDS.values()) {
            text.append(String.format("  %-60s %s%n", command.usage(), command.summary()));
        }
        text.append(String.format("  %-60s %s%n", "--help", "this text"))
            .append(String.format("  %-60s %s%n", "--version", "the version"))
            .append("\nSettings (mfa_serial, duration_seconds, mfa_code_supplier, ...) come from the profile in ~/.aws/config,\n")
            .append("environment variables or -D system properties; see the README.\n");
        return text.toString();
    }
}
