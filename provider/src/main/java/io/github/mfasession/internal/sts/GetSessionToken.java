package io.github.mfasession.internal.sts;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaCodeSupplier;
import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.session.Session;
import io.github.mfasession.internal.settings.Settings;
import java.time.Clock;
import java.time.Instant;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * STS GetSessionToken: the MFA session of a base profile, signed with the IAM user's long-term keys (the SDK's
 * {@code ProfileCredentialsProvider} finds them), with a code from the code supplier. A malformed or
 * already-sent code is refused before STS sees it; an interactive supplier is asked again, for the same attempt
 * (only codes sent to STS count), and again when STS rejects a code. Knows nothing of caching: every call is a new
 * session.
 */
public final class GetSessionToken implements SdkAutoCloseable {

    /** Attempts an interactive supplier gets for one session (codes sent to STS); a non-interactive one gets one. */
    public static final int MAX_ATTEMPTS = 3;
    /**
     * Entries in a row that an interactive supplier may give that cannot be sent (not 6 digits, or a code already
     * sent): they are not attempts, so a bound of their own keeps a supplier that never gives a code from asking for ever.
     */
    static final int MAX_UNSENT_IN_A_ROW = 5;

    private static final Logger log = LoggerFactory.getLogger(GetSessionToken.class);
    private static final Pattern SIX_DIGITS = Pattern.compile("\\d{6}");

    private final Settings settings;
    private final AwsCredentialsProvider baseCredentials;
    private final Clock clock;
    private final StsClients.Timeouts timeouts;
    private final UsedCodes usedCodes = UsedCodes.process();
    private StsClient sts;

    /** For the settings' base profile, whose keys the SDK's {@code ProfileCredentialsProvider} reads. */
    public GetSessionToken(Settings settings, Clock clock) {
        this(settings, ProfileCredentialsProvider.builder().profileFile(settings.profileFile()).profileName(settings.profileName()).build(),
             clock, StsClients.Timeouts.DEFAULT);
    }

    /** With other keys and timeouts: tests of a slow or silent STS would otherwise wait for the real ones. */
    GetSessionToken(Settings settings, AwsCredentialsProvider baseCredentials, Clock clock, StsClients.Timeouts timeouts) {
        this.settings = settings;
        this.baseCredentials = baseCredentials;
        this.clock = clock;
        this.timeouts = timeouts;
    }

    /**
     * The access key id of the IAM user's long-term keys, which names the user's sessions. GetSessionToken refuses
     * anything else, so temporary credentials in the base profile are refused here, before any prompt.
     *
     * @throws MfaSessionException naming the profile, when it has no usable keys or gives a session
     */
    public String longTermAccessKeyId() {
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
        return base.accessKeyId();
    }

    /**
     * A new session, after as many attempts as the supplier is allowed. An attempt is a code sent to STS: an entry
     * refused before STS (not 6 digits, already sent) is asked for again under the same attempt, saying why.
     */
    public Session fetch(MfaCodeSupplier supplier) {
        int maxAttempts = supplier.isInteractive() ? MAX_ATTEMPTS : 1;
        // Made before a code is asked for: a client that cannot be made must not cost a prompt or a code.
        sts();
        String lastFailure = null;
        int attempt = 1;
        int unsentInARow = 0;
        while (true) {
            String code = supplier.code(request(attempt, maxAttempts, lastFailure));
            String problem = claim(code);
            if (problem != null) {
                unsentInARow++;
                if (!supplier.isInteractive() || unsentInARow >= MAX_UNSENT_IN_A_ROW) {
                    throw notSent(supplier, problem, unsentInARow);
                }
                lastFailure = problem;
                continue;
            }
            unsentInARow = 0;
            try {
                return getSessionToken(code);
            } catch (StsException e) {
                if (!isCodeRejected(e)) {
                    throw explain(e, code);
                }
                problem = "the last code was rejected";
                log.debug("STS rejected MFA code attempt {} of {} for device {} (profile {})",
                          attempt, maxAttempts, settings.mfaSerial(), settings.profileName());
            }
            if (attempt >= maxAttempts) {
                throw giveUp(supplier, problem, attempt);
            }
            lastFailure = problem;
            attempt++;
        }
    }

    private MfaCodeRequest request(int attempt, int maxAttempts, String lastFailure) {
        return MfaCodeRequest.builder()
                             .profile(settings.profileName())
                             .mfaSerial(settings.mfaSerial())
                             .attempt(attempt)
                             .maxAttempts(maxAttempts)
                             .lastFailure(lastFailure)
                             .settings(settings::lookup)
                             .build();
    }

    /** Takes the code for one request to STS; else says why it cannot be sent. */
    private String claim(String code) {
        if (code == null || !SIX_DIGITS.matcher(code).matches()) {
            return "the last code was not 6 digits";
        }
        if (!usedCodes.claim(settings.mfaSerial(), code, clock)) {
            return "the last code was already used; AWS accepts each code once, wait for the next one";
        }
        return null;
    }

