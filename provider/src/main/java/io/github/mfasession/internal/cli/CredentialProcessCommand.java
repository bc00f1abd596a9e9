package io.github.mfasession.internal.cli;

import io.github.mfasession.MfaSessionProvider;
import java.io.PrintStream;

/**
 * {@code credential-process}: for {@code credential_process} in ~/.aws/config. A session still fresh in
 * the disk cache is printed without an STS client or HTTP stack ever being built.
 */
final class CredentialProcessCommand extends Command {

    CredentialProcessCommand() {
        super("credential-process", "credential-process [--profile P]", "print the session as credential_process JSON (Version 1)", "profile");
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
