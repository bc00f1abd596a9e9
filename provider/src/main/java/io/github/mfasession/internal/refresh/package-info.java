/**
 * When a session is renewed and how: {@link io.github.mfasession.internal.refresh.RefreshPolicy} is the whole refresh
 * policy (advisory and mandatory windows, back-off, short sessions), and
 * {@link io.github.mfasession.internal.refresh.Refresher} applies it to one session, from memory to STS and back:
 * {@code resolveCredentials() → memory → (lock) disk → (lock file) disk → settings, base credentials, code → STS →
 * disk → memory}. The one package that knows both the cache and STS; see the README's package picture.
 *
 * <p><b>Internal: not for users.</b> Nothing under {@code io.github.mfasession.internal} is part of the API; it
 * changes in any release without notice. Use {@link io.github.mfasession.MfaSessionProvider} and
 * {@link io.github.mfasession.MfaCodeSupplier}.
 */
package io.github.mfasession.internal.refresh;
