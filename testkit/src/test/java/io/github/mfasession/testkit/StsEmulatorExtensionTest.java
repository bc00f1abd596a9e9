package io.github.mfasession.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineTestKit;
import software.amazon.awssdk.services.sts.StsClient;

/** The JUnit 5 extension as users' tests use it: each way of reaching the emulator, run by JUnit itself. */
class StsEmulatorExtensionTest {

    /** Endpoints the example classes saw, so the test can check afterwards that the emulator stopped. */
    static final List<URI> SEEN = new java.util.concurrent.CopyOnWriteArrayList<>();

    static class RegisteredAsAField {
        @RegisterExtension
        static final StsEmulatorExtension STS = new StsEmulatorExtension(StsEmulator.builder().accountId("111122223333"));

        @Test
        void getsASessionWithAnMfaCode() {
            StsEmulator emulator = STS.emulator();
            SEEN.add(emulator.endpoint());
            IamUser alice = emulator.addUser("alice");
            VirtualMfaDevice device = emulator.addVirtualMfaDevice(alice);
            try (StsClient sts = Clients.sts(emulator, alice.credentials())) {
                sts.getSessionToken(r -> r.serialNumber(device.serialNumber()).tokenCode(emulator.currentCode(device.serialNumber())));
            }
            assertEquals("111122223333", emulator.accountId());
        }

        @Nested
        class Inner {
            @Test
            void sharesTheOuterEmulator() {
                SEEN.add(STS.emulator().endpoint());
            }
        }
    }

    @ExtendWith(StsEmulatorExtension.class)
    static class ExtendedWith {
        @Test
        void getsTheEmulatorAsAParameter(StsEmulator first) {
            SEEN.add(first.endpoint());
        }

        @Test
        void everyTestOfTheClassGetsTheSameEmulator(StsEmulator again) {
            SEEN.add(again.endpoint());
        }
    }

    private static void runAndExpectSuccess(Class<?> testClass, int tests) {
        SEEN.clear();
        EngineTestKit.engine("junit-jupiter")
                     .selectors(DiscoverySelectors.selectClass(testClass))
                     .execute()
                     .testEvents()
                     .assertStatistics(stats -> stats.started(tests).succeeded(tests));
    }

    private static void assertStopped(URI endpoint) {
        assertThrows(ConnectException.class, () -> new Socket(endpoint.getHost(), endpoint.getPort()).close(), "stopped after the class");
    }

    @Test
    void aStaticFieldGivesTheClassAndItsNestedClassesOneEmulatorStoppedAfterThem() {
        runAndExpectSuccess(RegisteredAsAField.class, 2);

        assertEquals(2, SEEN.size(), SEEN::toString);
        assertEquals(SEEN.get(0), SEEN.get(1));
        assertStopped(SEEN.get(0));
    }

    @Test
    void extendWithGivesEveryTestOfTheClassTheSameEmulatorAsAParameter() {
        runAndExpectSuccess(ExtendedWith.class, 2);

        assertEquals(2, SEEN.size(), SEEN::toString);
        assertEquals(SEEN.get(0), SEEN.get(1));
        assertStopped(SEEN.get(0));
    }

    @Test
    void outsideTheTestsOfItsClassThereIsNoEmulator() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new StsEmulatorExtension().emulator());
        assertTrue(e.getMessage().contains("@RegisterExtension"), e.getMessage());
    }
}