    private Session getSessionToken(String code) {
        log.debug("Calling STS GetSessionToken for profile {} with device {} in {}",
                  settings.profileName(), settings.mfaSerial(), settings.region());
        Instant sentAt = clock.instant();
        Credentials credentials;
        try {
            credentials = sts().getSessionToken(r -> r.serialNumber(settings.mfaSerial())
                                                      .tokenCode(code)
                                                      .durationSeconds((int) settings.sessionDuration().getSeconds()))
                               .credentials();
        } catch (StsException e) {
            throw e;
        } catch (SdkClientException e) {
            if (neverSent(e)) {
                usedCodes.forget(settings.mfaSerial(), code);
                throw StsAnswers.noAnswer(e, "GetSessionToken", settings.profileName(), sts(), code);
            }
            throw StsAnswers.codeMayBeUsed(e, settings.profileName(), settings.mfaSerial(), sts(), code);
        }
        return StsAnswers.session(credentials, "GetSessionToken", settings.profileName(), sentAt, settings.sessionDuration(), clock);
    }

    /**
     * Whether no attempt of this call reached STS. The client retries only attempts that could not connect
     * ({@link StsClients#forCodes}), so every attempt before the last never left this machine, and the last one
     * decides, by its own causes alone.
     */
    private static boolean neverSent(SdkClientException e) {
        // An MfaSessionException is ours, such as a client that could not be made: nothing was sent.
        return e instanceof MfaSessionException || StsClients.couldNotConnect(e);
    }

    /** STS answers AccessDenied with a MultiFactorAuthentication message for a wrong, expired or reused code. */
    private static boolean isCodeRejected(StsException e) {
        return e.statusCode() == 403
               && "AccessDenied".equals(StsAnswers.errorCode(e))
               && StsAnswers.stsSays(e, null).contains("MultiFactorAuthentication");
    }

    /** After the last code sent to STS was rejected. */
    private MfaSessionException giveUp(MfaCodeSupplier supplier, String problem, int attempts) {
        if (attempts > 1) {
            return MfaSessionException.create(
                "No MFA session after " + attempts + " codes for " + device() + ": " + problem
                + ". Check that mfa_serial names this device and that the device's clock is right.");
        }
        return MfaSessionException.create(
            "STS rejected the MFA code from the '" + supplier.name() + "' supplier for " + device()
            + ". A code is accepted once and only while it is current: supply a fresh one, and check that mfa_serial names this device.");
    }

    /** After a non-interactive supplier's code, or too many interactive entries in a row, could not be sent to STS. */
    private MfaSessionException notSent(MfaCodeSupplier supplier, String problem, int entries) {
        if (entries > 1) {
            return MfaSessionException.create(
                "The '" + supplier.name() + "' supplier gave " + entries + " entries in a row for " + device() + " that could not be"
                + " sent to STS; the last: " + problem + ". Enter the 6 digits the device shows, once each.");
        }
        return MfaSessionException.create("The MFA code from the '" + supplier.name() + "' supplier for " + device()
                                          + " was refused before calling STS: " + problem + ".");
    }

    private String device() {
        return "device " + settings.mfaSerial() + " (profile '" + settings.profileName() + "')";
    }

    private MfaSessionException explain(StsException e, String code) {
        String profile = "profile '" + settings.profileName() + "'";
        switch (StsAnswers.errorCode(e)) {
            case "InvalidClientTokenId":
                return MfaSessionException.create("STS does not know the access key of " + profile
                                                  + " (InvalidClientTokenId). Check aws_access_key_id for the profile.", e);
            case "SignatureDoesNotMatch":
                return MfaSessionException.create("STS refused the signature made with the secret key of " + profile
                                                  + " (SignatureDoesNotMatch). Check aws_secret_access_key for the profile.", e);
            case "ExpiredToken":
                return MfaSessionException.create("STS says the credentials of " + profile + " have expired (ExpiredToken)."
                                                  + " GetSessionToken needs the IAM user's long-term keys.", e);
            case "AccessDenied":
                return MfaSessionException.create("STS denied GetSessionToken for " + profile + ": " + StsAnswers.stsSays(e, code)
                                                  + ". Check that the profile holds an IAM user's long-term keys.", e);
            default:
                if (e.statusCode() >= 500 || e.isThrottlingException()) {
                    // Not retried with the same code (StsClients.forCodes): a server error does not say the request was not processed.
                    return MfaSessionException.create(
                        "STS " + StsAnswers.where(sts()) + " could not answer GetSessionToken for " + profile + " ("
                        + StsAnswers.errorCode(e) + ": " + StsAnswers.stsSays(e, code) + ") and may have used the code from device "
                        + settings.mfaSerial() + ", which it accepts once: wait for the device's next code, then try again.", e);
                }
                return StsAnswers.refused(e, "GetSessionToken", settings.profileName(), code);
        }
    }

    private synchronized StsClient sts() {
        if (sts == null) {
            sts = StsClients.forCodes(baseCredentials, settings.region(), settings.stsEndpoint(), settings.profileFile(), settings.profileName(),
                                    timeouts);
        }
        return sts;
    }

    @Override
    public synchronized void close() {
        if (sts != null) {
            sts.close();
            sts = null;
        }
        if (baseCredentials instanceof SdkAutoCloseable) {
            ((SdkAutoCloseable) baseCredentials).close();
        }
    }
}
