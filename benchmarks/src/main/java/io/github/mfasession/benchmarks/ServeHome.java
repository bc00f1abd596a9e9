package io.github.mfasession.benchmarks;

import io.github.mfasession.testkit.StsEmulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The throwaway home folder for comparing {@code serve} with {@code credential_process}, with the local STS
 * emulator that both sides' {@code aws sts get-caller-identity} calls reach, kept running until standard input
 * closes. In {@code ~/.aws}: profile {@code dev} (the emulator user's keys and MFA device, one session already in
 * the disk cache, so neither side asks for a code) and profile {@code dev-process}, whose {@code credential_process}
 * runs {@code credential-process --profile dev} from the all-jar. The emulator's endpoint is written to
 * {@code <home>/sts-endpoint} once all is ready.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.github.mfasession.benchmarks.ServeHome <home folder> <all-jar> < fifo}
 */
public final class ServeHome {

    private ServeHome() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        if (args.length != 2) {
            System.err.println("Usage: ServeHome <home folder> <all-jar>");
            System.exit(2);
        }
        Path home = Paths.get(args[0]).toAbsolutePath();
        try (StsEmulator sts = StsEmulator.start()) {
            String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            WarmCache.warm(home.resolve(".aws"), sts, sts.endpoint().toString(),
                           "[profile dev-process]\nregion = us-east-1\ncredential_process = " + java + " -jar "
                           + Paths.get(args[1]).toAbsolutePath() + " credential-process --profile dev\n",
                           "");
            Files.write(home.resolve("sts-endpoint"), sts.endpoint().toString().getBytes(StandardCharsets.UTF_8));
            // Serves until the script closes our standard input.
            while (System.in.read() >= 0) {
                // Nothing is expected on it.
            }
        }
    }
}
