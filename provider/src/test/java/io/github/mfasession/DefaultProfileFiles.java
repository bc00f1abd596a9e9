package io.github.mfasession;

import java.nio.file.Path;

/**
 * Points the SDK's default profile files ({@code aws.configFile}, {@code aws.sharedCredentialsFile}, which stand in for
 * {@code AWS_CONFIG_FILE} and {@code AWS_SHARED_CREDENTIALS_FILE} in a running JVM) at a test's files until closed,
 * then puts back what was there.
 */
final class DefaultProfileFiles implements AutoCloseable {

    private static final String CONFIG = "aws.configFile";
    private static final String CREDENTIALS = "aws.sharedCredentialsFile";

    private final String oldConfig;
    private final String oldCredentials;

    private DefaultProfileFiles(Path config, Path credentials) {
        this.oldConfig = System.setProperty(CONFIG, config.toString());
        this.oldCredentials = System.setProperty(CREDENTIALS, credentials.toString());
    }

    static DefaultProfileFiles at(Path config, Path credentials) {
        return new DefaultProfileFiles(config, credentials);
    }

    @Override
    public void close() {
        restore(CONFIG, oldConfig);
        restore(CREDENTIALS, oldCredentials);
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
