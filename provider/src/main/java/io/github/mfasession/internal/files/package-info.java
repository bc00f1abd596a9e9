/**
 * Private folders: {@link io.github.mfasession.internal.files.PrivateFolder}, the cache folder and the folders of
 * ours inside it, and the folder {@code install} writes its launcher to, opened and checked as OpenSSH's StrictModes checks a user's files, and the files in them judged
 * before they are opened, written atomically and locked without waiting on anything another user planted. Knows
 * nothing of what the files hold: sessions are the cache's, a server's state is the server's, a launcher is the
 * command line's.
 *
 * <p><b>Internal: not for users.</b> Nothing under {@code io.github.mfasession.internal} is part of the API; it
 * changes in any release without notice. Use {@link io.github.mfasession.MfaSessionProvider} and
 * {@link io.github.mfasession.MfaCodeSupplier}.
 */
package io.github.mfasession.internal.files;
