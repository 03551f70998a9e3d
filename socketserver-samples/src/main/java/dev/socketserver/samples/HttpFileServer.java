package dev.socketserver.samples;

import dev.socketserver.MixIn;
import dev.socketserver.StreamRequestHandler;
import dev.socketserver.TCPServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;

/**
 * A tiny HTTP/1.0 file server on {@link StreamRequestHandler}, as Python's {@code http.server}
 * ({@code SimpleHTTPRequestHandler} on {@code HTTPServer}, a {@code TCPServer}) sits on
 * {@code socketserver}. One request per connection, as HTTP/1.0.
 *
 * <p>{@code GET} and {@code HEAD} of files under the root; a directory shows its {@code index.html}
 * or a plain listing. Paths that leave the root, by a {@code ..} segment or a symbolic link
 * leading out, are refused (403); missing files are 404; other standard methods 405, unknown
 * methods 501, malformed requests 400. The file side (paths, types, listings) is in {@link HttpFiles}.
 *
 * <p>Run it, then {@code curl -i http://127.0.0.1:8000/} (from the repository root, after
 * {@code mvn -q -DskipTests package}):
 *
 * <pre>
 * java -p socketserver-api/target/socketserver-api-0.1.0-SNAPSHOT.jar:socketserver-impl/target/socketserver-impl-0.1.0-SNAPSHOT.jar:socketserver-samples/target/socketserver-samples-0.1.0-SNAPSHOT.jar \
 *      -m dev.socketserver.samples/dev.socketserver.samples.HttpFileServer --root . [--bind 127.0.0.1:8000] [--mixin virtual]
 * socketserver-samples/samples http --root . [--bind 127.0.0.1:8000] [--mixin virtual]
 * </pre>
 */
public final class HttpFileServer extends StreamRequestHandler {

    private static final int MAX_LINE = 8192;
    private static final int MAX_HEADERS = 100;
    private static final Set<String> OTHER_METHODS = Set.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");
    private static final Map<Integer, String> REASONS = Map.of(200, "OK", 400, "Bad Request", 403, "Forbidden",
            404, "Not Found", 405, "Method Not Allowed", 501, "Not Implemented");

    private final Path root;
    private final PrintStream log;

    private HttpFileServer(Path root, PrintStream log) {
        this.root = root;
        this.log = log;
    }

    /**
     * Python: {@code HTTPServer(address, partial(SimpleHTTPRequestHandler, directory=root))}.
     *
     * @param address where to listen
     * @param root the folder to serve
     * @param mixIn the concurrency policy
     * @param log where one line per request goes
     * @return the server, bound and activated
     * @throws IOException if the root is not a readable folder or the address cannot be bound
     */
    static TCPServer open(InetSocketAddress address, Path root, MixIn mixIn, PrintStream log) throws IOException {
        return open(address, root, mixIn, log, StreamLayers.none());
    }

    /**
     * Like {@link #open(InetSocketAddress, Path, MixIn, PrintStream)}, with TLS (HTTPS), the PROXY
     * protocol or an idle timeout set before bind. Python: {@code HTTPServer(...)} whose socket is
     * wrapped with {@code SSLContext.wrap_socket(server_side=True)}.
     *
     * @param address where to listen
     * @param root the folder to serve
     * @param mixIn the concurrency policy
     * @param log where one line per request goes
     * @param layers the layer options
     * @return the server, bound and activated
     * @throws IOException if the root is not a readable folder or the address cannot be bound
     */
    static TCPServer open(InetSocketAddress address, Path root, MixIn mixIn, PrintStream log, StreamLayers layers)
            throws IOException {
        Path realRoot = root.toRealPath();
        return EchoFamily.bindWith(new TCPServer(address, () -> new HttpFileServer(realRoot, log), mixIn, false), layers);
    }

    /**
     * Serves {@code --root} until Ctrl-C or SIGTERM. Shared by {@link #main} and {@code samples http}.
     *
     * @param options {@code --root DIR}, {@code --bind HOST:PORT} (127.0.0.1:8000), {@code --mixin} (virtual),
     *     the layer and drain options
     * @param out where the {@code listening} line and one line per request go
     * @throws IOException if the address cannot be bound or the loop fails
     * @throws UsageException for a missing or unusable {@code --root}, or a malformed option
     * @throws InterruptedException if interrupted while serving
     */
    static void run(CommandLine options, PrintStream out) throws IOException, UsageException, InterruptedException {
        Path root = Path.of(options.required("root"));
        if (!Files.isDirectory(root)) {
            throw new UsageException("--root " + root + " is not a directory");
        }
        StreamLayers layers = StreamLayers.parse(options);
        DrainPolicy drain = DrainPolicy.of(options);
        TCPServer http = open(options.hostPortOption("bind", "127.0.0.1:8000"), root, options.mixIn("virtual").get(), out, layers);
        Serving.serve(http, out, drain, "serving " + root.toRealPath() + " at " + (layers.tls() ? "https" : "http") + "://"
                + Serving.format(http.serverAddress()) + "/");
    }

