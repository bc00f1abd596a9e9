package io.github.mfasession.internal.refresh;

import io.github.mfasession.internal.session.Session;
import java.time.Duration;

/**
 * The refresh policy, all of it: when a session is handed out as it is, when a new one is tried for, and when
 * one must be had. Every session is judged here, whether it comes from memory or from the disk cache; nothing
 * else decides freshness. The windows are those of the SDK's {@code StsCredentialsProvider} (prefetch time 5
 * minutes, stale time 1 minute) and of botocore's {@code RefreshableCredentials} (advisory and mandatory refresh):
 *
 * <pre>
 *  obtained                               expiration - advisory   expiration - mandatory   expiration
 *     |------------------ USE ------------------|------ RENEW_OR_USE ------|--- RENEW_OR_FAIL ---|
 * </pre>
 *
 * <ul>
 *   <li>advisory window ({@code mfa_refresh_before_seconds}, 300 s): a new session is tried for; if that fails
 *       for any reason (no code, a cancelled prompt, STS down) the current one is still handed out, with one
 *       warning, and no new attempt (so no prompt) is made for {@link #BACK_OFF};</li>
 *   <li>mandatory window ({@link #MANDATORY_WINDOW}, or the advisory window when that is shorter): a renewal must
 *       succeed or the call fails; a session is never handed out past its expiration;</li>
 *   <li>a session shorter than twice a window (an account-root session of one hour with a margin above half an
 *       hour) has that window cut to half its length, so it is renewed half-way through, not at every call.</li>
 * </ul>
 */
public final class RefreshPolicy {

    /** The default advisory window, {@code mfa_refresh_before_seconds}: the SDK's prefetch time, and aws-vault's reuse margin. */
    public static final Duration DEFAULT_ADVISORY_WINDOW = Duration.ofMinutes(5);
    /** The mandatory window: the SDK's stale time for STS credentials. */
    public static final Duration MANDATORY_WINDOW = Duration.ofMinutes(1);
    /**
     * After a failed renewal in the advisory window, no new attempt for this long. With the defaults that leaves
     * one attempt in the advisory window and the mandatory one: a cancelled dialog is shown again a few minutes
     * later, not at every call. Recorded in the cache file, so other processes back off too.
     */
    public static final Duration BACK_OFF = Duration.ofMinutes(5);

    /** What to do with a session at a moment. */
    public enum Decision {
        /** Hand it out as it is. */
        USE,
        /** Try for a new session; if that fails, hand this one out. */
        RENEW_OR_USE,
        /** A new session or an error: this one is too close to its end, or past it. */
        RENEW_OR_FAIL
    }

    private final long advisoryMillis;
    private final long mandatoryMillis;

    /** A policy with the given advisory window ({@code mfa_refresh_before_seconds}); a shorter one makes the mandatory window as short. */
    public RefreshPolicy(Duration advisoryWindow) {
        this.advisoryMillis = advisoryWindow.toMillis();
        this.mandatoryMillis = Math.min(MANDATORY_WINDOW.toMillis(), advisoryMillis);
    }

    /** The decision for the session at the moment; no session at all must be got. Allocation-free: this is the hot path. */
    public Decision judge(Session session, long nowMillis) {
        if (session == null) {
            return Decision.RENEW_OR_FAIL;
        }
        return judge(session.expirationMillis(), session.lifetimeMillis(), session.retryAfterMillis(), nowMillis);
    }

    /**
     * The decision for a session known by its facts alone ({@code status} shows a cached session without its
     * secrets): as {@link #judge(Session, long)}.
     *
     * @param lifetimeMillis   {@link Session#lifetimeMillis()}: {@link Long#MAX_VALUE} when not known
     * @param retryAfterMillis {@link Session#retryAfterMillis()}: {@link Long#MIN_VALUE} when no renewal failed
     */
    public Decision judge(long expirationMillis, long lifetimeMillis, long retryAfterMillis, long nowMillis) {
        long left = expirationMillis - nowMillis;
        long halfLife = lifetimeMillis / 2;
        if (left <= Math.min(mandatoryMillis, halfLife)) {
            return Decision.RENEW_OR_FAIL;
        }
        if (left > Math.min(advisoryMillis, halfLife) || nowMillis < retryAfterMillis) {
            return Decision.USE;
        }
        return Decision.RENEW_OR_USE;
    }

    public Duration advisoryWindow() {
        return Duration.ofMillis(advisoryMillis);
    }

    public Duration mandatoryWindow() {
        return Duration.ofMillis(mandatoryMillis);
    }

    @Override
    public String toString() {
        return "RefreshPolicy(advisory=" + advisoryWindow() + ", mandatory=" + mandatoryWindow() + ", backOff=" + BACK_OFF + ")";
    }
}
