package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A process with {@code [dev]} keys in ~/.aws/credentials, {@code mfa_serial} in {@code [profile dev]} of
 * ~/.aws/config and {@code AWS_MFA_CODE} set: {@code MfaSessionProvider.create("dev")} works with nothing else,
 * the STS endpoint coming from {@code AWS_ENDPOINT_URL_STS} through the SDK.
 */
class DefaultAwsFilesTest {

    @TempDir
    Path home;

    @Test
    void createWithAProfileNameReadsTheUsersAwsFilesAndEnvironment() throws Exception {
        try (StsFixture fixture = new StsFixture(Files.createDirectories(home.resolve("fixture")))) {
            Path aws = Files.createDirectories(home.resolve(".aws"));
            Files.writeString(aws.resolve("credentials"), Files.readString(fixture.credentials));
            Files.writeString(aws.resolve("config"), "[profile dev]\nmfa_serial = " + fixture.serial() + "\nduration_seconds = 7200\n");

            ChildJvm.Result result = ChildJvm.run(ChildJvm.builder(ResolveTwiceMain.class, Map.of(
                "HOME", home.toString(),
                "AWS_MFA_CODE", fixture.code(),
                "AWS_ENDPOINT_URL_STS", fixture.sts.endpoint().toString()), "dev")
                .directory(home.toFile()), home);

            assertEquals(0, result.exitCode(), result.stderr());
            String[] printed = result.stdout().trim().split(" ");
            assertEquals("true", printed[3], "the second call returned the same session");
            assertEquals(1, fixture.sts.getSessionTokenCalls());
            assertEquals(7200, fixture.sts.calls().get(0).durationSeconds());
            AwsSessionCredentials session = AwsSessionCredentials.create(printed[0], printed[1], printed[2]);
            try (StsClient sts = fixture.stsClientFor(session)) {
                assertEquals(fixture.user.arn(), sts.getCallerIdentity().arn());
            }
        }
    }
}
