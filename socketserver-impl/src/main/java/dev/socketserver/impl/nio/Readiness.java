package dev.socketserver.impl.nio;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;

/**
 * How a {@link ChannelConnection} whose channel is non-blocking waits until it can read or write.
 *
 * <p>The flags follow one protocol, whatever waits: the connection clears {@link #inputReady} before
 * each read and {@link #outputReady} before each write; a read that fills its buffer sets
 * {@code inputReady} again (more may be there). A wait returns at once while its flag is set, or once
 * {@link #inputEnded} is: after a peer's FIN, a hang-up or an error a read never blocks again.
 */
abstract class Readiness {

    volatile boolean inputReady = true;
    volatile boolean outputReady = true;
    volatile boolean inputEnded;
    volatile boolean inputExpired; // set by expireInput: the next wait for input ends as if timed out

    /**
     * Waits until {@link #inputReady} or {@link #inputEnded}.
     *
     * @param deadline {@link System#nanoTime()} to give up at, or {@code 0} to wait forever
     * @throws SocketTimeoutException when the deadline passes
     * @throws IOException when the channel is closed meanwhile, or the thread interrupted
     */
    abstract void awaitInput(long deadline) throws IOException;

    /**
     * Waits until {@link #outputReady}.
     *
     * @param deadline {@link System#nanoTime()} to give up at, or {@code 0} to wait forever
     * @throws SocketTimeoutException when the deadline passes
     * @throws IOException when the channel is closed meanwhile, or the thread interrupted
     */
    abstract void awaitOutput(long deadline) throws IOException;

    /**
     * A waiting reader, or the next one, wakes with a {@link SocketTimeoutException}, as if its
     * timeout had passed; the connection stays usable. A drain uses it to end a wait for the next request.
     */
    abstract void expireInput();

    /**
     * Throws the timeout {@link #expireInput()} asked for, once.
     *
     * @throws SocketTimeoutException if a wait was expired
     */
    final void checkExpired() throws SocketTimeoutException {
        if (inputExpired) {
            inputExpired = false;
            throw new SocketTimeoutException("wait for input ended by the server (draining)");
        }
    }

    /** The input side was shut here: a waiting reader wakes and reads end of stream. */
    abstract void inputShut();

    /** The output side was shut here: a waiting writer wakes and fails. */
    abstract void outputShut();

    /**
     * Closes the channel, releasing what this way of waiting holds, and wakes both waiters.
     *
     * @param channel the connection's channel
     * @throws IOException if closing fails
     */
    abstract void close(SocketChannel channel) throws IOException;

    /**
     * Nanoseconds left until {@code deadline}; throws once it has passed.
     *
     * @param deadline {@link System#nanoTime()} to give up at, or {@code 0} for none
     * @param what "input" or "room to write", for the message
     * @return the nanoseconds left, or {@code 0} without a deadline
     * @throws SocketTimeoutException once the deadline has passed
     */
    static long left(long deadline, String what) throws SocketTimeoutException {
        if (deadline == 0) {
            return 0;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("timed out waiting for " + what);
        }
        return left;
    }

    /**
     * What {@code AbstractInterruptibleChannel.begin()/end()} would do, without their per-call cost:
     * a closed channel ends the wait, an interrupt closes the channel (the interrupt status stays set).
     */
    static void checkNotClosedOrInterrupted(SocketChannel channel, ChannelConnection connection) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            connection.close();
            throw new ClosedByInterruptException();
        }
        if (!channel.isOpen()) {
            throw new AsynchronousCloseException();
        }
    }
}
