package io.github.mfasession.internal.code;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaCodeSupplier;
import io.github.mfasession.MfaSessionException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * {@code env}: the code in {@code AWS_MFA_CODE}. An environment cannot change inside a running process, so
 * its code serves one session per device; a renewal needs another way to give a code.
 */
public final class EnvCodeSupplier implements MfaCodeSupplier, AutoChoosable {

    /** Device → the code this process already handed out for it. */
    private static final Map<String, String> HANDED_OUT = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "env";
    }

    @Override
    public boolean appliesTo(Function<String, Optional<String>> settings) {
        return settings.apply("mfa_code").isPresent();
    }

    @Override
    public String code(MfaCodeRequest request) {
        String code = request.setting("mfa_code").orElseThrow(() -> MfaSessionException.create(
            "AWS_MFA_CODE is not set, so the 'env' supplier has no code for device " + request.mfaSerial()
            + " (profile '" + request.profile() + "'). Set it to the 6-digit code the device shows."));
        if (code.equals(HANDED_OUT.put(request.mfaSerial(), code))) {
            throw MfaSessionException.create(
                "The code in AWS_MFA_CODE was already used for device " + request.mfaSerial() + " (profile '" + request.profile()
                + "'), and AWS accepts each code once. To renew the session, start again with a fresh code, or set"
                + " mfa_code_supplier to console or dialog, or give a command with mfa_process.");
        }
        return code;
    }
}
