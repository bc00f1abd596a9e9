package io.github.mfasession.internal.cli;

import io.github.mfasession.MfaSessionProvider;
import java.io.PrintStream;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** {@code export}: the session as shell variables or JSON, for tools that take neither a provider nor credential_process. */
final class ExportCommand extends Command {

    ExportCommand() {
        super("export", "export [--profile P] [--format env|json]", "print the session as shell exports (eval \"$(...)\") or JSON", "profile", "format");
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
