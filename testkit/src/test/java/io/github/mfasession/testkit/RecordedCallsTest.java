package io.github.mfasession.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

class RecordedCallsTest {

    private final MutableClock clock = MutableClock.atSystemTime();
    private final StsEmulator emulator = StsEmulator.builder().clock(clock).build();
    private final IamUser alice = emulator.addUser("alice");
    private final VirtualMfaDevice device = emulator.addVirtualMfaDevice(alice);
    private final StsClient sts = Clients.sts(emulator, alice.credentials());

    @AfterEach
    void close() {
        sts.close();
        emulator.close();
    }

    @Test
    void eachRequestIsRecordedWithWhatATestAssertsOn() {
        String code = emulator.currentCode(device.serialNumber());
        sts.getSessionToken(r -> r.serialNumber(device.serialNumber()).tokenCode(code).durationSeconds(3600));
        assertThrows(StsException.class, () -> sts.getSessionToken(r -> r.serialNumber(device.serialNumber()).tokenCode(code)));
        sts.getCallerIdentity();

        List<RecordedCall> calls = emulator.calls();

        assertEquals(3, calls.size());
        RecordedCall first = calls.get(0);
        assertEquals("GetSessionToken", first.action());
        assertEquals(alice.accessKeyId(), first.accessKeyId());
        assertEquals(3600, first.durationSeconds());
        assertEquals(device.serialNumber(), first.serialNumber());
        assertTrue(first.isOk());
        assertEquals(clock.instant(), first.time());
        assertEquals("AccessDenied", calls.get(1).outcome());
        assertNull(calls.get(1).durationSeconds());
        assertEquals("GetCallerIdentity", calls.get(2).action());
        assertEquals(RecordedCall.OK, calls.get(2).outcome());
    }

    @Test
    void noRecordOrDescriptionShowsACodeOrASecret() {
        String code = emulator.currentCode(device.serialNumber());
        Credentials session = sts.getSessionToken(r -> r.serialNumber(device.serialNumber()).tokenCode(code)).credentials();

        String shown = emulator.calls() + " " + alice + " " + device + " " + emulator;

        for (String secret : List.of(code, alice.secretAccessKey(), device.base32Secret(),
                                     session.secretAccessKey(), session.sessionToken())) {
            assertFalse(shown.contains(secret), "shown: " + shown);
        }
    }

    @Test
    void theRecordIsASnapshot() {
        List<RecordedCall> before = emulator.calls();
        sts.getCallerIdentity();

        assertEquals(0, before.size());
        assertThrows(UnsupportedOperationException.class, () -> emulator.calls().clear());
    }
}
