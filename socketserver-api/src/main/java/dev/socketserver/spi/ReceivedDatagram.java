package dev.socketserver.spi;

import java.net.SocketAddress;

/**
 * One datagram as received by a {@link DatagramEndpoint}.
 *
 * @param data the bytes kept, at most {@code maxPacketSize}
 * @param sender the sender's address, or {@code null} for an unbound Unix datagram client
 * @param truncated {@code true} if the datagram was longer than {@code maxPacketSize} and was cut
 */
public record ReceivedDatagram(byte[] data, SocketAddress sender, boolean truncated) {
}
