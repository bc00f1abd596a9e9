package io.github.mfasession.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.mfasession.testkit.StsEmulator;
import io.github.mfasession.testkit.VirtualMfaDevice;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@code demo} says after STS rejects a code, judged by the demo device's own codes. */
class DemoCommandTest {

    private final StsEmulator sts = StsEmulator.start();
    private final VirtualMfaDevice device = sts.addVirtualMfaDevice(sts.addUser("demo-user"));
    private final Instant now = Instant.now();

    @AfterEach
    void stop() {
        sts.close();
    }

    @Test
    void aCodeFromMoreThanAStepAgoHasExpired() {
        String old = sts.code(device.serialNumber(), now.minusSeconds(90));

        assertEquals("The code expired: STS takes a code only until 30 seconds after the device stops showing it.",
                     DemoCommand.whyRejected(sts, device.serialNumber(), old, now));
    }

    @Test
    void aCodeStsWouldStillTakeWasUsedAlready() {
        String current = sts.code(device.serialNumber(), now);

        assertEquals("That code was used already: STS takes each code once.", DemoCommand.whyRejected(sts, device.serialNumber(), current, now));
    }

    @Test
    void anyOtherCodeWasNotTheDevices() {
        Set<String> recent = new HashSet<>();
        IntStream.range(-25, 3).forEach(step -> recent.add(sts.code(device.serialNumber(), now.plusSeconds(30L * step))));
        String other = IntStream.range(0, 1_000_000).mapToObj(n -> String.format("%06d", n)).filter(code -> !recent.contains(code))
                                .findFirst().orElseThrow();

        assertEquals("That was not the code the device showed.", DemoCommand.whyRejected(sts, device.serialNumber(), other, now));
    }
}
