package io.github.mfasession.testkit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;

/**
 * Faults planned for the next requests, taken in arrival order: delays and answers given before any check (so an
 * MFA code in such a request is not used up), and answers lost or replaced after the request was processed (so its
 * code is used up and its session issued, as when the network or STS fails between processing and answering).
 */
final class Faults {

    private final Deque<Planned<Duration>> delays = new ArrayDeque<>();
    private final Deque<Planned<Function<String, Reply>>> replies = new ArrayDeque<>();
    private final Deque<Planned<Aftermath>> aftermaths = new ArrayDeque<>();

    synchronized void delayNext(int count, Duration delay) {
        delays.add(new Planned<>(count, delay));
    }

    /** Plans a reply made for each request from its request id. */
    synchronized void replyNext(int count, Function<String, Reply> reply) {
        replies.add(new Planned<>(count, reply));
    }

    /** The delay for the request now arriving; zero when none is planned. */
    synchronized Duration takeDelay() {
        Duration delay = take(delays);
        return delay == null ? Duration.ZERO : delay;
    }

    /** The planned reply for the request now arriving; {@code null} when it should be answered normally. */
    synchronized Reply takeReply(String requestId) {
        Function<String, Reply> reply = take(replies);
        return reply == null ? null : reply.apply(requestId);
    }

    /** Plans what becomes of the answers to the next processed requests. */
    synchronized void afterProcessingNext(int count, Aftermath aftermath) {
        aftermaths.add(new Planned<>(count, aftermath));
    }

    /** What becomes of the answer to the request just processed; {@code null} when it is sent as it is. */
    synchronized Aftermath takeAftermath() {
        return take(aftermaths);
    }

    private static <T> T take(Deque<Planned<T>> queue) {
        Planned<T> next = queue.peek();
        if (next == null) {
            return null;
        }
        if (--next.remaining == 0) {
            queue.remove();
        }
        return next.value;
    }

    private static final class Planned<T> {
        int remaining;
        final T value;

        Planned(int remaining, T value) {
            this.remaining = remaining;
            this.value = value;
        }
    }

    /** What happens after a request was processed: its answer held back, replaced, or not sent at all. */
    static final class Aftermath {
        final Duration delay;
        final Function<String, Reply> replacement;
        final boolean dropConnection;

        private Aftermath(Duration delay, Function<String, Reply> replacement, boolean dropConnection) {
            this.delay = delay;
            this.replacement = replacement;
            this.dropConnection = dropConnection;
        }

        static Aftermath dropConnection() {
            return new Aftermath(Duration.ZERO, null, true);
        }

        static Aftermath delay(Duration delay) {
            return new Aftermath(delay, null, false);
        }

        static Aftermath replace(Function<String, Reply> replacement) {
            return new Aftermath(Duration.ZERO, replacement, false);
        }
    }
}
