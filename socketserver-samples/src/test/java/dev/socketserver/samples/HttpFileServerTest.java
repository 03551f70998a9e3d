package dev.socketserver.samples;

import dev.socketserver.TCPServer;
import dev.socketserver.VirtualThreadingMixIn;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP/1.0 file server, talked to by {@link HttpClient} and, for malformed requests, a raw socket. */
@Timeout(30)
class HttpFileServerTest {

    @TempDir
    Path tmp;
    private Path root;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private Served served;
    private InetSocketAddress address;
    private HttpClient http;

    @BeforeEach
    void start() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret\n");
        Files.writeString(root.resolve("hello.txt"), "hello, wörld\n");
        Files.createDirectories(root.resolve("site"));
        Files.writeString(root.resolve("site/index.html"), "<p>home</p>\n");
        Files.createDirectories(root.resolve("docs/more"));
        Files.writeString(root.resolve("docs/a b.txt"), "a\n");
        Files.createSymbolicLink(root.resolve("alias.txt"), root.resolve("hello.txt"));
        Files.createSymbolicLink(root.resolve("escape.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("escape-dir"), outside);
        TCPServer server = HttpFileServer.open(new InetSocketAddress("127.0.0.1", 0), root, new VirtualThreadingMixIn(),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        address = server.inetServerAddress();
        served = Served.start(server);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void stop() {
        http.close();
        served.close();
    }

    /**
     * Waits, with a deadline, for the access-log line: the handler writes it after the response, so
     * the client can have the response before the line exists (seen once in a full verify).
     */
    private boolean logged(String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!log.toString(StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(5); // polling a log with a deadline, not a synchronisation
        }
        return true;
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void getSendsTheFileWithItsLengthAndType() throws Exception {
        HttpResponse<String> response = send("GET", "/hello.txt");
        assertEquals(200, response.statusCode());
        assertEquals("hello, wörld\n", response.body());
        assertEquals("text/plain; charset=utf-8", response.headers().firstValue("content-type").orElseThrow());
        assertEquals(String.valueOf(Files.size(root.resolve("hello.txt"))),
                response.headers().firstValue("content-length").orElseThrow());
        assertTrue(logged("\"GET /hello.txt HTTP/1.1\" 200"), log::toString);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "index.html|text/html; charset=utf-8", "style.css|text/css; charset=utf-8",
            "app.js|text/javascript; charset=utf-8", "data.json|application/json", "logo.png|image/png",
            "photo.jpg|image/jpeg", "PHOTO.JPEG|image/jpeg", "icon.svg|image/svg+xml", "notes.txt|text/plain; charset=utf-8",
            "module.wasm|application/wasm", "archive.tar.gz|application/octet-stream", "Makefile|application/octet-stream",
            "noextension.|application/octet-stream"})
    void eachFileIsSentWithItsRealContentType(String name, String type) throws Exception {
        Files.write(root.resolve(name), new byte[] {0, 1, 2});
        for (String method : new String[] {"GET", "HEAD"}) {
            HttpResponse<String> response = send(method, "/" + name);
            assertEquals(200, response.statusCode());
            assertEquals(type, response.headers().firstValue("content-type").orElseThrow(), method + " /" + name);
        }
    }

    @Test
    void headSendsTheHeadersWithoutTheBody() throws Exception {
        HttpResponse<String> response = send("HEAD", "/hello.txt");
        assertEquals(200, response.statusCode());
        assertEquals("", response.body());
        assertEquals("14", response.headers().firstValue("content-length").orElseThrow());
        String raw = rawRequest("HEAD /hello.txt HTTP/1.0\r\n\r\n");
        assertTrue(raw.startsWith("HTTP/1.0 200 OK\r\n"), raw);
        assertTrue(raw.contains("\r\nContent-Length: 14\r\n"), raw);
        assertTrue(raw.endsWith("\r\n\r\n"), "nothing after the headers: " + raw);
    }

    @Test
    void aDirectoryServesItsIndexOrAListing() throws Exception {
        assertEquals("<p>home</p>\n", send("GET", "/site/").body());
        HttpResponse<String> listing = send("GET", "/docs");
        assertEquals(200, listing.statusCode());
        assertEquals("text/html; charset=utf-8", listing.headers().firstValue("content-type").orElseThrow());
        assertTrue(listing.body().contains("<a href=\"/docs/a%20b.txt\">a b.txt</a>"), listing.body());
        assertTrue(listing.body().contains("<a href=\"/docs/more/\">more/</a>"), listing.body());
        assertEquals("a\n", send("GET", "/docs/a%20b.txt").body());
    }

    @Test
    void aSymbolicLinkInsideTheRootIsFollowed() throws Exception {
        assertEquals("hello, wörld\n", send("GET", "/alias.txt").body());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/../outside/secret.txt", "/%2e%2e/outside/secret.txt", "/docs/..%2F..%2Foutside/secret.txt",
                "/escape.txt", "/escape-dir/secret.txt"})
    void pathsOutsideTheRootAreRefused(String path) throws Exception {
        HttpResponse<String> response = send("GET", path);
        assertEquals(403, response.statusCode());
        assertEquals("403 Forbidden\n", response.body());
    }

    @Test
    void aMissingFileIs404() throws Exception {
        HttpResponse<String> response = send("GET", "/no-such-file.txt");
        assertEquals(404, response.statusCode());
        assertEquals("404 Not Found\n", response.body());
        assertEquals("14", response.headers().firstValue("content-length").orElseThrow());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "POST /hello.txt HTTP/1.0| HTTP/1.0 405 Method Not Allowed",
            "BREW /hello.txt HTTP/1.0| HTTP/1.0 501 Not Implemented",
            "GET /hello.txt HTTP/2.0| HTTP/1.0 400 Bad Request",
            "GET hello.txt HTTP/1.0| HTTP/1.0 400 Bad Request",
            "GET /%zz HTTP/1.0| HTTP/1.0 400 Bad Request",
            "GET /hello.txt| HTTP/1.0 400 Bad Request",
            "nonsense| HTTP/1.0 400 Bad Request"})
    void badRequestsGetTheirStatus(String requestLine, String statusLine) throws Exception {
        String answer = rawRequest(requestLine + "\r\nHost: x\r\n\r\n");
        assertEquals(statusLine.strip(), answer.lines().findFirst().orElseThrow(), answer);
        if (requestLine.startsWith("POST")) {
            assertTrue(answer.contains("\r\nAllow: GET, HEAD\r\n"), answer);
        }
    }

    private String rawRequest(String request) throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
