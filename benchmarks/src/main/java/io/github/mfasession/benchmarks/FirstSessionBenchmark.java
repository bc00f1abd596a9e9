package io.github.mfasession.benchmarks;

import io.github.mfasession.MfaSessionProvider;
import io.github.mfasession.testkit.StsEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The first session of a provider, with the MFA code already given, in-process against the local STS
 * emulator, compared with the least any program can do: build an {@code StsClient} and call GetSessionToken.
 *
 * <p>Both sides include building and closing their STS client (with the same URL-connection HTTP client and
 * the same in-memory profile file), because a provider's first session always builds one. Neither includes
 * reading the profile files from disk: ours gets them parsed, and the bare call needs none. Each invocation
 * uses a new emulator user and device, made in {@code @Setup(Level.Invocation)} outside the measured time,
 * since STS accepts each code once.
 *
 * <p>The JDK's HTTP server, which the emulator uses, holds back small responses for the client's delayed ACK
 * (40 ms on Linux) unless {@code sun.net.httpserver.nodelay} is set; real STS does not, so neither do we here.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dsun.net.httpserver.nodelay=true", "-Dslf4j.internal.verbosity=ERROR"})
@State(Scope.Thread)
public class FirstSessionBenchmark {

    private StsEmulator sts;
    private Path cacheFolder;
    private int identities;

    private EmulatedIdentity identity;
    private String code;

    @Setup(Level.Trial)
    public void startEmulator() throws IOException {
        sts = StsEmulator.start();
        cacheFolder = Files.createTempDirectory("mfa-session-benchmark-cache");
    }

    @Setup(Level.Invocation)
    public void newUserAndDevice() {
        identity = EmulatedIdentity.create(sts, "first-" + ++identities);
        code = sts.currentCode(identity.serialNumber());
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        sts.close();
        try (Stream<Path> files = Files.walk(cacheFolder)) {
            files.sorted(Comparator.reverseOrder()).forEach(FirstSessionBenchmark::delete);
        }
    }

    @Benchmark
    public Credentials bareStsClient() {
        try (StsClient client = StsClient.builder()
                                         .region(Region.US_EAST_1)
                                         .endpointOverride(sts.endpoint())
                                         .credentialsProvider(StaticCredentialsProvider.create(identity.user.credentials()))
                                         .httpClientBuilder(UrlConnectionHttpClient.builder())
                                         .overrideConfiguration(o -> o.defaultProfileFile(identity.credentialsFile)
                                                                      .defaultProfileName(identity.profileName))
                                         .build()) {
            return client.getSessionToken(r -> r.serialNumber(identity.serialNumber()).tokenCode(code).durationSeconds(43200))
                         .credentials();
        }
    }

    @Benchmark
    public AwsCredentials mfaSessionProviderMemoryCache() {
        return firstSession("memory");
    }

    @Benchmark
    public AwsCredentials mfaSessionProviderDiskCache() {
        return firstSession("disk");
    }

    private AwsCredentials firstSession(String cache) {
        try (MfaSessionProvider provider = MfaSessionProvider.builder()
                                                             .profileName(identity.profileName)
                                                             .profileFile(identity.credentialsFile)
                                                             .mfaSerial(identity.serialNumber())
                                                             .region(Region.US_EAST_1)
                                                             .stsEndpoint(sts.endpoint())
                                                             .cache(cache)
                                                             .cacheDirectory(cacheFolder)
                                                             .codeSupplier(EmulatedIdentity.fixedCode(code))
                                                             .build()) {
            return provider.resolveCredentials();
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
