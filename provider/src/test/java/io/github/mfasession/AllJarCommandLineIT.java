package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as users run it: {@code java -jar} on the all-jar the build made. */
class AllJarCommandLineIT {

    @TempDir
    Path folder;

    @Test
    void theUsageNamesTheJarRunning() throws Exception {
        ChildJvm.Result help = ChildJvm.run(ChildJvm.allJar(Map.of("HOME", folder.toString()), "status", "--help"), folder);

        assertEquals(0, help.exitCode(), help.stderr());
        assertTrue(help.stdout().startsWith("Usage: java -jar " + ChildJvm.allJarPath().getFileName() + " status"), help.stdout());
    }
}
