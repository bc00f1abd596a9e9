package io.github.mfasession.internal.cli;

import io.github.mfasession.MfaSessionProvider;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code credential-process}: for {@code credential_process} in ~/.aws/config. A session still fresh in
 * the disk cache is printed without an STS client or HTTP stack ever being built.
 */
final class CredentialProcessCommand extends Command {

    CredentialProcessCommand() {
        super("credential-process", "credential-process [--profile P]", "print the session as credential_process JSON (Version 1)", "profile");
    }

    @Override
    List<String> description() {
        return List.of("Prints the profile's MFA session as credential_process JSON (Version 1) on standard output, asking for a"
                       + " code first (on the terminal or in a dialog, never on standard output) when no session is cached."
                       + " A cached session is printed without starting an STS or HTTP client.",
                       "In ~/.aws/config: credential_process = java -jar JAR credential-process --profile P, where JAR is"
                       + " this jar's absolute path (credential_process does not expand ~). `install` writes a launcher that"
                       + " starts faster and prints the line to paste.");
    }

    @Override
    int run(Options options, PrintStream out, PrintStream err) {
        try (MfaSessionProvider provider = Providers.forProfile(options)) {
            out.println(CredentialsOutput.processJson(provider.resolveCredentials()));
            out.flush();
        }
        return Main.OK;
    }
}
