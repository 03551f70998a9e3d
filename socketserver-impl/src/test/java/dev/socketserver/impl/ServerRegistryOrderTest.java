package dev.socketserver.impl;

import dev.socketserver.BaseServer;
import dev.socketserver.DatagramRequestHandler;
import dev.socketserver.MixIn;
import dev.socketserver.ServerRegistry;
import dev.socketserver.TCPServer;
import dev.socketserver.UDPServer;
import dev.socketserver.UnixDatagramServer;
import dev.socketserver.UnixStreamServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link ServerRegistry#servers()} is "oldest first" across families, not grouped by family. */
class ServerRegistryOrderTest {

    @Test
    void serversOfDifferentFamiliesAreListedOldestFirst(@TempDir Path dir) throws IOException {
        ServerRegistry registry = new ServerRegistry();
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        List<BaseServer<?>> created = new ArrayList<>();
        try {
            // unix-stream before unix-datagram, and tcp both first and last: neither alphabetical nor by family
            created.add(new UnixStreamServer(UnixDomainSocketAddress.of(dir.resolve("s.sock")), Echo::new,
                    MixIn.synchronous(), false));
            created.add(new UnixDatagramServer(UnixDomainSocketAddress.of(dir.resolve("d.sock")), DatagramRequestHandler::new,
                    MixIn.synchronous(), false));
            created.add(new UDPServer(any, DatagramRequestHandler::new, false));
            created.add(new TCPServer(any, Echo::new, false));
            for (BaseServer<?> server : created) {
                server.setRegistry(registry);
                server.serverBind();
                server.serverActivate();
            }
            assertEquals(created.stream().map(BaseServer::id).toList(), registry.servers().stream().map(BaseServer::id).toList());
        } finally {
            created.forEach(BaseServer::serverClose);
        }
    }
}
