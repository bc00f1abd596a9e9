package io.github.mfasession.internal.cli;

import io.github.mfasession.MfaSessionProvider;
import java.io.PrintStream;
import java.util.Set;

/**
 * {@code credential-process}: for {@code credential_process} in ~/.aws/config. A session still fresh in
 * the disk cache is printed without an STS client or HTTP stack ever being built.
 */
final class CredentialProcessCommand implements Command {

    @Override
    public String name() {
        return "credential-process";
    }

    @Override
    public String usage() {
        return "credential-process [--profile P]";
    }

    @Override
    public String summary() {
        return "print the session as credential_process JSON (Version 1)";
    }

    @Override
    public Set<String> options() {
        return Set.of("profile");
    }

    @Override
    public int run(Options options, PrintStream out, PrintStream err) {
        try (MfaSessionProvider provider = Providers.forProfile(options)) {
            out.println(CredentialsOutput.processJson(provider.resolveCredentials()));
            out.flush();
        }
        return Main.OK;
    }
}
