package io.github.mfasession.internal.cli;

import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.code.CodeSuppliers;
import io.github.mfasession.internal.logging.CommandLogging;
import io.github.mfasession.internal.settings.ProfileFiles;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
        register(new EmulatorCommand());
        register(new InstallCommand());
        register(new ServeCommand());
    }

    private Main() {
    }

    private static void register(Command command) {
        COMMANDS.put(command.name(), command);
    }

    /** The commands' names, in the order --help lists them. */
    static Set<String> commandNames() {
        return COMMANDS.keySet();
    }

    public static void main(String[] args) {
        // Before any logger is made: SLF4J picks its provider once, at the first logger.
        boolean verbose = false;
        for (String arg : args) {
            verbose |= isVerbose(arg);
        }
        CommandLogging.toStandardError(verbose);
        // A command is a short-lived process: without a terminal it asks with the desktop's dialog program, not Swing.
        CodeSuppliers.avoidSwing();
        // This process is ours: the profile files are read as the AWS CLI reads them, and the SDK's client builders,
        // which would parse them again and refuse some lines the AWS CLI reads, are kept from them.
        ProfileFiles.takeOverDefaultFiles();
        System.exit(run(args, System.out, System.err));
    }

    private static boolean isVerbose(String arg) {
        return arg.equals("-v") || arg.equals("--verbose");
    }

    private static boolean isHelp(String arg) {
        return arg.equals("-h") || arg.equals("--help");
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        args = Arrays.stream(args).filter(arg -> !isVerbose(arg)).toArray(String[]::new);
        if (args.length == 0) {
            err.print(usage());
            return USAGE;
        }
        if (isHelp(args[0]) || args[0].equals("help")) {
            Command asked = args.length > 1 ? COMMANDS.get(args[1]) : null;
            out.print(asked != null ? asked.help(jarName()) : usage());
            return OK;
        }
        if (args[0].equals("--version") || args[0].equals("-V")) {
            out.println("mfa-session-provider " + Version.current());
            return OK;
        }
        Command command = COMMANDS.get(args[0]);
        if (command == null) {
            err.println(CommandLogging.PREFIX + "error: unknown command '" + args[0] + "'. Run with --help to see the commands.");
            return USAGE;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (Arrays.stream(rest).anyMatch(Main::isHelp)) {
            out.print(command.help(jarName()));
            return OK;
        }
        try {
            Options options = Options.parse(rest, command.options(), command.flags(), command.takesArguments());
            return command.run(options, out, err);
        } catch (Options.UsageException e) {
            err.print(HelpText.wrap(CommandLogging.PREFIX + "error: ", "  ", e.getMessage()));
            err.print(HelpText.usage(jarName(), command.usage()));
            return USAGE;
        } catch (MfaSessionException e) {
            err.println(CommandLogging.PREFIX + "error: " + e.getMessage());
            return FAILED;
        }
    }

    /**
     * The file name of the jar running, so that usage lines can be pasted as they are; outside a jar (the tests),
     * the name the build gives the all-jar.
     */
    static String jarName() {
        return jarPath().map(path -> path.getFileName().toString()).orElse("mfa-session-provider-" + Version.current() + "-all.jar");
    }

    /** The absolute path of the jar running; empty outside a jar (the tests run from a folder of classes). */
    static Optional<Path> jarPath() {
        try {
            Path location = Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            if (Files.isRegularFile(location)) {
                return Optional.of(location);
            }
        } catch (URISyntaxException | RuntimeException e) {
            // No code source to name (an unusual class loader).
        }
        return Optional.empty();
    }

    static String usage() {
        StringBuilder text = new StringBuilder();
        text.append(HelpText.paragraph("mfa-session-provider " + Version.current()
                                       + ": AWS sessions for IAM users with MFA, one prompt per session for every tool on this machine."))
            .append('\n')
            .append(HelpText.usage(jarName(), "<command> [options]"))
            .append("\nCommands:\n");
        for (Command command : COMMANDS.values()) {
            text.append(HelpText.row(command.name(), command.summary()));
        }
        text.append(HelpText.row("-h, --help", "this text; <command> --help for a command's options"))
            .append(HelpText.row("-V, --version", "the version"))
            .append(HelpText.row("-v, --verbose", "with a command: more detail on standard error"))
            .append('\n')
            .append(HelpText.paragraph("Settings (mfa_serial, duration_seconds, mfa_code_supplier, ...) come from the profile in"
                                       + " ~/.aws/config, environment variables or -D system properties; see the README."));
        return text.toString();
    }
}
