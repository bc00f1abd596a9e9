package io.github.mfasession.testkit;

import java.util.List;

/** An error STS answers with: HTTP status, error code and message, worded as AWS words them. */
final class StsError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    static final String MFA_INVALID_CODE = "MultiFactorAuthentication failed with invalid MFA one time pass code. ";
    static final String MFA_UNKNOWN_DEVICE = "MultiFactorAuthentication failed, unable to validate MFA code.  "
                                             + "Please verify your MFA serial number is valid and associated with this user.";

    private final int status;
    private final String code;

    StsError(int status, String code, String message) {
        // No stack trace: these are answers, not failures of the emulator.
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    static StsError accessDenied(String message) {
        return new StsError(403, "AccessDenied", message);
    }

    static StsError invalidClientTokenId() {
        return new StsError(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
    }

    static StsError expiredToken() {
        return new StsError(403, "ExpiredToken", "The security token included in the request is expired");
    }

    static StsError signatureDoesNotMatch(String message) {
        return new StsError(403, "SignatureDoesNotMatch", message);
    }

    static StsError signatureDoesNotMatch() {
        return signatureDoesNotMatch("The request signature we calculated does not match the signature you provided. "
                                     + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }

    static StsError missingAuthenticationToken() {
        return new StsError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
    }

    static StsError incompleteSignature(String message) {
        return new StsError(400, "IncompleteSignature", message);
    }

    static StsError invalidAction(String action, String version) {
        return new StsError(400, "InvalidAction", "Could not find operation " + action + " for version " + version);
    }

    /** One ValidationError listing every violated constraint, as AWS reports them all at once. */
    static StsError validation(List<String> problems) {
        String count = problems.size() == 1 ? "1 validation error detected: " : problems.size() + " validation errors detected: ";
        return new StsError(400, "ValidationError", count + String.join("; ", problems));
    }
}
