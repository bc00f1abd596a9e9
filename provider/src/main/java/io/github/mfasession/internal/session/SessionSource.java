package io.github.mfasession.internal.session;

import java.time.Duration;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * What a {@link SessionRefresher} keeps fresh: an MFA session from GetSessionToken, or a role session from
 * AssumeRole with the session another refresher keeps. The refresher holds the policy (when to renew, the
 * locks, the store before STS); a source knows where its sessions are kept, under which key, and how to get
 * a new one.
 */
public interface SessionSource extends SdkAutoCloseable {

    /** The profile the sessions are for, as log lines and errors name it. */
    String profileName();

    /** Where sessions are kept for other providers and processes. */
    SessionStore store();

    /** A session is renewed when less than this remains. */
    Duration refreshBefore();

    /**
     * The session wanted now. Its key may need the base profile's keys, or the session a role is assumed with,
     * which asks for a code only when that session itself needs renewal; the session wanted is not fetched yet.
     */
    SessionRequest request();
}
