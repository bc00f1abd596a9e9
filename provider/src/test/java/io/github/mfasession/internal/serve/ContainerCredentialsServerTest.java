package io.github.mfasession.internal.serve;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mfasession.MfaSessionException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the server listens, when another program (another local user's) got to a loopback address first. */
class ContainerCredentialsServerTest {

    private static ServerSocket onIpv6Loopback() {
        try {
            return new ServerSocket(0, 1, InetAddress.getByName("::1"));
        } catch (IOException e) {
            assumeTrue(false, "this machine has no IPv6 loopback: " + e);
            throw new AssertionError(e);
        }
    }

    @Test
    void aProgramAlreadyOnIpv6LoopbackAtTheGivenPortStopsTheServerRatherThanLetItCollectTokens() throws IOException {
        try (ServerSocket squatter = onIpv6Loopback()) {
            int port = squatter.getLocalPort();

            MfaSessionException e = assertThrows(MfaSessionException.class,
                                                 () -> ContainerCredentialsServer.start(port, "the-token", List.of(), line -> { }));

            assertTrue(e.getMessage().startsWith("Port " + port + " on ::1 is in use by another program"), e.getMessage());
            assertTrue(e.getMessage().contains("--port"), e.getMessage());
            try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
                assertTrue(again.isBound(), "the 127.0.0.1 listener was let go");
            }
        }
    }
}
