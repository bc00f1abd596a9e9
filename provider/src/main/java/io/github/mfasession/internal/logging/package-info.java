/**
 * Where the all-jar's own processes (the command line, and the background server it starts) send their log lines:
 * standard error, one short line each. As a library the jar brings no logging provider; the host decides.
 *
 * <p><b>Internal: not for users.</b> Nothing under {@code io.github.mfasession.internal} is part of the API; it
 * changes in any release without notice. Use {@link io.github.mfasession.MfaSessionProvider} and
 * {@link io.github.mfasession.MfaCodeSupplier}.
 */
package io.github.mfasession.internal.logging;
