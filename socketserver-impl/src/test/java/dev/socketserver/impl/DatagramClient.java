package dev.socketserver.impl;

import dev.socketserver.impl.unix.UnixDatagramEndpoint;
import dev.socketserver.spi.BindOptions;
import dev.socketserver.spi.ReceivedDatagram;
import dev.socketserver.spi.Waiter;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/** A test client for one datagram server: Java's own, over UDP or (through the engine's FFM socket) Unix. */
interface DatagramClient extends AutoCloseable {

    Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    void send(byte[] data) throws IOException;

    /** Waits for one datagram, up to the timeout; throws {@link SocketTimeoutException} if none came. */
    byte[] receive(Duration timeout) throws IOException;

    default byte[] receive() throws IOException {
        return receive(REPLY_TIMEOUT);
    }

    /** Receives a datagram if one is queued now, else {@code null}. */
    byte[] poll() throws IOException;

    SocketAddress localAddress();

    @Override
    void close() throws IOException;

    static DatagramClient udp(InetSocketAddress server) throws IOException {
        return new Udp(server);
    }

    static DatagramClient unix(SocketAddress server, Path ownPath) throws IOException {
        return new Unix(server, ownPath == null ? null : UnixDomainSocketAddress.of(ownPath));
    }

    /** A blocking {@link DatagramSocket} with a receive timeout. */
    final class Udp implements DatagramClient {
        private final DatagramSocket socket;
        private final InetSocketAddress server;

        Udp(InetSocketAddress server) throws IOException {
            this.server = server;
            InetAddress loopback = server.getAddress();
            this.socket = new DatagramSocket(new InetSocketAddress(loopback, 0));
            socket.setReceiveBufferSize(1 << 20);
        }

        @Override
        public void send(byte[] data) throws IOException {
            socket.send(new DatagramPacket(data, data.length, server));
        }

        @Override
        public byte[] receive(Duration timeout) throws IOException {
            byte[] buf = new byte[65536];
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            socket.receive(packet);
            return Arrays.copyOf(buf, packet.getLength());
        }

        @Override
        public byte[] poll() throws IOException {
            try {
                return receive(Duration.ofMillis(1));
            } catch (SocketTimeoutException e) {
                return null;
            }
        }

        @Override
        public SocketAddress localAddress() {
            return socket.getLocalSocketAddress();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** The engine's own FFM socket, used as a client: bound to its own path unless {@code own} is null. */
    final class Unix implements DatagramClient {
        private final UnixDatagramEndpoint socket;
        private final SocketAddress server;

        Unix(SocketAddress server, SocketAddress own) throws IOException {
            this.server = server;
            this.socket = UnixDatagramEndpoint.open();
            if (own != null) {
                try {
                    socket.bind(own, new BindOptions(false, false, 0));
                } catch (IOException e) {
                    socket.close();
                    throw e;
                }
            }
        }

        @Override
        public void send(byte[] data) throws IOException {
            socket.send(ByteBuffer.wrap(data), server);
        }

        @Override
        public byte[] receive(Duration timeout) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            try (Waiter waiter = socket.newWaiter()) {
                while (true) {
                    byte[] data = poll();
                    if (data != null) {
                        return data;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new SocketTimeoutException("no datagram within " + timeout);
                    }
                    waiter.await(left, true);
                }
            }
        }

        @Override
        public byte[] poll() throws IOException {
            ReceivedDatagram d = socket.receive(1 << 20);
            return d == null ? null : d.data();
        }

        @Override
        public SocketAddress localAddress() {
            return socket.localAddress();
        }

        int fileno() {
            return socket.fileno();
        }

        Waiter waiter() throws IOException {
            return socket.newWaiter();
        }

        /** Receives a queued datagram and returns its sender ({@code null} stays null), or null if none is queued. */
        SocketAddress receiveFrom() throws IOException {
            ReceivedDatagram d = socket.receive(1 << 20);
            return d == null ? null : d.sender();
        }

        @Override
        public void close() throws IOException {
            Path path = socket.localAddress() instanceof UnixDomainSocketAddress u ? u.getPath() : null;
            socket.close();
            if (path != null) {
                java.nio.file.Files.deleteIfExists(path);
            }
        }
    }
}
