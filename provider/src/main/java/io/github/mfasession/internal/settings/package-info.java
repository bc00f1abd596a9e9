/**
 * The settings, resolved and checked before any prompt or call: {@link io.github.mfasession.internal.settings.Setting}
 * is the table of SPEC.md in code; {@link io.github.mfasession.internal.settings.ProfileChain} follows role profiles
 * to the profile with the long-term keys.
 *
 * <p><b>Internal: not for users.</b> Nothing under {@code io.github.mfasession.internal} is part of the API; it
 * changes in any release without notice. Use {@link io.github.mfasession.MfaSessionProvider} and
 * {@link io.github.mfasession.MfaCodeSupplier}.
 */
package io.github.mfasession.internal.settings;
