package io.github.mfasession.testkit;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The emulated account: its users and their long-term keys, their MFA devices, its roles, and the sessions
 * STS has issued. Safe for concurrent use.
 */
final class Directory {

    private static final Pattern USER_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("[\\w]{16,128}");
    private static final String KEY_ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String SECRET_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final String ROOT_NAME = "root";
    private static final String ROOT_DEVICE_NAME = "root-account-mfa-device";
    private static final int MFA_SECRET_BYTES = 20;

    private final SecureRandom random = new SecureRandom();
    private final String accountId;
    private final Map<String, IamUser> usersByKey = new ConcurrentHashMap<>();
    private final Map<String, IamUser> usersByName = new ConcurrentHashMap<>();
    private final Map<String, VirtualMfaDevice> devicesBySerial = new ConcurrentHashMap<>();
    private final Map<String, IssuedSession> sessionsByKey = new ConcurrentHashMap<>();
    private final Map<String, Role> rolesByArn = new ConcurrentHashMap<>();

    /** @param accountId the account's 12 digits; {@code null} for a random account */
    Directory(String accountId) {
        this.accountId = accountId != null ? accountId : randomChars("123456789", 1) + randomChars("0123456789", 11);
    }

    String accountId() {
        return accountId;
    }

    IamUser addUser(String userName, String accessKeyId, String secretAccessKey) {
        if (!USER_NAME.matcher(userName).matches()) {
            throw new IllegalArgumentException("'" + userName + "' is not a valid IAM user name: use 1 to 64 of letters, digits and +=,.@_-.");
        }
        IamUser user = new IamUser(userName, accountId, "AIDA" + randomChars(KEY_ID_CHARS, 17), accessKeyId, secretAccessKey, false);
        if (usersByName.putIfAbsent(userName, user) != null) {
            throw new IllegalArgumentException("The emulator already has a user named '" + userName + "'.");
        }
        register(user);
        return user;
    }

    IamUser addUser(String userName) {
        return addUser(userName, newAccessKeyId("AKIA"), newSecret());
    }

    IamUser addRootUser() {
        IamUser root = new IamUser(ROOT_NAME, accountId, accountId, newAccessKeyId("AKIA"), newSecret(), true);
        register(root);
        return root;
    }

    private void register(IamUser user) {
        if (!ACCESS_KEY_ID.matcher(user.accessKeyId()).matches() || user.secretAccessKey().isEmpty()) {
            usersByName.remove(user.userName(), user);
            throw new IllegalArgumentException("Access key id '" + user.accessKeyId() + "' is not valid (16 to 128 letters and digits), or the secret is empty.");
        }
        if (usersByKey.putIfAbsent(user.accessKeyId(), user) != null) {
            usersByName.remove(user.userName(), user);
            throw new IllegalArgumentException("The emulator already has access key id " + user.accessKeyId() + ".");
        }
    }

    /** @param secret the device's TOTP secret; {@code null} for a random one */
    VirtualMfaDevice addVirtualMfaDevice(IamUser user, String deviceName, byte[] secret) {
        if (usersByKey.get(user.accessKeyId()) != user) {
            throw new IllegalArgumentException(user + " does not belong to this emulator.");
        }
        if (deviceName == null) {
            deviceName = user.isRoot() ? ROOT_DEVICE_NAME : user.userName();
        }
        if (secret == null) {
            secret = new byte[MFA_SECRET_BYTES];
            random.nextBytes(secret);
        } else if (secret.length == 0) {
            throw new IllegalArgumentException("An MFA device's secret must not be empty.");
        }
        String serial = "arn:aws:iam::" + accountId + ":mfa/" + deviceName;
        VirtualMfaDevice device = new VirtualMfaDevice(serial, user, secret);
        if (devicesBySerial.putIfAbsent(serial, device) != null) {
            throw new IllegalArgumentException("The emulator already has an MFA device " + serial + ".");
        }
        return device;
    }

    Role addRole(String roleName, boolean requireMfa, int maxSessionSeconds, String externalId) {
        if (!ROLE_NAME.matcher(roleName).matches()) {
            throw new IllegalArgumentException("'" + roleName + "' is not a valid IAM role name: use 1 to 64 of letters, digits and +=,.@_-.");
        }
        Role role = new Role(roleName, "arn:aws:iam::" + accountId + ":role/" + roleName, "AROA" + randomChars(KEY_ID_CHARS, 17), requireMfa,
                             maxSessionSeconds, externalId);
        if (rolesByArn.putIfAbsent(role.arn, role) != null) {
            throw new IllegalArgumentException("The emulator already has a role named '" + roleName + "'.");
        }
        return role;
    }

    /** The role with this ARN; {@code null} if there is none. */
    Role role(String roleArn) {
        return roleArn == null ? null : rolesByArn.get(roleArn);
    }

    /** The device with this serial number; {@code null} if there is none. */
    VirtualMfaDevice device(String serialNumber) {
        return devicesBySerial.get(serialNumber);
    }

    /** The user owning long-term key {@code accessKeyId}; {@code null} if there is none. */
    IamUser userWithKey(String accessKeyId) {
        return usersByKey.get(accessKeyId);
    }

