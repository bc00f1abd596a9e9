package io.github.mfasession;

import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Why an MFA session could not be obtained: one or two sentences saying what failed and what to do,
 * naming the profile, setting, file or device involved.
 *
 * <p>Messages never contain a secret key, session token or MFA code. The exception is never
 * retryable by the SDK's retry policies: retrying would resend a code that may already be used.
 */
public final class MfaSessionException extends SdkClientException {

    private static final long serialVersionUID = 1L;

    private MfaSessionException(BuilderImpl builder) {
        super(builder);
    }

    /** An exception with the given message. */
    public static MfaSessionException create(String message) {
        return create(message, null);
    }

    /**
     * An exception with the given message and cause. The cause's own message must be safe to show;
     * callers pass SDK and I/O exceptions, never anything built from a secret.
     */
    public static MfaSessionException create(String message, Throwable cause) {
        BuilderImpl builder = new BuilderImpl();
        builder.message(message);
        builder.cause(cause);
        return new MfaSessionException(builder);
    }

    @Override
    public boolean retryable() {
        return false;
    }

    @Override
    public Builder toBuilder() {
        return new BuilderImpl(this);
    }

    private static final class BuilderImpl extends SdkClientException.BuilderImpl {
        BuilderImpl() {
        }

        BuilderImpl(MfaSessionException exception) {
            super(exception);
        }

        @Override
        public MfaSessionException build() {
            return new MfaSessionException(this);
        }
    }
}
