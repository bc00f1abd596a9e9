package io.github.mfasession.internal.cli;

import io.github.mfasession.MfaSessionProvider;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** {@code export}: the session as shell variables or JSON, for tools that take neither a provider nor credential_process. */
final class ExportCommand extends Command {

    ExportCommand() {
        super("export", "export [--profile P] [--format env|json]", "print the session as shell export lines or JSON", "profile", "format");
    }

    @Override
    List<String> description() {
        return List.of("Prints the profile's MFA session on standard output, asking for a code first when none is cached:"
                       + " as `export AWS_...=` lines for a POSIX shell (env), or as JSON.",
                       "In a POSIX shell, where JAR is this jar's path; `|| echo false` makes a failure fail the eval too,"
                       + " after the message (an empty output would let it succeed):",
                       "  eval \"$(java -jar JAR export --profile dev || echo false)\"");
    }

    @Override
    List<Map.Entry<String, String>> optionHelp() {
        return List.of(PROFILE_HELP,
                       Map.entry("--format env|json", "env: export lines (the default); json: the credential_process JSON"));
    }

    @Override
    int run(Options options, PrintStream out, PrintStream err) {
        String format = options.get("format").orElse("env");
        if (!format.equals("env") && !format.equals("json")) {
            throw new Options.UsageException("Unknown format '" + format + "': use env or json.");
        }
        try (MfaSessionProvider provider = Providers.forProfile(options)) {
            AwsSessionCredentials credentials = provider.resolveCredentials();
            out.print(format.equals("env") ? CredentialsOutput.shellExports(credentials)
                                           : CredentialsOutput.processJson(credentials) + "\n");
            out.flush();
        }
        return Main.OK;
    }
}