    /** The session issued with {@code accessKeyId}; {@code null} if there is none. */
    IssuedSession session(String accessKeyId) {
        return sessionsByKey.get(accessKeyId);
    }

    /** A session of the user's own, from GetSessionToken; {@code mfa} when a code came with the request. */
    IssuedSession issueSession(IamUser user, boolean mfa, Instant expiration) {
        return keep(new IssuedSession(user, null, null, mfa, newAccessKeyId("ASIA"), newSecret(), newSessionToken(), expiration));
    }

    /** A session of a role, from AssumeRole; {@code user} is the IAM user at the start of the chain of callers. */
    IssuedSession issueRoleSession(IamUser user, Role role, String roleSessionName, boolean mfa, Instant expiration) {
        return keep(new IssuedSession(user, role, roleSessionName, mfa, newAccessKeyId("ASIA"), newSecret(), newSessionToken(), expiration));
    }

    private IssuedSession keep(IssuedSession session) {
        sessionsByKey.put(session.accessKeyId, session);
        return session;
    }

    private String newAccessKeyId(String prefix) {
        return prefix + randomChars(KEY_ID_CHARS, 16);
    }

    private String newSecret() {
        return randomChars(SECRET_CHARS, 40);
    }

    private String newSessionToken() {
        byte[] token = new byte[240];
        random.nextBytes(token);
        return Base64.getEncoder().encodeToString(token);
    }

    private String randomChars(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    /**
     * An IAM role every identity of the account may assume: {@code requireMfa} as a trust policy with
     * {@code aws:MultiFactorAuthPresent}, {@code externalId} (when not null) as one with {@code sts:ExternalId},
     * and the role's maximum session duration ({@code MaxSessionDuration}).
     */
    static final class Role {
        final String name;
        final String arn;
        final String roleId;
        final boolean requireMfa;
        final int maxSessionSeconds;
        final String externalId;

        Role(String name, String arn, String roleId, boolean requireMfa, int maxSessionSeconds, String externalId) {
            this.name = name;
            this.arn = arn;
            this.roleId = roleId;
            this.requireMfa = requireMfa;
            this.maxSessionSeconds = maxSessionSeconds;
            this.externalId = externalId;
        }

        /** Whether the trust policy's {@code sts:ExternalId} condition, if it has one, holds for the id a request brings. */
        boolean acceptsExternalId(String requestExternalId) {
            return externalId == null || externalId.equals(requestExternalId);
        }
    }

    /**
     * Temporary credentials from GetSessionToken or AssumeRole, kept to authenticate the requests signed with
     * them. A role session carries on the MFA context of the caller that assumed it.
     */
    static final class IssuedSession {
        final IamUser user;
        final Role role;
        final String roleSessionName;
        /** Whether STS checked an MFA code before issuing it: what {@code aws:MultiFactorAuthPresent} reports. */
        final boolean mfa;
        final String accessKeyId;
        final String secretAccessKey;
        final String sessionToken;
        final Instant expiration;

        IssuedSession(IamUser user, Role role, String roleSessionName, boolean mfa, String accessKeyId, String secretAccessKey,
                      String sessionToken, Instant expiration) {
            this.user = user;
            this.role = role;
            this.roleSessionName = roleSessionName;
            this.mfa = mfa;
            this.accessKeyId = accessKeyId;
            this.secretAccessKey = secretAccessKey;
            this.sessionToken = sessionToken;
            this.expiration = expiration;
        }

        boolean isRoleSession() {
            return role != null;
        }

        /** {@code arn:aws:sts::<account>:assumed-role/<role>/<session>} for a role; the user's ARN for a session of the user's own. */
        String arn() {
            return isRoleSession() ? "arn:aws:sts::" + user.accountId() + ":assumed-role/" + role.name + "/" + roleSessionName : user.arn();
        }

        /** {@code <role id>:<session>} for a role, as AWS reports a role session's unique id; the user's id otherwise. */
        String userId() {
            return isRoleSession() ? role.roleId + ":" + roleSessionName : user.userId();
        }

        @Override
        public String toString() {
            return "IssuedSession(accessKeyId=" + accessKeyId + ", arn=" + arn() + ", mfa=" + mfa + ", expiration=" + expiration + ")";
        }
    }

    /** Who signed a request: a user with long-term keys, or a session issued to a user. */
    static final class Caller {
        final IamUser user;
        final IssuedSession session;

        Caller(IamUser user, IssuedSession session) {
            this.user = user;
            this.session = session;
        }

        boolean isSession() {
            return session != null;
        }

        boolean isRoleSession() {
            return session != null && session.isRoleSession();
        }

        /** Whether the caller signed with a session that MFA authenticated: {@code aws:MultiFactorAuthPresent}. */
        boolean hasMfa() {
            return session != null && session.mfa;
        }

        /** The caller's identity as STS names it in GetCallerIdentity and in its messages. */
        String arn() {
            return session != null ? session.arn() : user.arn();
        }

        String userId() {
            return session != null ? session.userId() : user.userId();
        }
    }
}
