package io.github.mfasession;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The one place our exceptions are made keeps codes out of their whole cause chain, whatever made the cause: STS,
 * a proxy, a plugin's code supplier.
 */
class MfaSessionExceptionTest {

    private static String printed(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    @Test
    void aCodeAnywhereInTheCauseChainIsMaskedKeepingClassesAndStackTraces() {
        IOException root = new IOException("the device answered 481516 late");
        root.addSuppressed(new IllegalStateException("retried with 234234"));
        UncheckedIOException middle = new UncheckedIOException("reading failed", root);
        SdkClientException top = SdkClientException.create("Unable to read the answer", middle);

        MfaSessionException e = MfaSessionException.create("Could not get a code for profile 'dev'.", top);

        String trace = printed(e);
        assertFalse(trace.contains("481516") || trace.contains("234234"), trace);
        assertTrue(trace.contains("java.io.IOException: the device answered ****** late"), trace);
        assertTrue(trace.contains("java.lang.IllegalStateException: retried with ******"), trace);
        assertEquals("software.amazon.awssdk.core.exception.SdkClientException: Unable to read the answer", e.getCause().toString());
        assertArrayEquals(root.getStackTrace(), e.getCause().getCause().getCause().getStackTrace());
        assertEquals("Could not get a code for profile 'dev'.", e.getMessage());
    }

    @Test
    void aCauseWithoutACodeIsKeptAsItIs() {
        IOException cause = new IOException("Connection refused to 127.0.0.1:8443 at 2026-11-30T12:34:56Z, account 123456789012");

        assertSame(cause, MfaSessionException.create("Could not reach STS.", cause).getCause());
    }

    @Test
    void aChainThatLoopsIsMaskedWithoutLoopingForever() {
        IllegalStateException first = new IllegalStateException("code 111111");
        IllegalArgumentException second = new IllegalArgumentException("second", first);
        first.initCause(second);

        String trace = printed(MfaSessionException.create("Failed.", first));

        assertFalse(trace.contains("111111"), trace);
        assertTrue(trace.contains("CIRCULAR REFERENCE"), trace);
    }
}
