package io.github.mfasession;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Why an MFA session could not be obtained: one or two sentences saying what failed and what to do,
 * naming the profile, setting, file or device involved.
 *
 * <p>Messages never contain a secret key, session token or MFA code, and neither do the messages of its causes:
 * a cause whose chain holds anything shaped like a code (six digits standing alone, as STS, a proxy or a code
 * supplier may echo one) is replaced by a copy with those digits masked, keeping the original's class name and
 * stack trace. The exception is never retryable by the SDK's retry policies: retrying would resend a code that
 * may already be used.
 */
public final class MfaSessionException extends SdkClientException {

    private static final long serialVersionUID = 1L;
    /**
     * What an MFA code looks like: six digits standing alone. The same rule as the internal CodeMask, written here
     * because the public types use nothing internal.
     */
    private static final Pattern CODE = Pattern.compile("(?<![\\p{Alnum}])\\d{6}(?![\\p{Alnum}])");

    private MfaSessionException(BuilderImpl builder) {
        super(builder);
    }

    /** An exception with the given message. */
    public static MfaSessionException create(String message) {
        return create(message, null);
    }

    /**
     * An exception with the given message and cause. The message is the caller's and must hold no secret; the
     * cause's chain is made safe here: where any of its messages holds something shaped like a code, the chain is
     * replaced by copies with it masked.
     */
    public static MfaSessionException create(String message, Throwable cause) {
        BuilderImpl builder = new BuilderImpl();
        builder.message(message);
        builder.cause(holdsACode(cause, Collections.newSetFromMap(new IdentityHashMap<>())) ? masked(cause, new IdentityHashMap<>()) : cause);
        return new MfaSessionException(builder);
    }

    /** Whether any message in the chain (causes and suppressed) holds a code; ours were made safe when they were made. */
    private static boolean holdsACode(Throwable t, Set<Throwable> seen) {
        if (t == null || t instanceof MfaSessionException || !seen.add(t)) {
            return false;
        }
        if (t.getMessage() != null && CODE.matcher(t.getMessage()).find()) {
            return true;
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (holdsACode(suppressed, seen)) {
                return true;
            }
        }
        return holdsACode(t.getCause(), seen);
    }

    private static Throwable masked(Throwable t, Map<Throwable, Throwable> copies) {
        if (t == null || t instanceof MfaSessionException) {
            return t;
        }
        Throwable copy = copies.get(t);
        if (copy != null) {
            return copy;
        }
        MaskedCause masked = new MaskedCause(t);
        copies.put(t, masked);
        masked.initCause(masked(t.getCause(), copies));
        for (Throwable suppressed : t.getSuppressed()) {
            masked.addSuppressed(masked(suppressed, copies));
        }
        return masked;
    }

    /** A cause as it was, but for what looked like a code in its message: its class name, message and stack trace. */
    private static final class MaskedCause extends RuntimeException {

        private static final long serialVersionUID = 1L;
        private final String type;

        MaskedCause(Throwable original) {
            super(original.getMessage() == null ? null : CODE.matcher(original.getMessage()).replaceAll("******"));
            this.type = original.getClass().getName();
            setStackTrace(original.getStackTrace());
        }

        @Override
        public String toString() {
            return getMessage() == null ? type : type + ": " + getMessage();
        }
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
