package dev.socketserver.admin;

import dev.socketserver.BaseServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Plain socket clients for the echo servers, with bounded timeouts. */
final class Clients {

    static final int TIMEOUT_MS = 10_000;

    private Clients() {
    }

    /** Connects to a server (the connection waits in the backlog until the server takes it). */
    static Socket connect(BaseServer<?> server) {
        try {
            Socket s = new Socket();
            s.connect(server.serverAddress(), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one line on a connected socket and returns the line that comes back. */
    static String exchange(Socket socket, String line) {
        try {
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return readLine(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one line (without its newline) from a socket. */
    static String readLine(Socket socket) {
        try {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = socket.getInputStream().read()) != -1 && c != '\n') {
                b.append((char) c);
            }
            return b.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects, sends a line, and asserts the echo. */
    static void assertEcho(BaseServer<?> server, String line) {
        try (Socket s = connect(server)) {
            assertEquals(line, exchange(s, line), "echo from " + server.id());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InetSocketAddress inet(BaseServer<?> server) {
        return (InetSocketAddress) server.serverAddress();
    }
}
