package io.github.mfasession.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IdentitiesTest {

    private final MutableClock clock = MutableClock.startingAt(Instant.parse("2025-06-01T12:00:00Z"));
    private final StsEmulator emulator = StsEmulator.builder().clock(clock).build();

    @AfterEach
    void close() {
        emulator.close();
    }

    @Test
    void aNewUserHasKeysShapedLikeAwsKeys() {
        IamUser alice = emulator.addUser("alice");

        assertTrue(emulator.accountId().matches("\\d{12}"));
        assertEquals("arn:aws:iam::" + emulator.accountId() + ":user/alice", alice.arn());
        assertTrue(alice.accessKeyId().matches("AKIA[A-Z0-9]{16}"), alice.accessKeyId());
        assertEquals(40, alice.secretAccessKey().length());
        assertTrue(alice.userId().startsWith("AIDA"));
        assertFalse(alice.isRoot());
    }

    @Test
    void theRootUserIsTheAccountItself() {
        IamUser root = emulator.addRootUser();

        assertEquals("arn:aws:iam::" + emulator.accountId() + ":root", root.arn());
        assertEquals(emulator.accountId(), root.userId());
        assertTrue(root.isRoot());
    }

    @Test
    void aVirtualDeviceIsNamedForItsUserAndShowsTotpCodesOfItsSecret() {
        VirtualMfaDevice device = emulator.addVirtualMfaDevice(emulator.addUser("alice"));

        assertEquals("arn:aws:iam::" + emulator.accountId() + ":mfa/alice", device.serialNumber());
        assertArrayEquals(device.secret(), Totp.base32Decode(device.base32Secret()));
        assertEquals(Totp.code(device.secret(), clock.instant()), emulator.currentCode(device.serialNumber()));
        assertEquals(Totp.code(device.secret(), Instant.EPOCH), emulator.code(device.serialNumber(), Instant.EPOCH));
    }

    @Test
    void aSecondDeviceOfAUserNeedsItsOwnName() {
        IamUser alice = emulator.addUser("alice");
        emulator.addVirtualMfaDevice(alice);

        assertThrows(IllegalArgumentException.class, () -> emulator.addVirtualMfaDevice(alice));
        assertEquals("arn:aws:iam::" + emulator.accountId() + ":mfa/alice-phone",
                     emulator.addVirtualMfaDevice(alice, "alice-phone").serialNumber());
    }

    @Test
    void userNamesAndAccessKeysAreUnique() {
        emulator.addUser("alice", "AKIAIOSFODNN7EXAMPLE", "secret");

        assertThrows(IllegalArgumentException.class, () -> emulator.addUser("alice"));
        assertThrows(IllegalArgumentException.class, () -> emulator.addUser("bob", "AKIAIOSFODNN7EXAMPLE", "other"));
        emulator.addUser("bob");
    }

    @Test
    void anInvalidUserNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> emulator.addUser("alice smith"));
    }

    @Test
    void aUserOfAnotherEmulatorGetsNoDeviceHere() {
        try (StsEmulator other = StsEmulator.start()) {
            IamUser stranger = other.addUser("stranger");

            assertThrows(IllegalArgumentException.class, () -> emulator.addVirtualMfaDevice(stranger));
        }
    }

    @Test
    void anUnknownSerialHasNoCode() {
        assertThrows(IllegalArgumentException.class, () -> emulator.currentCode("arn:aws:iam::123456789012:mfa/nobody"));
    }

    @Test
    void theEndpointIsOnLoopback() {
        assertEquals("http", emulator.endpoint().getScheme());
        assertEquals("127.0.0.1", emulator.endpoint().getHost());
        assertTrue(emulator.endpoint().getPort() > 0);
    }
}
