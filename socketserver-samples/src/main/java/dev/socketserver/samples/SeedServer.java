package dev.socketserver.samples;

import dev.socketserver.BaseRequestHandler;
import dev.socketserver.ThreadingTCPServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import dev.socketserver.Connection;
import java.nio.charset.StandardCharsets;

/**
 * The original example, ported line by line: a {@code ThreadingTCPServer} on 127.0.0.1:8888 whose
 * handler receives up to 1024 bytes, prints them, reads a reply typed at the server's console,
 * sends it back and closes the connection. In Python:
 *
 * <pre>
 * class MyServer(socketserver.BaseRequestHandler):
 *     def handle(self):
 *         conn = self.request
 *         data = conn.recv(1024)
 *         print(data)
 *         inp = input("reply&gt; ")
 *         conn.sendall(inp.encode())
 *         conn.close()
 *
 * server = socketserver.ThreadingTCPServer(("127.0.0.1", 8888), MyServer)
 * server.serve_forever()
 * </pre>
 *
 * <p>The console is a parameter, so a test can type the reply. Run it, then {@link SeedClient} in
 * another terminal (from the repository root, after {@code mvn -q -DskipTests package}):
 *
 * <pre>
 * java -p socketserver-api/target/socketserver-api-0.1.0-SNAPSHOT.jar:socketserver-impl/target/socketserver-impl-0.1.0-SNAPSHOT.jar:socketserver-samples/target/socketserver-samples-0.1.0-SNAPSHOT.jar \
 *      -m dev.socketserver.samples/dev.socketserver.samples.SeedServer [--bind 127.0.0.1:8888]
 * socketserver-samples/samples seed-server [--bind 127.0.0.1:8888]
 * </pre>
 */
public final class SeedServer {

    /** The address of the original example. */
    static final InetSocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 8888);

    private SeedServer() {
    }

    /**
     * Python: {@code ThreadingTCPServer(("127.0.0.1", 8888), MyServer)}: binds and activates the server.
     *
     * @param address where to listen, usually {@link #ADDRESS}
     * @param console where replies are typed; shared by all handler threads
     * @param out where received data and prompts are printed
     * @return the server, ready for {@code serveForever()}
     * @throws IOException if the address cannot be bound
     */
    static ThreadingTCPServer open(InetSocketAddress address, BufferedReader console, PrintStream out)
            throws IOException {
        return new ThreadingTCPServer(address, () -> new Handler(console, out));
    }

    /** Python: {@code class MyServer(socketserver.BaseRequestHandler)}, one instance per connection. */
    static final class Handler extends BaseRequestHandler<Connection> {

        private final BufferedReader console;
        private final PrintStream out;

        Handler(BufferedReader console, PrintStream out) {
            this.console = console;
            this.out = out;
        }

        @Override
        protected void handle() throws IOException {
            Connection conn = request();
            byte[] data = conn.recv(1024);                                    // data = conn.recv(1024)
            out.println(Serving.format(clientAddress()) + " sent: "
                    + new String(data, StandardCharsets.UTF_8));              // print(data)
            String inp;
            synchronized (console) { // one handler thread at a time owns the console, as with input()
                out.print("reply> ");
                out.flush();
                inp = console.readLine();                                     // inp = input("reply> ")
            }
            if (inp != null) {
                conn.sendall(inp.getBytes(StandardCharsets.UTF_8));           // conn.sendall(inp.encode())
            }
            conn.close();                                                     // conn.close()
        }
    }

    /**
     * Python: {@code server.serve_forever()}, after printing {@code listening tcp 127.0.0.1:8888 fileno=N}:
     * serves until Ctrl-C or SIGTERM. Shared by {@link #main} and {@code samples seed-server}.
     *
     * @param options {@code --bind HOST:PORT}, 127.0.0.1:8888 when absent
     * @param console where replies are typed
     * @param out where received data and prompts are printed
     * @throws IOException if the address cannot be bound or the loop fails
     * @throws UsageException for a malformed {@code --bind}
     * @throws InterruptedException if interrupted while serving
     */
    static void run(CommandLine options, BufferedReader console, PrintStream out)
            throws IOException, UsageException, InterruptedException {
        ThreadingTCPServer server = open(options.hostPortOption("bind", Serving.format(ADDRESS)), console, out);
        Serving.serve(server, out, "when a client has sent its message, type the reply here");
    }

    /**
     * Runs the seed server; replies are typed on standard input.
     *
     * @param args {@code [--bind HOST:PORT]}
     */
    public static void main(String[] args) {
        SampleMain.run(SeedServer.class, "[--bind HOST:PORT]  (127.0.0.1:8888)", args,
                options -> run(options, SampleMain.stdin(), System.out));
    }
}
