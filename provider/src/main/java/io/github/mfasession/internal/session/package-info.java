/**
 * What a session is: {@link io.github.mfasession.internal.session.Session} (credentials, expiration, when it was
 * obtained, a back-off after a failed renewal) and {@link io.github.mfasession.internal.session.SessionKey} (what it
 * belongs to, and its file name). Values only: they decide nothing, and depend on no other package of ours.
 *
 * <p><b>Internal: not for users.</b> Nothing under {@code io.github.mfasession.internal} is part of the API; it
 * changes in any release without notice. Use {@link io.github.mfasession.MfaSessionProvider} and
 * {@link io.github.mfasession.MfaCodeSupplier}.
 */
package io.github.mfasession.internal.session;
