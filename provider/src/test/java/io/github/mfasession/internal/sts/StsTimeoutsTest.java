package io.github.mfasession.internal.sts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaCodeSupplier;
import io.github.mfasession.MfaSessionException;
import io.github.mfasession.internal.settings.SettingSources;
import io.github.mfasession.internal.settings.Settings;
import io.github.mfasession.testkit.IamUser;
import io.github.mfasession.testkit.StsEmulator;
import io.github.mfasession.testkit.VirtualMfaDevice;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * A slow or silent STS is given up on within the timeouts the fetcher sets: to connect, to read each part
 * of the answer, and for the whole call with the SDK's retries (made only when the connection failed). The defaults (5, 10 and 30 seconds) are
 * shortened here through the fetcher's package-private constructor, so the tests take a second or two.
 */
class StsTimeoutsTest {

    private static final StsClients.Timeouts SHORT =
        new StsClients.Timeouts(Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofSeconds(20));

    private final StsEmulator sts = StsEmulator.start();
    private final IamUser user = sts.addUser("alice");
    private final VirtualMfaDevice device = sts.addVirtualMfaDevice(user);
    private final List<GetSessionToken> fetchers = new ArrayList<>();

    @AfterEach
    void stop() {
        fetchers.forEach(GetSessionToken::close);
        sts.close();
    }

    private GetSessionToken fetcher(String endpoint, StsClients.Timeouts timeouts) {
        String config = "[profile dev]\nregion = us-east-1\nmfa_serial = " + device.serialNumber() + "\n";
        ProfileFile file = ProfileFile.builder()
                                      .content(new ByteArrayInputStream(config.getBytes(StandardCharsets.UTF_8)))
                                      .type(ProfileFile.Type.CONFIGURATION)
                                      .build();
        Settings settings = Settings.resolve(new SettingSources(Map.of("profile", "dev", "sts_endpoint", endpoint), new Properties(), name -> null),
                                             () -> file);
        StaticCredentialsProvider keys = StaticCredentialsProvider.create(AwsBasicCredentials.create(user.accessKeyId(), user.secretAccessKey()));
        GetSessionToken fetcher = new GetSessionToken(settings, keys, Clock.systemUTC(), timeouts);
        fetchers.add(fetcher);
        return fetcher;
    }

    /** The device's current code, like a command that reads it from the device. */
    private final MfaCodeSupplier currentCode = new MfaCodeSupplier() {
        @Override
        public String name() {
            return "device";
        }

        @Override
        public String code(MfaCodeRequest request) {
            return sts.currentCode(request.mfaSerial());
        }
    };

    @Test
    void theDefaultsAreFiveSecondsToConnectTenToReadAndThirtyForTheWholeCall() {
        assertEquals(Duration.ofSeconds(5), StsClients.Timeouts.DEFAULT.connect);
        assertEquals(Duration.ofSeconds(10), StsClients.Timeouts.DEFAULT.read);
        assertEquals(Duration.ofSeconds(30), StsClients.Timeouts.DEFAULT.call);
    }

    @Test
    void anStsThatStaysSilentIsGivenUpAfterOneReadTimeoutAndTheCodeCountsAsUsed() {
        // Held far longer than the read timeout; STS processes it afterwards, so its code is not resent.
        sts.delayNext(1, Duration.ofSeconds(5));
        long start = System.nanoTime();

        MfaSessionException e = assertThrows(MfaSessionException.class, () -> fetcher(sts.endpoint().toString(), SHORT).fetch(currentCode));

        assertTrue(e.getMessage().startsWith("No answer from STS at http://127.0.0.1:"), e.getMessage());
        assertTrue(e.getMessage().contains("STS may have used the code from device " + device.serialNumber()), e.getMessage());
        assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains("read timed out"), e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0, "not one attempt waited for its answer");
    }

    @Test
    void anAnswerLaterThanTheReadTimeoutIsNotRetriedWithTheCodeStsHasUsed() {
        // STS processes the request (the code is used, a session issued) and answers after the client gave up.
        sts.answerLateNext(1, Duration.ofSeconds(2));
        GetSessionToken fetcher = fetcher(sts.endpoint().toString(), SHORT);

        MfaSessionException e = assertThrows(MfaSessionException.class, () -> fetcher.fetch(currentCode));
        MfaSessionException again = assertThrows(MfaSessionException.class, () -> fetcher.fetch(currentCode));

        assertTrue(e.getMessage().contains("STS may have used the code from device " + device.serialNumber()
                                           + ", and accepts a code once: wait for the device's next code, then try again."), e.getMessage());
        assertTrue(again.getMessage().contains("refused before calling STS: the last code was already used"), again.getMessage());
        assertEquals(1, sts.getSessionTokenCalls());
    }

    @Test
    void theCallTimeoutBoundsTheWholeCallWhateverTheReadTimeout() {
        sts.delayNext(1, Duration.ofSeconds(5));
        StsClients.Timeouts longReads = new StsClients.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMillis(500));
        long start = System.nanoTime();

        MfaSessionException e = assertThrows(MfaSessionException.class,
                                             () -> fetcher(sts.endpoint().toString(), longReads).fetch(currentCode));

        assertTrue(e.getMessage().startsWith("No answer from STS at http://127.0.0.1:"), e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0, "the call did not wait for the answer");
    }

    @Test
    void aServerThatNeverAcceptsTheConnectionIsGivenUpAfterTheConnectTimeout() throws IOException {
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            List<Socket> queued = fillAcceptQueue(full);
            try {
                String endpoint = "http://127.0.0.1:" + full.getLocalPort();
                long start = System.nanoTime();

                MfaSessionException e = assertThrows(MfaSessionException.class, () -> fetcher(endpoint, SHORT).fetch(currentCode));

                assertTrue(e.getMessage().startsWith("Could not reach STS at http://127.0.0.1:"), e.getMessage());
                assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains("connect timed out"), e.getMessage());
                // Three attempts of 300 ms (a connection never made is retried); with the SDK's own connect timeout (2 s each) this would take 8 s.
                assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0, "each attempt gave up after 300 ms");
            } finally {
                for (Socket socket : queued) {
                    socket.close();
                }
            }
        }
    }

    /**
     * Connections the server never accepts, until its queue is full: from then on the system drops new
     * connection requests, and a client waits as for a host that does not answer.
     */
    private static List<Socket> fillAcceptQueue(ServerSocket server) throws IOException {
        List<Socket> queued = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()), 200);
                queued.add(socket);
            } catch (SocketTimeoutException full) {
                socket.close();
                return queued;
            }
        }
        throw new IllegalStateException("the accept queue never filled up");
    }
}
