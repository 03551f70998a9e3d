package dev.socketserver.impl;

import dev.socketserver.StreamRequestHandler;
import dev.socketserver.TCPServer;
import dev.socketserver.VirtualThreadingMixIn;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The server side of {@link DescriptorLimitTest}, run in a child JVM under {@code prlimit --nofile}: a
 * TCP line echo with {@code VirtualThreadingMixIn} and a backlog of 1024 that prints
 * {@code listening PORT}, serves until its standard input closes, then prints {@code stopped}.
 */
public final class DescriptorLimitProbe {

    private DescriptorLimitProbe() {
    }

    /** Every line back until the client closes: each client holds one descriptor while connected. */
    static final class LineEcho extends StreamRequestHandler {
        @Override
        protected void handle() throws IOException {
            for (byte[] line; (line = rfile().readLine()).length > 0; ) {
                wfile().write(line);
            }
        }
    }

    /**
     * Runs the server.
     *
     * @param args none
     * @throws IOException if it cannot start
     */
    public static void main(String[] args) throws IOException {
        TCPServer server = new TCPServer(new InetSocketAddress("127.0.0.1", 0), LineEcho::new, new VirtualThreadingMixIn(), false);
        server.setRequestQueueSize(1024);
        server.serverBind();
        server.serverActivate();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent closes standard input to stop this server
                }
            } catch (IOException e) {
                // the same: stop
            }
            server.shutdown();
        });
        // a server that has logged before it reaches the limit: the first line of java.util.logging
        // opens tzdb.dat, which at the limit fails (AcceptBackoff then drops the line, not the loop)
        System.getLogger("dev.socketserver").log(System.Logger.Level.INFO, "probe started under a descriptor limit");
        System.out.println("listening " + server.inetServerAddress().getPort());
        System.out.flush();
        server.serveForever();
        server.serverClose();
        System.out.println("stopped");
    }
}
