package dev.socketserver.samples;

import dev.socketserver.MixIn;
import dev.socketserver.UDPServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * Echo over UDP: each datagram goes back to its sender. Python: the {@code socketserver} docs'
 * {@code UDPServer} example, {@code socketserver.UDPServer((HOST, PORT), MyUDPHandler)}, with any mix-in:
 *
 * <pre>{@code
 * try (var server = new UDPServer(new InetSocketAddress("127.0.0.1", 0), DatagramEcho::new, new VirtualThreadingMixIn())) {
 *     server.serveForever();
 * }
 * }</pre>
 *
 * <p>Unlike TCP there is no connection: every datagram is a request of its own, so even a
 * synchronous server takes turns between clients datagram by datagram.
 */
final class UdpEcho implements EchoFamily {

    @Override
    public String label() {
        return "udp";
    }

    @Override
    public InetSocketAddress address(String option, String text, boolean forBind) throws UsageException {
        return CommandLine.hostPort(option, text);
    }

    @Override
    public InetSocketAddress demoAddress(Path dir) {
        return new InetSocketAddress("127.0.0.1", 0);
    }

    @Override
    public UDPServer openServer(SocketAddress address, MixIn mixIn) throws IOException {
        return new UDPServer((InetSocketAddress) address, DatagramEcho::new, mixIn);
    }

    @Override
    public void runClient(SocketAddress address, BufferedReader lines, PrintStream out) throws IOException {
        DatagramEcho.udpClient((InetSocketAddress) address, lines, out);
    }

    @Override
    public List<String> tryCommands(SocketAddress address) {
        InetSocketAddress inet = (InetSocketAddress) address;
        return List.of("socat - UDP:" + Serving.format(inet),
                "nc -u " + inet.getAddress().getHostAddress() + " " + inet.getPort());
    }
}
