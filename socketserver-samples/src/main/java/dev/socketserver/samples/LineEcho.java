package dev.socketserver.samples;

import dev.socketserver.StreamRequestHandler;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.SocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The echo handler of the stream families: sends every line back until the client closes.
 * Python: the {@code socketserver} docs' {@code MyStreamRequestHandler}, with
 * {@code self.rfile.readline()} and {@code self.wfile.write()}. Also holds their client.
 */
final class LineEcho extends StreamRequestHandler {

    /** The longest line read at once; a longer one comes back in pieces. */
    static final int MAX_LINE = 64 * 1024;

    @Override
    protected void handle() throws IOException {
        for (byte[] line; (line = rfile().readLine(MAX_LINE)).length > 0; ) {
            wfile().write(line);
        }
    }

    /**
     * The stream echo client: for each input line, sends it and prints the line that comes back.
     * Works for TCP and Unix stream servers alike: {@link SocketChannel#open(SocketAddress)} takes both.
     *
     * @param server the server's address
     * @param lines what to send
     * @param out where the answers go
     * @throws IOException if connecting fails or the server closes early
     */
    static void client(SocketAddress server, BufferedReader lines, PrintStream out) throws IOException {
        try (SocketChannel channel = SocketChannel.open(server);
             BufferedReader answers = new BufferedReader(
                     new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
            OutputStream requests = Channels.newOutputStream(channel);
            for (String line; (line = lines.readLine()) != null; ) {
                requests.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                String answer = answers.readLine();
                if (answer == null) {
                    throw new EOFException("the server closed the connection");
                }
                out.println(answer);
            }
        }
    }
}
