package dev.socketserver.impl.nio;

import dev.socketserver.impl.os.SendRetry;
import dev.socketserver.impl.os.ProcFd;
import dev.socketserver.spi.DatagramEndpoint;
import dev.socketserver.spi.ReceivedDatagram;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A UDP socket (IPv4 or IPv6) on a non-blocking {@link DatagramChannel}.
 *
 * <p>Truncation: NIO discards the excess of a datagram silently, so {@link #receive} reads into a
 * buffer one byte larger than {@code maxPacketSize}; a datagram that fills it was longer and is
 * reported as truncated, keeping {@code maxPacketSize} bytes. Sends never block (see
 * {@link SendRetry}); the channel's own locking makes them safe from any thread, also against a
 * concurrent {@link #close()}.
 */
public final class NioDatagramEndpoint extends NioEndpoint<DatagramChannel> implements DatagramEndpoint {

    private final ReentrantLock receiveLock = new ReentrantLock();
    private ByteBuffer receiveBuffer; // guarded by receiveLock

    public NioDatagramEndpoint(ProtocolFamily family) throws IOException {
        super(DatagramChannel.open(family), ProcFd.Kind.DATAGRAM, SelectionKey.OP_READ);
    }

    @Override
    void bindChannel(SocketAddress local, int backlog) throws IOException {
        channel.bind(local);
    }

    @Override
    public ReceivedDatagram receive(int maxPacketSize) throws IOException {
        receiveLock.lock();
        try {
            ByteBuffer buffer = receiveBuffer;
            if (buffer == null || buffer.capacity() != maxPacketSize + 1) {
                buffer = ByteBuffer.allocateDirect(maxPacketSize + 1);
                receiveBuffer = buffer;
            }
            buffer.clear();
            SocketAddress sender = channel.receive(buffer);
            if (sender == null) {
                return null;
            }
            buffer.flip();
            boolean truncated = buffer.remaining() > maxPacketSize;
            byte[] data = new byte[Math.min(buffer.remaining(), maxPacketSize)];
            buffer.get(data);
            return new ReceivedDatagram(data, sender, truncated);
        } finally {
            receiveLock.unlock();
        }
    }

    @Override
    public void send(ByteBuffer data, SocketAddress target) throws IOException {
        int length = data.remaining();
        // NIO returns 0 both for "no room now" and for a sent empty datagram; an empty datagram needs
        // no buffer space, so 0 means sent for it.
        if (channel.send(data, target) > 0 || length == 0) {
            return; // the usual case, without the retry's lambda
        }
        SendRetry.send(() -> channel.send(data, target) > 0, target, length);
    }
}
