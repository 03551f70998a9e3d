package dev.socketserver;

import dev.socketserver.spi.DatagramEndpoint;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;

/**
 * The request of a datagram server: Python's {@code (data, socket)} pair that
 * {@code UDPServer.get_request()} returns. It holds one received datagram and lets the handler send
 * datagrams through the server's own socket.
 *
 * <p>Handlers usually extend {@link DatagramRequestHandler}, which reads the packet through
 * {@code rfile()} and sends the reply in {@code finish()}. A {@link BaseRequestHandler} of
 * {@code DatagramRequest} can use this class directly: {@link #packet()}, {@link #sendto}.
 *
 * <p>Better than CPython (decided): a datagram longer than {@link UDPServer#maxPacketSize()} is cut
 * as in CPython, but {@link #truncated()} says so and the server counts it
 * ({@link ServerStats#datagramsTruncated()}). A send that fails is counted in
 * {@link ServerStats#dropped()}.
 *
 * <p>Thread-safe: any thread may send through it, also after the handler has returned, until the
 * server is closed.
 */
public final class DatagramRequest {

    private final byte[] packet;
    private final boolean truncated;
    private final SocketAddress clientAddress;
    private final DatagramEndpoint socket;
    private final ServerStats stats;

    DatagramRequest(byte[] packet, boolean truncated, SocketAddress clientAddress, DatagramEndpoint socket,
                    ServerStats stats) {
        this.packet = Objects.requireNonNull(packet, "packet");
        this.truncated = truncated;
        this.clientAddress = clientAddress;
        this.socket = Objects.requireNonNull(socket, "socket");
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    /** The received bytes themselves, not a copy: for {@link DatagramRequestHandler#setup()}, which owns them from then on. */
    byte[] packetArray() {
        return packet;
    }

    /**
     * Python: {@code request[0]}, the {@code data} of the pair: the bytes received, at most
     * {@code maxPacketSize}.
     *
     * @return a copy of the packet; changing it changes nothing here
     */
    public byte[] packet() {
        return packet.clone();
    }

    /**
     * Returns the packet as a read-only buffer over the received bytes, without copying.
     *
     * @return a new read-only buffer, position 0, limit {@link #length()}
     */
    public ByteBuffer packetBuffer() {
        return ByteBuffer.wrap(packet).asReadOnlyBuffer();
    }

    /**
     * Returns how many bytes the packet holds.
     *
     * @return the packet's length
     */
    public int length() {
        return packet.length;
    }

    /**
     * Tells whether the datagram was longer than {@code maxPacketSize} and was cut. Python drops the
     * excess silently and has no such flag.
     *
     * @return {@code true} if bytes were lost
     */
    public boolean truncated() {
        return truncated;
    }

    /**
     * Returns the sender's address, the same as the handler's {@code clientAddress()}.
     *
     * @return an {@link java.net.InetSocketAddress}, a {@link java.net.UnixDomainSocketAddress}, an
     *     {@link AbstractUnixAddress}, or {@code null} for a Unix client whose socket is not bound
     *     (Python: {@code None})
     */
    public SocketAddress clientAddress() {
        return clientAddress;
    }

    /**
     * Python: {@code request[1].getsockname()}: the address of the server's socket that received the
     * datagram.
     *
     * @return the server's bound address, or {@code null} once the server is closed
     */
    public SocketAddress serverAddress() {
        return socket.localAddress();
    }

    /**
     * Python: {@code request[1].sendto(data, address)}: sends one datagram through the server's
     * socket, to any address.
     *
     * @param data the whole datagram; may be empty
     * @param address where to send it
     * @return the number of bytes sent, always {@code data.length}
     * @throws IOException if it cannot be sent (counted in {@link ServerStats#dropped()}); the
     *     engine never blocks for long: a datagram the kernel cannot take within a few milliseconds
     *     is dropped with an exception rather than stalling the handler
     */
    public int sendto(byte[] data, SocketAddress address) throws IOException {
        return sendto(ByteBuffer.wrap(data), address);
    }

    /**
     * Python: {@code request[1].sendto(data, address)} for the bytes between the buffer's position
     * and limit; on success the position moves to the limit.
     *
     * @param data the datagram
     * @param address where to send it
     * @return the number of bytes sent
     * @throws IOException if it cannot be sent (counted in {@link ServerStats#dropped()})
     */
    public int sendto(ByteBuffer data, SocketAddress address) throws IOException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(address, "address");
        int length = data.remaining();
        try {
            socket.send(data, address);
        } catch (ClosedChannelException e) {
            stats.requestDropped();
            throw new UndeliveredReply("cannot send to " + Addresses.format(address)
                    + ": the server's socket is closed", e);
        } catch (IOException e) {
            stats.requestDropped();
            throw e instanceof UndeliveredReply ? e : new UndeliveredReply(e.getMessage(), e);
        } catch (RuntimeException e) {
            stats.requestDropped();
            throw e;
        }
        stats.bytesSent(length);
        return length;
    }

    /**
     * Sends one datagram back to the client: what {@link DatagramRequestHandler#finish()} does with
     * {@code wfile}.
     *
     * @param data the whole reply; may be empty
     * @return the number of bytes sent
     * @throws IOException if it cannot be sent, including when the client has no address (an unbound
     *     Unix datagram socket); counted in {@link ServerStats#dropped()}
     */
    public int reply(byte[] data) throws IOException {
        return reply(ByteBuffer.wrap(data));
    }

    /** {@link #reply(byte[])} for a buffer, from position to limit; the handler's {@code finish()} sends its {@code wfile} so. */
    int reply(ByteBuffer data) throws IOException {
        if (clientAddress == null) {
            stats.requestDropped();
            throw new UndeliveredReply("cannot reply to " + this + ": the client's socket is not bound to a path, "
                    + "so there is no address to reply to (Python raises here too)", null);
        }
        return sendto(data, clientAddress);
    }

    /**
     * Returns e.g. {@code DatagramRequest[12 bytes from 127.0.0.1:40000 to 127.0.0.1:9999]}, with
     * {@code truncated} when the packet was cut, and {@code an unbound Unix client} as the sender
     * when there is no address.
     */
    @Override
    public String toString() {
        return "DatagramRequest[" + packet.length + (packet.length == 1 ? " byte" : " bytes")
                + (truncated ? " (truncated)" : "")
                + " from " + (clientAddress == null ? "an unbound Unix client" : Addresses.format(clientAddress))
                + " to " + Addresses.format(socket.localAddress()) + "]";
    }
}
