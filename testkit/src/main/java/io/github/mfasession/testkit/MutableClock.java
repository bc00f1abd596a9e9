package io.github.mfasession.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a test moves by hand, to reach a session's expiry or the next MFA code without waiting. Give the
 * same instance to the {@link StsEmulator} and to the code under test. Safe for concurrent use.
 */
public final class MutableClock extends Clock {

    private volatile Instant now;

    private MutableClock(Instant now) {
        this.now = now;
    }

    /** A clock standing at the current system time. */
    public static MutableClock atSystemTime() {
        return startingAt(Instant.now());
    }

    /** A clock standing at {@code instant}. */
    public static MutableClock startingAt(Instant instant) {
        return new MutableClock(instant);
    }

    /** Moves the clock forward (or back, with a negative duration). */
    public synchronized void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** Sets the clock to {@code instant}. */
    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** The clock itself: this clock only ever reads in UTC. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public String toString() {
        return "MutableClock(" + now + ")";
    }
}
