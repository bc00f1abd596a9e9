package io.github.mfasession.benchmarks;

import io.github.mfasession.MfaSessionProvider;
import io.github.mfasession.testkit.StsEmulator;
import java.util.concurrent.TimeUnit;
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
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsGetSessionTokenCredentialsProvider;

/**
 * {@code resolveCredentials()} with a valid session already in memory, the call an SDK client makes before
 * every request. Each provider is shared by all benchmark threads, as one provider is shared by a client's
 * threads. Run with {@code -t 1} and {@code -t 2}, and {@code -prof gc} for the bytes allocated per call.
 *
 * <ul>
 *   <li>{@code mfaSessionProvider}: ours, session obtained once from the emulator in setup;
 *   <li>{@code stsGetSessionTokenCredentialsProvider}: the SDK's, whose {@code CachedSupplier} holds its session;
 *   <li>{@code staticCredentialsProvider}: the floor, a field read;
 *   <li>{@code wallClockRead}: {@code System.currentTimeMillis()} alone, the least a provider that notices
 *       expiry without a background thread must do per call.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dslf4j.internal.verbosity=ERROR")
@State(Scope.Benchmark)
public class HotPathBenchmark {

    private StsEmulator sts;
    private StsClient stsClient;
    private MfaSessionProvider mfaSessionProvider;
    private StsGetSessionTokenCredentialsProvider stsGetSessionTokenCredentialsProvider;
    private StaticCredentialsProvider staticCredentialsProvider;

    @Setup(Level.Trial)
    public void startWithASessionInEveryProvider() {
        sts = StsEmulator.start();

        EmulatedIdentity ours = EmulatedIdentity.create(sts, "hot-ours");
        mfaSessionProvider = MfaSessionProvider.builder()
                                               .profileName(ours.profileName)
                                               .profileFile(ours.credentialsFile)
                                               .mfaSerial(ours.serialNumber())
                                               .region(Region.US_EAST_1)
                                               .stsEndpoint(sts.endpoint())
                                               .cache("memory")
                                               .codeSupplier(EmulatedIdentity.fixedCode(sts.currentCode(ours.serialNumber())))
                                               .build();
        AwsSessionCredentials session = mfaSessionProvider.resolveCredentials();

        EmulatedIdentity sdks = EmulatedIdentity.create(sts, "hot-sdk");
        stsClient = StsClient.builder()
                             .region(Region.US_EAST_1)
                             .endpointOverride(sts.endpoint())
                             .credentialsProvider(StaticCredentialsProvider.create(sdks.user.credentials()))
                             .httpClientBuilder(UrlConnectionHttpClient.builder())
                             .build();
        String sdkCode = sts.currentCode(sdks.serialNumber());
        stsGetSessionTokenCredentialsProvider =
            StsGetSessionTokenCredentialsProvider.builder()
                                                 .stsClient(stsClient)
                                                 .refreshRequest(r -> r.serialNumber(sdks.serialNumber()).tokenCode(sdkCode))
                                                 .build();
        stsGetSessionTokenCredentialsProvider.resolveCredentials();

        staticCredentialsProvider = StaticCredentialsProvider.create(session);
    }

    @TearDown(Level.Trial)
    public void stop() {
        mfaSessionProvider.close();
        stsGetSessionTokenCredentialsProvider.close();
        stsClient.close();
        sts.close();
    }

    @Benchmark
    public AwsCredentials mfaSessionProvider() {
        return mfaSessionProvider.resolveCredentials();
    }

    @Benchmark
    public AwsCredentials stsGetSessionTokenCredentialsProvider() {
        return stsGetSessionTokenCredentialsProvider.resolveCredentials();
    }

    @Benchmark
    public AwsCredentials staticCredentialsProvider() {
        return staticCredentialsProvider.resolveCredentials();
    }

    @Benchmark
    public long wallClockRead() {
        return System.currentTimeMillis();
    }
}
