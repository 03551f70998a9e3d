package dev.socketserver.impl;

import dev.socketserver.Connection;
import dev.socketserver.impl.poller.EdgePoller;
import dev.socketserver.DatagramRequestHandler;
import dev.socketserver.StreamRequestHandler;
import dev.socketserver.TCPServer;
import dev.socketserver.UDPServer;
import dev.socketserver.UnixDatagramServer;
import dev.socketserver.VirtualThreadingMixIn;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A tiny program that {@link NativeAccessTest} starts in a fresh JVM: {@code tcp-udp} serves one TCP
 * echo on a virtual thread (printing whether it went through the engine's poller), one UDP echo, and
 * opens a TCP server; {@code unix} opens a Unix datagram server; {@code unix-denied} prints the message of
 * two attempts to open one where native access is denied. Prints {@code OK}.
 */
public final class NativeAccessProbe {

    private NativeAccessProbe() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "tcp-udp" -> {
                System.out.print(virtualThreadConnection() + " ");
                try (TCPServer tcp = new TCPServer(new InetSocketAddress("127.0.0.1", 0), StreamRequestHandler::new);
                     UDPServer udp = new UDPServer(new InetSocketAddress("127.0.0.1", 0), DatagramRequestHandler::new);
                     DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                    client.send(new DatagramPacket(new byte[] {1}, 1, udp.serverAddress()));
                    if (!udp.handleRequest(Duration.ofSeconds(10)) || tcp.fileno() < 0 || udp.fileno() < 0) {
                        throw new AssertionError("no request or no fileno");
                    }
                }
            }
            case "unix" -> {
                Path dir = Files.createTempDirectory("probe");
                try (UnixDatagramServer unix = new UnixDatagramServer(UnixDomainSocketAddress.of(dir.resolve("s.sock")),
                        DatagramRequestHandler::new)) {
                    if (unix.fileno() < 0) {
                        throw new AssertionError("no fileno");
                    }
                } finally {
                    Files.deleteIfExists(dir);
                }
            }
            case "unix-denied" -> { // twice: the first failure and every later one say the same
                for (int i = 0; i < 2; i++) {
                    try (UnixDatagramServer _ = new UnixDatagramServer(UnixDomainSocketAddress.of("/nonexistent/s.sock"),
                            DatagramRequestHandler::new)) {
                        throw new AssertionError("native access was not denied");
                    } catch (UnsupportedOperationException e) {
                        System.out.println(e.getMessage());
                    }
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.println("OK " + args[0]);
    }

    /**
     * Serves one echo with VirtualThreadingMixIn and a 200 ms handler timeout, then reads again with
     * nothing sent. Tells the request's type, what the timed-out read threw, whether a timer thread
     * exists, and whether the connection went through the engine's poller:
     * {@code request=Connection timeout=SocketTimeoutException timerThreads=0 polled=true}.
     */
    private static String virtualThreadConnection() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        class Probe extends StreamRequestHandler {
            @Override
            protected Duration timeout() {
                return Duration.ofMillis(200);
            }

            @Override
            protected void handle() throws java.io.IOException {
                wfile().write(rfile().readLine());
                String timeout;
                try {
                    timeout = "read " + rfile().read();
                } catch (java.io.IOException e) {
                    timeout = e.getClass().getSimpleName();
                }
                long timers = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().contains("timeout")).count();
                EdgePoller poller = EdgePoller.get();
                seen.complete("request=" + request().getClass().getSimpleName() + " timeout=" + timeout
                        + " timerThreads=" + timers + " polled=" + (poller != null && poller.registered() > 0));
            }
        }
        try (TCPServer tcp = new TCPServer(new InetSocketAddress("127.0.0.1", 0), Probe::new, new VirtualThreadingMixIn())) {
            Thread serving = Thread.ofPlatform().start(() -> {
                try {
                    tcp.handleRequest(Duration.ofSeconds(10));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (Socket client = new Socket()) {
                client.connect(tcp.serverAddress());
                client.getOutputStream().write("x\n".getBytes(StandardCharsets.US_ASCII));
                if (client.getInputStream().read() != 'x') {
                    throw new AssertionError("no echo");
                }
                String result = seen.get(10, TimeUnit.SECONDS); // while the client is still connected
                serving.join(Duration.ofSeconds(10));
                return result;
            }
        }
    }
}
