package dev.socketserver.samples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The original example's client, ported line by line: connects, sends one message, prints the
 * answer (up to 1024 bytes) and closes.
 *
 * <pre>
 * client = socket.socket()
 * client.connect(("127.0.0.1", 8888))
 * client.sendall(input("message&gt; ").encode())
 * data = client.recv(1024)
 * print(data)
 * client.close()
 * </pre>
 */
final class SeedClient {

    private SeedClient() {
    }

    /**
     * Sends {@code message} and returns the answer, read until the server closes or 1024 bytes came.
     *
     * @param server the seed server's address
     * @param message what to send
     * @return the answer
     * @throws IOException if the connection fails
     */
    static String talk(InetSocketAddress server, String message) throws IOException {
        try (SocketChannel client = SocketChannel.open(server)) {                 // client.connect(...)
            ByteBuffer request = ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8));
            while (request.hasRemaining()) {
                client.write(request);                                            // client.sendall(...)
            }
            ByteBuffer data = ByteBuffer.allocate(1024);
            while (data.hasRemaining() && client.read(data) >= 0) {              // data = client.recv(1024)
                // the server closes after its one answer; a recv may return part of it
            }
            return new String(data.array(), 0, data.position(), StandardCharsets.UTF_8);
        }                                                                         // client.close()
    }
}
