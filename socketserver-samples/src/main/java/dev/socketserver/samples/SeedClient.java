package dev.socketserver.samples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
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
 *
 * <pre>
 * java -p socketserver-api/target/socketserver-api-0.1.0-SNAPSHOT.jar:socketserver-impl/target/socketserver-impl-0.1.0-SNAPSHOT.jar:socketserver-samples/target/socketserver-samples-0.1.0-SNAPSHOT.jar \
 *      -m dev.socketserver.samples/dev.socketserver.samples.SeedClient [--connect 127.0.0.1:8888] [--message TEXT]
 * socketserver-samples/samples seed-client [--connect 127.0.0.1:8888] [--message TEXT]
 * </pre>
 */
public final class SeedClient {

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

    /**
     * Sends {@code --message}, or a line typed at the console ({@code input("message> ")}), and prints
     * the answer. Shared by {@link #main} and {@code samples seed-client}.
     *
     * @param options {@code --connect HOST:PORT} (127.0.0.1:8888 when absent), {@code --message TEXT}
     * @param console where the message is typed when {@code --message} is absent
     * @param out where the prompt and the answer go
     * @throws IOException if the connection fails
     * @throws UsageException for a malformed {@code --connect}
     */
    static void run(CommandLine options, BufferedReader console, PrintStream out) throws IOException, UsageException {
        InetSocketAddress server = options.hostPortOption("connect", Serving.format(SeedServer.ADDRESS));
        String message = options.get("message");
        if (message == null) {
            out.print("message> ");
            out.flush();
            message = console.readLine();
        }
        out.println(talk(server, message == null ? "" : message));
    }

    /**
     * Sends one message to the seed server and prints its answer.
     *
     * @param args {@code [--connect HOST:PORT] [--message TEXT]}
     */
    public static void main(String[] args) {
        SampleMain.run(SeedClient.class, "[--connect HOST:PORT] [--message TEXT]  (127.0.0.1:8888)", args,
                options -> run(options, SampleMain.stdin(), System.out));
    }
}
