package dev.socketserver.impl.os;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What a datagram send does when the kernel cannot take the datagram at once (a full socket send
 * buffer; for a Unix datagram, a full receive queue at the peer): retry for a short, bounded time,
 * then give up with an {@link IOException} so the datagram counts as dropped.
 *
 * <p>Why: sends may run on virtual threads (handlers of {@code VirtualThreadingMixIn}), where a
 * blocking native call would hold the carrier, and a synchronous server must never stall behind one
 * slow client (CPython's blocking {@code sendto} does). The pauses use
 * {@link LockSupport#parkNanos}, which parks a virtual thread instead of blocking its carrier.
 * Datagram delivery is best effort anyway: UDP drops silently when a receiver is full.
 */
public final class SendRetry {

    /** The longest a send keeps retrying before it drops the datagram. */
    public static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private static final long FIRST_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long LONGEST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** One non-blocking attempt. */
    @FunctionalInterface
    public interface Attempt {
        /**
         * Tries once without blocking.
         *
         * @return {@code true} if the datagram was sent, {@code false} if the kernel could not take it now
         * @throws IOException if the send failed for another reason
         */
        boolean trySend() throws IOException;
    }

    private SendRetry() {
    }

    /**
     * Sends with {@code attempt}, retrying for up to {@link #MAX_WAIT_NANOS}.
     *
     * @param attempt the non-blocking send
     * @param target the destination, turned into text only for the failure message (formatting an
     *     address on every send cost a quarter of a UDP echo server's time)
     * @param length the datagram's length, for the message
     * @throws IOException if every attempt failed or one failed for another reason
     */
    public static void send(Attempt attempt, Object target, int length) throws IOException {
        if (attempt.trySend()) {
            return;
        }
        long deadline = System.nanoTime() + MAX_WAIT_NANOS;
        long pause = FIRST_PAUSE_NANOS;
        while (System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(pause);
            if (attempt.trySend()) {
                return;
            }
            pause = Math.min(pause * 2, LONGEST_PAUSE_NANOS);
        }
        throw new IOException("datagram of " + length + " bytes to " + target + " dropped: the kernel could not take it for "
                + TimeUnit.NANOSECONDS.toMillis(MAX_WAIT_NANOS) + " ms (the receiver's queue or our send buffer is full)");
    }
}
