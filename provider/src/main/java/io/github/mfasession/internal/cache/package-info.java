/**
 * Where sessions are kept: {@link io.github.mfasession.internal.cache.SessionCache}, one per key in the process (memory,
 * and the cache folder when enabled, with one lock per key around the folder's lock file), and
 * {@link io.github.mfasession.internal.cache.CacheFolder}, the session files and their lock files in the folder that
 * {@link io.github.mfasession.internal.files.PrivateFolder} opens and checks. Knows nothing of STS, and never judges
 * whether a session is fresh.
 *
 * <p><b>Internal: not for users.</b> Nothing under {@code io.github.mfasession.internal} is part of the API; it
 * changes in any release without notice. Use {@link io.github.mfasession.MfaSessionProvider} and
 * {@link io.github.mfasession.MfaCodeSupplier}.
 */
package io.github.mfasession.internal.cache;
