package io.github.mfasession.internal.serve;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The lines {@code serve} prints for a shell to evaluate: the container credentials variables for the first profile,
 * the others' URIs as comments. The token itself is never printed: the SDKs that know
 * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE} read it from the file, and for those that know only
 * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN} the line given reads the file into the variable.
 */
public final class ShellLines {

    /** POSIX shells ({@code eval "$(...)"}) or PowerShell ({@code ... | Invoke-Expression}). */
    public enum Shell {
        SH, POWERSHELL;

        /** {@code sh} or {@code powershell}, as given to {@code --shell}; empty for anything else. */
        public static Optional<Shell> named(String name) {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "sh":
                case "bash":
                case "zsh":
                    return Optional.of(SH);
                case "powershell":
                case "pwsh":
                    return Optional.of(POWERSHELL);
                default:
                    return Optional.empty();
            }
        }

        /** PowerShell on Windows, else sh. */
        public static Shell forThisSystem() {
            return System.getProperty("os.name", "").startsWith("Windows") ? POWERSHELL : SH;
        }
    }

    private ShellLines() {
    }

    /**
     * @param profiles      the profiles the user asked for, the first to be exported
     * @param tokenVariable also set {@code AWS_CONTAINER_AUTHORIZATION_TOKEN} (from the file), for clients that do not
     *                      read the file; without it, the variable is unset, so a stale one cannot shadow the file
     */
    public static String of(Shell shell, ServerState state, Path tokenFile, List<String> profiles, boolean tokenVariable) {
        StringBuilder lines = new StringBuilder();
        String uri = state.credentialsUri(profiles.get(0)).toString();
        String file = tokenFile.toString();
        if (shell == Shell.SH) {
            lines.append("export AWS_CONTAINER_CREDENTIALS_FULL_URI=").append(sh(uri)).append('\n')
                 .append("export AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=").append(sh(file)).append('\n')
                 .append(tokenVariable ? "export AWS_CONTAINER_AUTHORIZATION_TOKEN=\"$(cat " + sh(file) + ")\"\n"
                                       : "unset AWS_CONTAINER_AUTHORIZATION_TOKEN\n");
        } else {
            lines.append("$env:AWS_CONTAINER_CREDENTIALS_FULL_URI = ").append(powershell(uri)).append('\n')
                 .append("$env:AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE = ").append(powershell(file)).append('\n')
                 .append(tokenVariable ? "$env:AWS_CONTAINER_AUTHORIZATION_TOKEN = Get-Content -Raw -LiteralPath " + powershell(file) + "\n"
                                       : "Remove-Item Env:AWS_CONTAINER_AUTHORIZATION_TOKEN -ErrorAction SilentlyContinue\n");
        }
        if (profiles.size() > 1) {
            lines.append("# This server also serves other profiles; for one, set AWS_CONTAINER_CREDENTIALS_FULL_URI to its URI:\n");
            for (String profile : profiles.subList(1, profiles.size())) {
                // The URI alone: its profile name is percent-encoded, so no name can end the comment line.
                lines.append("#   ").append(state.credentialsUri(profile)).append('\n');
            }
        }
        return lines.toString();
    }

    /** Single quotes, inside which a POSIX shell expands nothing; a quote itself is closed, escaped and reopened. */
    private static String sh(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** Single quotes, inside which PowerShell expands nothing; a quote itself is doubled. */
    private static String powershell(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
