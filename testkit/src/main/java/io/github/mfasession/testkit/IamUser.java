package io.github.mfasession.testkit;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * An identity the {@link StsEmulator} knows: an IAM user, or an account's root user, with one pair of
 * long-term access keys. Made by {@link StsEmulator#addUser(String)} and {@link StsEmulator#addRootUser()}.
 * {@link #toString()} never shows the secret access key.
 */
public final class IamUser {

    private final String userName;
    private final String accountId;
    private final String userId;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final boolean root;

    IamUser(String userName, String accountId, String userId, String accessKeyId, String secretAccessKey, boolean root) {
        this.userName = userName;
        this.accountId = accountId;
        this.userId = userId;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.root = root;
    }

    /** The user's name; {@code root} for an account's root user. */
    public String userName() {
        return userName;
    }

    /** The 12-digit account the user belongs to. */
    public String accountId() {
        return accountId;
    }

    /** {@code arn:aws:iam::<account>:user/<name>}, or {@code arn:aws:iam::<account>:root} for the root user. */
    public String arn() {
        return root ? "arn:aws:iam::" + accountId + ":root" : "arn:aws:iam::" + accountId + ":user/" + userName;
    }

    /** The unique id GetCallerIdentity reports: {@code AIDA...} for an IAM user, the account id for root. */
    public String userId() {
        return userId;
    }

    /** The long-term access key id. */
    public String accessKeyId() {
        return accessKeyId;
    }

    /** The long-term secret access key, for writing into a test's credentials file. */
    public String secretAccessKey() {
        return secretAccessKey;
    }

    /** Whether this is an account's root user, whose sessions STS limits to one hour. */
    public boolean isRoot() {
        return root;
    }

    /** The long-term keys as SDK credentials. */
    public AwsBasicCredentials credentials() {
        return AwsBasicCredentials.create(accessKeyId, secretAccessKey);
    }

    @Override
    public String toString() {
        return "IamUser(arn=" + arn() + ", accessKeyId=" + accessKeyId + ")";
    }
}
