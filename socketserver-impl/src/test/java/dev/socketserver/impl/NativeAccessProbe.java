package dev.socketserver.impl;

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
 * opens a TCP server; {@code unix} opens a Unix datagram server. Prints {@code OK}.
 */
public final class NativeAccessProbe {

    private NativeAccessProbe() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "tcp-udp" -> {
                System.out.print("polled=" + virtualThreadConnectionUsesThePoller() + " ");
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
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.println("OK " + args[0]);
    }

    /** Serves one echo with VirtualThreadingMixIn; tells whether the connection went through the engine's poller. */
    private static boolean virtualThreadConnectionUsesThePoller() throws Exception {
        CompletableFuture<Boolean> polled = new CompletableFuture<>();
        class Probe extends StreamRequestHandler {
            @Override
            protected void handle() throws java.io.IOException {
                wfile().write(rfile().readLine());
                polled.complete(request() instanceof PolledSocketChannel channel && channel.attached());
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
            }
            serving.join(Duration.ofSeconds(10));
            return polled.get(10, TimeUnit.SECONDS);
        }
    }
}
