package dev.socketserver.spi;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/** A bound datagram socket (UDP or Unix datagram): Python's {@code UDPServer.socket}. */
public interface DatagramEndpoint extends Endpoint {

    /**
     * Receives one pending datagram without blocking (Python: {@code socket.recvfrom(max_packet_size)}).
     *
     * @param maxPacketSize bytes kept of the datagram; the rest is discarded and reported as truncated
     * @return the datagram, or {@code null} if none was pending
     * @throws IOException if receiving fails
     */
    ReceivedDatagram receive(int maxPacketSize) throws IOException;

    /**
     * Sends one datagram (Python: {@code socket.sendto(data, address)}). Safe to call from several
     * threads at once.
     *
     * @param data the bytes to send, from position to limit
     * @param target where to send them
     * @throws IOException if sending fails
     */
    void send(ByteBuffer data, SocketAddress target) throws IOException;
}
