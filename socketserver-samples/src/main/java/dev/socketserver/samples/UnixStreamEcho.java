package dev.socketserver.samples;

import dev.socketserver.MixIn;
import dev.socketserver.UnixStreamServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * Echo over a Unix stream socket: the TCP sample with another server class and a path for an
 * address. Python: {@code socketserver.UnixStreamServer(path, MyStreamRequestHandler)}. Unlike
 * CPython, closing the server removes the socket file it created.
 */
final class UnixStreamEcho implements EchoFamily {

    @Override
    public String label() {
        return "unix-stream";
    }

    @Override
    public UnixDomainSocketAddress address(String option, String text, boolean forBind) throws UsageException {
        return CommandLine.socketPath(option, text, forBind);
    }

    @Override
    public UnixDomainSocketAddress demoAddress(Path dir) {
        return UnixDomainSocketAddress.of(dir.resolve(label() + ".sock"));
    }

    @Override
    public UnixStreamServer openServer(SocketAddress address, MixIn mixIn) throws IOException {
        return new UnixStreamServer((UnixDomainSocketAddress) address, LineEcho::new, mixIn);
    }

    @Override
    public void runClient(SocketAddress address, BufferedReader lines, PrintStream out) throws IOException {
        LineEcho.client(address, lines, out);
    }

    @Override
    public List<String> tryCommands(SocketAddress address) {
        Path path = ((UnixDomainSocketAddress) address).getPath();
        return List.of("socat - UNIX-CONNECT:" + path, "nc -U " + path);
    }
}
