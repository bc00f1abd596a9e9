package io.github.mfasession.internal.session;

import io.github.mfasession.MfaCodeSupplier;
import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.settings.Settings;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/** MFA sessions of a base profile: GetSessionToken with the IAM user's long-term keys and a code from the code supplier. */
final class MfaSessionSource implements SessionSource {

    private final Settings settings;
    private final Function<Settings, MfaCodeSupplier> supplierChoice;
    private final AwsCredentialsProvider baseCredentials;
    private final StsSessionFetcher fetcher;
    private final SessionStore store;

    MfaSessionSource(Settings settings, Function<Settings, MfaCodeSupplier> supplierChoice,
                     SessionStore store, Clock clock) {
        this.settings = settings;
        this.supplierChoice = supplierChoice;
        this.baseCredentials = ProfileCredentialsProvider.builder()
                                                         .profileFile(settings.profileFile())
                                                         .profileName(settings.profileName())
                                                         .build();
        this.fetcher = new StsSessionFetcher(settings, baseCredentials, clock);
        this.store = store;
    }

    @Override
    public String profileName() {
        return settings.profileName();
    }

    @Override
    public SessionStore store() {
        return store;
    }

    @Override
    public Duration refreshBefore() {
        return settings.refreshBefore();
    }

    @Override
    public SessionRequest request() {
        SessionKey key = new SessionKey(settings.profileName(), longTermKeys().accessKeyId(), settings.mfaSerial());
        return new SessionRequest(key, "MFA session for profile " + settings.profileName() + " (device " + settings.mfaSerial() + ")",
                                  () -> fetcher.fetch(supplierChoice.apply(settings)));
    }

    /** The IAM user's long-term keys: GetSessionToken refuses anything else, so a session is refused here, before any prompt. */
    private AwsCredentials longTermKeys() {
        AwsCredentials base;
        try {
            base = baseCredentials.resolveCredentials();
        } catch (RuntimeException e) {
            throw MfaSessionException.create(
                "Profile '" + settings.profileName() + "' has no usable access keys: " + e.getMessage()
                + " Add aws_access_key_id and aws_secret_access_key for the IAM user to the profile.", e);
        }
        if (base instanceof AwsSessionCredentials) {
            throw MfaSessionException.create(
                "Profile '" + settings.profileName() + "' gives temporary session credentials, but GetSessionToken needs the IAM user's"
                + " long-term access keys. Remove aws_session_token from the profile, or name the profile that holds the user's keys.");
        }
        return base;
    }

    @Override
    public void close() {
        fetcher.close();
        if (baseCredentials instanceof SdkAutoCloseable) {
            ((SdkAutoCloseable) baseCredentials).close();
        }
    }
}
