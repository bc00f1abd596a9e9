package io.github.mfasession;

/**
 * A process with two providers for one profile, as a JDBC driver builds one per connection: prints the access
 * key id each one got (never a secret), or the error and exit status 1.
 */
public final class TwoProvidersMain {

    public static void main(String[] args) {
        try (MfaSessionProvider first = MfaSessionProvider.create(args[0]); MfaSessionProvider second = MfaSessionProvider.create(args[0])) {
            System.out.println(first.resolveCredentials().accessKeyId() + " " + second.resolveCredentials().accessKeyId());
        } catch (MfaSessionException e) {
            System.out.println(e.getMessage());
            System.exit(1);
        }
    }
}
