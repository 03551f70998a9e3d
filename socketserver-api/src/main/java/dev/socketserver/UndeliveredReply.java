package dev.socketserver;

import java.io.IOException;

/**
 * A datagram that {@link DatagramRequest#sendto} could not hand to the kernel (the receiver's queue
 * stayed full, the receiver is gone, the client has no address): the datagram is dropped and counted,
 * and {@link ErrorKind#of} files it under {@link ErrorKind#PEER_GONE}, so it costs one line at a low
 * level and not a stack trace. Keeps the message of the failure it stands for.
 */
final class UndeliveredReply extends IOException {

    private static final long serialVersionUID = 1L;

    UndeliveredReply(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String toString() {
        return getMessage(); // "datagram of 5 bytes to /tmp/c.sock dropped: ...", without this class's name
    }
}
