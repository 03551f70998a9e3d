package dev.socketserver.samples;

import dev.socketserver.TCPServer;
import dev.socketserver.VirtualThreadingMixIn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's TLS and PROXY options: {@code samples http --tls-*} fetched by curl --cacert,
 * {@code samples whoami} with TLS and behind a PROXY header, and the options' bad-input rules.
 */
@Timeout(60)
class TlsSamplesTest {

    @TempDir
    Path dir;

    private static final List<String> WHOAMI = List.of("family", "bind", "mixin", "tls-cert", "tls-key", "tls-client-ca",
            "tls-client-auth", "proxy-protocol", "proxy-trusted", "idle-timeout");

    private static CommandLine options(String... args) throws UsageException {
        return CommandLine.parseOptions("whoami", WHOAMI, args);
    }

    @Test
    void curlFetchesAFileFromTheHttpsFileServer() throws Exception {
        SelfSigned.assumeInstalled("curl", "curl --cacert is the outside HTTPS client");
        SelfSigned tls = SelfSigned.create(dir);
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.writeString(root.resolve("hello.txt"), "hello over https\n");
        StreamLayers layers = StreamLayers.parse(options("--tls-cert", tls.cert().toString(), "--tls-key", tls.key().toString()));
        TCPServer server = HttpFileServer.open(new InetSocketAddress("127.0.0.1", 0), root, new VirtualThreadingMixIn(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), layers);
        try (Served _ = Served.start(server)) {
            int port = server.inetServerAddress().getPort();
            Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "20", "--cacert", tls.cert().toString(),
                    "--resolve", "localhost:" + port + ":127.0.0.1", "https://localhost:" + port + "/hello.txt")
                    .redirectErrorStream(true).start();
            String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, curl.exitValue(), output);
            assertEquals("hello over https\n", output);
        }
    }

    @Test
    void whoamiShowsTlsAndSni() throws Exception {
        SelfSigned tls = SelfSigned.create(dir);
        StreamLayers layers = StreamLayers.parse(options("--tls-cert", tls.cert().toString(), "--tls-key", tls.key().toString(),
                "--idle-timeout", "30s"));
        TCPServer server = WhoAmIServer.open(EchoFamily.TCP, new InetSocketAddress("127.0.0.1", 0), new VirtualThreadingMixIn(), layers);
        try (Served _ = Served.start(server)) {
            String line = TlsClient.line(server.inetServerAddress(), tls.cert(), null);
            assertTrue(line.matches("client=127\\.0\\.0\\.1:\\d+ proxy=- tls=TLSv1\\.3 sni=localhost"), line);
        }
    }

    @Test
    void whoamiBehindAProxyHeaderShowsTheOriginalClient() throws Exception {
        StreamLayers layers = StreamLayers.parse(options("--proxy-protocol", "required", "--proxy-trusted", "127.0.0.0/8,::1"));
        TCPServer server = WhoAmIServer.open(EchoFamily.TCP, new InetSocketAddress("127.0.0.1", 0), new VirtualThreadingMixIn(), layers);
        try (Served _ = Served.start(server);
             Socket socket = new Socket("127.0.0.1", server.inetServerAddress().getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write("PROXY TCP4 192.0.2.7 198.51.100.1 40000 443\r\n".getBytes(StandardCharsets.US_ASCII));
            String line = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("client=192.0.2.7:40000 proxy=127.0.0.1:" + socket.getLocalPort() + " tls=- sni=-\n", line);
        }
    }

    @Test
    void layerOptionsThatDoNotFitAreUsageErrors() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertUsage("--tls-cert and --tls-key go together", "--tls-cert", "cert.pem");
        assertUsage("cannot read " + missing, "--tls-cert", missing.toString(), "--tls-key", missing.toString());
        assertUsage("--tls-client-ca and --tls-client-auth need --tls-cert and --tls-key", "--tls-client-auth", "need");
        assertUsage("unknown --proxy-protocol 'always'", "--proxy-protocol", "always");
        assertUsage("--proxy-trusted needs --proxy-protocol", "--proxy-trusted", "10.0.0.0/8");
        assertUsage("--proxy-trusted: 'example.com' is not an address", "--proxy-protocol", "required", "--proxy-trusted", "example.com");
        assertUsage("--idle-timeout needs a positive duration", "--idle-timeout", "0s");
        assertUsage("--idle-timeout needs a positive duration", "--idle-timeout", "soon");
        StreamLayers idle = StreamLayers.parse(options("--idle-timeout", "30s"));
        UsageException udp = assertThrows(UsageException.class, () -> EchoFamily.UDP.openServer(
                new InetSocketAddress("127.0.0.1", 0), new VirtualThreadingMixIn(), ServerLimits.LIBRARY, idle));
        assertTrue(udp.getMessage().startsWith("TLS, the PROXY protocol and --idle-timeout are for stream families"), udp.getMessage());
    }

    private static void assertUsage(String start, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> StreamLayers.parse(options(args)));
        assertTrue(e.getMessage().startsWith(start), () -> "expected '" + start + "...', got: " + e.getMessage());
    }
}
