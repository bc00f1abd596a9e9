/**
 * The built-in MFA code suppliers, one class each, and the automatic choice among them. Knows nothing of sessions.
 *
 * <p><b>Internal: not for users.</b> Nothing under {@code io.github.mfasession.internal} is part of the API; it
 * changes in any release without notice. Use {@link io.github.mfasession.MfaSessionProvider} and
 * {@link io.github.mfasession.MfaCodeSupplier}.
 */
package io.github.mfasession.internal.code;
