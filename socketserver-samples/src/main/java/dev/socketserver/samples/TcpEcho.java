package dev.socketserver.samples;

import dev.socketserver.MixIn;
import dev.socketserver.TCPServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * Echo over TCP. Python: the {@code socketserver} docs' {@code TCPServer} example,
 * {@code socketserver.TCPServer((HOST, PORT), MyTCPHandler)}, with any mix-in:
 *
 * <pre>{@code
 * try (var server = new TCPServer(new InetSocketAddress("127.0.0.1", 0), LineEcho::new, new VirtualThreadingMixIn())) {
 *     server.serveForever();
 * }
 * }</pre>
 */
final class TcpEcho implements EchoFamily {

    @Override
    public String label() {
        return "tcp";
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
    public TCPServer openServer(SocketAddress address, MixIn mixIn) throws IOException {
        return new TCPServer((InetSocketAddress) address, LineEcho::new, mixIn);
    }

    @Override
    public void runClient(SocketAddress address, BufferedReader lines, PrintStream out) throws IOException {
        LineEcho.client(address, lines, out);
    }

    @Override
    public List<String> tryCommands(SocketAddress address) {
        InetSocketAddress inet = (InetSocketAddress) address;
        return List.of("socat - TCP:" + Serving.format(inet), "nc " + inet.getAddress().getHostAddress() + " " + inet.getPort());
    }
}