    /**
     * Runs the file server.
     *
     * @param args {@code --root DIR [--bind HOST:PORT] [--mixin sync|threading|virtual]}
     */
    public static void main(String[] args) {
        SampleMain.run(HttpFileServer.class, "--root DIR [--bind HOST:PORT] [--mixin sync|threading|virtual] "
                + StreamLayers.SYNOPSIS + " " + DrainPolicy.SYNOPSIS + "  (127.0.0.1:8000, virtual)",
                args, options -> run(options, System.out));
    }

    /** A silent client does not hold its thread for ever. */
    @Override
    protected Duration timeout() {
        return Duration.ofSeconds(30);
    }

    @Override
    protected void handle() throws IOException {
        try {
            byte[] first = rfile().readLine(MAX_LINE);
            if (first.length == 0) {
                return; // closed without a request
            }
            String requestLine = new String(first, StandardCharsets.ISO_8859_1).strip();
            String[] words = requestLine.split(" ");
            boolean head = words[0].equals("HEAD");
            int status;
            try {
                if (!complete(first) || !headersRead() || words.length != 3 || !words[2].matches("HTTP/1\\.[01]")) {
                    throw new HttpFiles.Refused(400);
                }
                status = respond(words[0], words[1], head);
            } catch (HttpFiles.Refused refused) {
                status = refused.status();
                byte[] body = (status + " " + REASONS.get(status) + "\n").getBytes(StandardCharsets.UTF_8);
                send(status, HttpFiles.TYPES.get("txt"), body.length, new ByteArrayInputStream(body), head);
            }
            log.println(Serving.format(clientAddress()) + " \"" + requestLine + "\" " + status);
        } catch (SocketTimeoutException e) {
            log.println(Serving.format(clientAddress()) + " sent no complete request in " + timeout().toSeconds() + " s");
        }
    }

    private int respond(String method, String target, boolean head) throws IOException, HttpFiles.Refused {
        if (!method.equals("GET") && !head) {
            throw new HttpFiles.Refused(OTHER_METHODS.contains(method) ? 405 : method.matches("[A-Za-z]+") ? 501 : 400);
        }
        Path file = HttpFiles.resolve(root, target);
        if (Files.isDirectory(file)) {
            Path index = file.resolve("index.html");
            if (!Files.exists(index)) {
                String dir = target.split("[?#]", 2)[0];
                dir = dir.endsWith("/") ? dir : dir + "/";
                byte[] page = HttpFiles.listing(dir, file);
                send(200, HttpFiles.TYPES.get("html"), page.length, new ByteArrayInputStream(page), head);
                return 200;
            }
            file = HttpFiles.inRoot(root, index);
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new HttpFiles.Refused(403);
        }
        try (InputStream body = Files.newInputStream(file)) {
            send(200, HttpFiles.type(file), Files.size(file), body, head);
        }
        return 200;
    }

    private void send(int status, String type, long length, InputStream body, boolean head) throws IOException {
        String headers = "HTTP/1.0 " + status + " " + REASONS.get(status) + "\r\n"
                + "Server: socketserver-samples\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)) + "\r\n"
                + (status == 405 ? "Allow: GET, HEAD\r\n" : "")
                + "Content-Type: " + type + "\r\n"
                + "Content-Length: " + length + "\r\n"
                + "Connection: close\r\n\r\n";
        wfile().write(headers.getBytes(StandardCharsets.ISO_8859_1));
        if (!head) {
            body.transferTo(wfile());
        }
    }

    /** Reads and drops the request headers; {@code false} if they are malformed or too many. */
    private boolean headersRead() throws IOException {
        for (int i = 0; i <= MAX_HEADERS; i++) {
            byte[] line = rfile().readLine(MAX_LINE);
            if (!complete(line)) {
                return false;
            }
            if (line[0] == '\n' || (line[0] == '\r' && line.length == 2)) {
                return true;
            }
        }
        return false;
    }

    private static boolean complete(byte[] line) {
        return line.length > 0 && line[line.length - 1] == '\n';
    }


}
