package dev.socketserver.samples;

import dev.socketserver.BaseServer;
import dev.socketserver.MixIn;

import java.io.BufferedReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * A family whose server is not in this build yet (the datagram families, until they land): its
 * addresses are parsed and checked like the real thing, and starting it says it is not available.
 *
 * @param label the family's label
 * @param unix whether its addresses are socket paths rather than {@code HOST:PORT}
 */
record NotYetAvailable(String label, boolean unix) implements EchoFamily {

    @Override
    public boolean available() {
        return false;
    }

    @Override
    public SocketAddress address(String option, String text, boolean forBind) throws UsageException {
        return unix ? CommandLine.socketPath(option, text, forBind) : CommandLine.hostPort(option, text);
    }

    @Override
    public SocketAddress demoAddress(Path dir) {
        return unix ? UnixDomainSocketAddress.of(dir.resolve(label + ".sock")) : new InetSocketAddress("127.0.0.1", 0);
    }

    @Override
    public BaseServer<?> openServer(SocketAddress address, MixIn mixIn) throws UsageException {
        throw UsageException.notInThisBuild("the " + label + " family");
    }

    @Override
    public void runClient(SocketAddress address, BufferedReader lines, PrintStream out) throws UsageException {
        throw UsageException.notInThisBuild("the " + label + " family");
    }

    @Override
    public List<String> tryCommands(SocketAddress address) {
        return List.of();
    }
}
