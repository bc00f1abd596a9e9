package io.github.mfasession.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sts.StsClient;

/** An emulator whose endpoint, account, keys and device codes are the same at every start, when asked. */
class StableIdentitiesTest {

    private static final byte[] SECRET = "a twenty-byte secret".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void aChosenAccountNamesEveryUserDeviceAndRole() {
        try (StsEmulator emulator = StsEmulator.builder().accountId("123456789012").build()) {
            IamUser alice = emulator.addUser("alice");

            assertEquals("123456789012", emulator.accountId());
            assertEquals("arn:aws:iam::123456789012:user/alice", alice.arn());
            assertEquals("arn:aws:iam::123456789012:mfa/alice", emulator.addVirtualMfaDevice(alice, "alice", SECRET).serialNumber());
            assertEquals("arn:aws:iam::123456789012:role/admin", emulator.addRole("admin", true));
        }
    }

    @Test
    void anAccountIdIsTwelveDigits() {
        assertThrows(IllegalArgumentException.class, () -> StsEmulator.builder().accountId("12345"));
        assertThrows(IllegalArgumentException.class, () -> StsEmulator.builder().accountId("12345678901a"));
    }

    @Test
    void aDeviceWithAChosenSecretShowsItsCodesAndStsTakesThem() {
        try (StsEmulator emulator = StsEmulator.start()) {
            IamUser alice = emulator.addUser("alice");
            VirtualMfaDevice device = emulator.addVirtualMfaDevice(alice, "alice", SECRET);
            String code = Totp.code(SECRET, java.time.Instant.now());

            assertEquals(code, emulator.currentCode(device.serialNumber()));
            try (StsClient sts = Clients.sts(emulator, alice.credentials())) {
                assertTrue(sts.getSessionToken(r -> r.serialNumber(device.serialNumber()).tokenCode(code)).credentials().accessKeyId()
                              .startsWith("ASIA"));
            }
        }
    }

    @Test
    void aChosenPortIsTheEndpointsPort() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (StsEmulator emulator = StsEmulator.builder().port(port).build()) {
            assertEquals(port, emulator.endpoint().getPort());
        }
    }

    @Test
    void aPortInUseIsSaidToBeInUse() throws Exception {
        try (StsEmulator first = StsEmulator.start()) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class,
                                                  () -> StsEmulator.builder().port(first.endpoint().getPort()).build());
            assertTrue(e.getMessage().startsWith("Could not listen on loopback port " + first.endpoint().getPort()), e.getMessage());
            assertTrue(e.getMessage().endsWith("is it in use?"), e.getMessage());
        }
    }

    @Test
    void aPortIsZeroOrOneTo65535() {
        assertThrows(IllegalArgumentException.class, () -> StsEmulator.builder().port(-1));
        assertThrows(IllegalArgumentException.class, () -> StsEmulator.builder().port(65_536));
    }
}
