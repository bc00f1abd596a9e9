package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** Processes on one machine share one session through the disk cache: one code, one STS call. */
class SharedDiskCacheTest {

    @TempDir
    Path folder;
    StsFixture fixture;
    Path cache;

    @BeforeEach
    void start() {
        fixture = new StsFixture(folder);
        cache = folder.resolve("cache");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** The environment of a tool started by the user: the fixture's files and cache folder, and optionally a code. */
    private Map<String, String> processEnvironment(String code) {
        Map<String, String> environment = new HashMap<>();
        environment.put("HOME", folder.toString());
        environment.put("AWS_CONFIG_FILE", fixture.config.toString());
        environment.put("AWS_SHARED_CREDENTIALS_FILE", fixture.credentials.toString());
        environment.put("AWS_MFA_CACHE_DIR", cache.toString());
        environment.put("AWS_MFA_CODE_SUPPLIER", "env");
        if (code != null) {
            environment.put("AWS_MFA_CODE", code);
        }
        return environment;
    }

    @Test
    void eightProcessesStartingTogetherShareOneCodeAndOneStsCall() throws Exception {
        Map<String, String> environment = processEnvironment(fixture.code());
        List<Process> processes = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Path out = folder.resolve("out-" + i);
            outputs.add(out);
            processes.add(ChildJvm.builder(ResolveTwiceMain.class, environment, "dev")
                                  .redirectOutput(out.toFile())
                                  .redirectError(folder.resolve("err-" + i).toFile())
                                  .start());
        }
        Set<String> accessKeys = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            assertTrue(processes.get(i).waitFor(90, TimeUnit.SECONDS), "process " + i + " finished");
            assertEquals(0, processes.get(i).exitValue(), Files.readString(folder.resolve("err-" + i)));
            accessKeys.add(Files.readString(outputs.get(i)).split(" ")[0]);
        }
        assertEquals(1, accessKeys.size(), "every process got the same session");
        assertEquals(1, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void aSecondProcessWithNoWayToGetACodeReusesTheFirstOnesSession() throws Exception {
        ChildJvm.Result first = ChildJvm.run(ChildJvm.builder(ResolveTwiceMain.class, processEnvironment(fixture.code()), "dev"), folder);
        ChildJvm.Result second = ChildJvm.run(ChildJvm.builder(ResolveTwiceMain.class, processEnvironment(null), "dev"), folder);

        assertEquals(0, first.exitCode(), first.stderr());
        assertEquals(0, second.exitCode(), second.stderr());
        assertEquals(first.stdout(), second.stdout());
        assertEquals(1, fixture.sts.getSessionTokenCalls());
    }

    @Test
    void theCacheIsPrivateAndNeverHoldsTheLongTermSecret() throws Exception {
        fixture.environment.put("AWS_MFA_CODE", fixture.code());
        AwsSessionCredentials session = fixture.builder().build().resolveCredentials();

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
        List<Path> files;
        try (Stream<Path> listing = Files.list(cache)) {
            files = listing.filter(f -> f.toString().endsWith(".json")).collect(java.util.stream.Collectors.toList());
        }
        assertEquals(1, files.size());
        String content = Files.readString(files.get(0));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.get(0))));
        assertTrue(content.contains(session.accessKeyId()));
        assertFalse(content.contains(fixture.user.secretAccessKey()), "the long-term secret is never written");
    }
}
