package io.github.mfasession.testkit;

import java.util.Set;
import java.util.TreeSet;

/**
 * A virtual MFA device assigned to an {@link IamUser}, made by {@link StsEmulator#addVirtualMfaDevice(IamUser)}.
 * It holds a random TOTP secret and remembers which time steps' codes it has accepted, because STS accepts
 * each code once. {@link #toString()} never shows the secret.
 */
public final class VirtualMfaDevice {

    /** Steps either side of the current one whose codes are still accepted, as AWS allows for clock drift. */
    static final int ACCEPTED_DRIFT_STEPS = 1;

    private final String serialNumber;
    private final IamUser user;
    private final byte[] secret;
    private final Set<Long> usedSteps = new TreeSet<>();

    VirtualMfaDevice(String serialNumber, IamUser user, byte[] secret) {
        this.serialNumber = serialNumber;
        this.user = user;
        this.secret = secret.clone();
    }

    /** The device's serial number, an ARN such as {@code arn:aws:iam::123456789012:mfa/alice}: the profile's {@code mfa_serial}. */
    public String serialNumber() {
        return serialNumber;
    }

    /** The user the device is assigned to. */
    public IamUser user() {
        return user;
    }

    /** A copy of the raw TOTP secret, for computing codes with {@link Totp#code(byte[], java.time.Instant)}. */
    public byte[] secret() {
        return secret.clone();
    }

    /** The TOTP secret in base32, as an authenticator app would take it. */
    public String base32Secret() {
        return Totp.base32Encode(secret);
    }

    /**
     * Accepts a code once: it must be the code of the current step or of a step either side, and that step's
     * code must not have been accepted before.
     */
    synchronized boolean accept(String code, long currentStep) {
        usedSteps.removeIf(step -> step < currentStep - ACCEPTED_DRIFT_STEPS);
        for (long step = currentStep - ACCEPTED_DRIFT_STEPS; step <= currentStep + ACCEPTED_DRIFT_STEPS; step++) {
            if (!usedSteps.contains(step) && Totp.codeForStep(secret, step).equals(code)) {
                usedSteps.add(step);
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "VirtualMfaDevice(serialNumber=" + serialNumber + ", user=" + user.arn() + ")";
    }
}
