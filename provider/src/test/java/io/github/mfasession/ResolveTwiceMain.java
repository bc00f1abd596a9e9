package io.github.mfasession;

import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** A second process: resolves the profile's session twice and prints what it got (a test program; it prints secrets). */
public final class ResolveTwiceMain {

    public static void main(String[] args) {
        try (MfaSessionProvider provider = MfaSessionProvider.create(args[0])) {
            AwsSessionCredentials first = provider.resolveCredentials();
            AwsSessionCredentials second = provider.resolveCredentials();
            System.out.println(first.accessKeyId() + " " + first.secretAccessKey() + " " + first.sessionToken() + " " + (first == second));
        } catch (MfaSessionException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }
}
