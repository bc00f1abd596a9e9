/**
 * A local AWS STS for tests and the {@code demo} command: {@link io.github.mfasession.testkit.StsEmulator}
 * serves GetSessionToken, AssumeRole and GetCallerIdentity on loopback to the SDK's real {@code StsClient},
 * with IAM users, roles, virtual MFA devices ({@link io.github.mfasession.testkit.Totp} codes) and fault
 * injection. For testing hosts such as the Redshift JDBC driver it also serves the Redshift calls that fetch
 * database credentials, and its {@link io.github.mfasession.testkit.RecordedCall}s tell whether each call was
 * signed with an MFA session. Nothing here calls AWS.
 */
package io.github.mfasession.testkit;
