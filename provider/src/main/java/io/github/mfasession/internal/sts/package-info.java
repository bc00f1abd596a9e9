/**
 * The two STS calls, one class each with its own answer checks:
 * {@link io.github.mfasession.internal.sts.GetSessionToken} (the MFA session, with a code) and
 * {@link io.github.mfasession.internal.sts.AssumeRole} (a role session, with another session). Knows nothing of caching.
 *
 * <p><b>Internal: not for users.</b> Nothing under {@code io.github.mfasession.internal} is part of the API; it
 * changes in any release without notice. Use {@link io.github.mfasession.MfaSessionProvider} and
 * {@link io.github.mfasession.MfaCodeSupplier}.
 */
package io.github.mfasession.internal.sts;
