package dev.socketserver.impl;

import dev.socketserver.AbstractUnixAddress;
import dev.socketserver.DatagramRequestHandler;
import dev.socketserver.UDPServer;
import dev.socketserver.impl.DatagramFixtures.Failure;
import dev.socketserver.impl.DatagramFixtures.Family;
import dev.socketserver.impl.DatagramFixtures.Mode;
import dev.socketserver.impl.DatagramFixtures.Serving;
import dev.socketserver.impl.ExternalTools.Result;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real outside clients, not Java ones: CPython's {@code socket} module and socat talk to the
 * datagram servers. Skipped, with a message, only when the program is not installed ({@code .ci/run}
 * installs socat; python3 is part of the machine).
 */
class OutsideClientsTest {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

    /** Sends three lines from a socket bound to argv[2] ('' = unbound, '@x' = abstract), prints replies. */
    private static final String PY_UNIX = """
            import socket, sys
            def addr(a):
                return '\\0' + a[1:] if a.startswith('@') else a
            server, own = addr(sys.argv[1]), sys.argv[2]
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            if own:
                s.bind(addr(own))
            s.settimeout(20)
            for i in range(3):
                s.sendto(b'hello from python %d\\n' % i, server)
                if own:
                    data, frm = s.recvfrom(65536)
                    print(data.decode().strip(), repr(frm))
            print('done')
            """;

    private static final String PY_UDP = """
            import socket, sys
            host, port = sys.argv[1], int(sys.argv[2])
            s = socket.socket(socket.AF_INET6 if ':' in host else socket.AF_INET, socket.SOCK_DGRAM)
            s.settimeout(20)
            for i in range(3):
                s.sendto(b'hello from python %d\\n' % i, (host, port))
                data, frm = s.recvfrom(65536)
                print(data.decode().strip(), frm[1] == port)
            s.sendto(b'', (host, port))
            data, frm = s.recvfrom(65536)
            print('empty reply', len(data))
            """;

    @TempDir
    Path dir;

    final BlockingQueue<Failure> failures = new LinkedBlockingQueue<>();
    final BlockingQueue<SocketAddress> clients = new LinkedBlockingQueue<>();

    /** Echoes the line with a prefix and records who sent it. */
    class Recording extends DatagramRequestHandler {
        @Override
        protected void handle() throws IOException {
            SocketAddress client = clientAddress();
            clients.add(client == null ? UnixDomainSocketAddress.of("<unbound>") : client);
            wfile().write("ECHO:".getBytes(StandardCharsets.US_ASCII));
            wfile().write(rfile().readLine());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void socatUnixSendtoWithItsOwnBoundPath(Mode mode) throws Exception {
        ExternalTools.assumeInstalled("socat", "it is the outside Unix datagram client (apt-get install socat)");
        UDPServer server = DatagramFixtures.server(Family.UNIX, mode, dir, Recording::new, failures);
        Path own = dir.resolve("socat.sock");
        try (Serving serving = Serving.start(server)) {
            String target = ((UnixDomainSocketAddress) server.serverAddress()).getPath().toString();
            Result result = ExternalTools.run(TOOL_TIMEOUT, "hello from socat\n".getBytes(StandardCharsets.US_ASCII),
                    "socat", "-t", "1", "-", "UNIX-SENDTO:" + target + ",bind=" + own);
            assertEquals(0, result.exitCode(), result.stderr());
            assertEquals("ECHO:hello from socat\n", result.stdout());
            assertEquals(UnixDomainSocketAddress.of(own), clients.poll(10, TimeUnit.SECONDS), "the server saw socat's path");
            serving.stop();
        }
        assertTrue(failures.isEmpty(), failures::toString);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void pythonUnixDatagramClientBoundToAPath(Mode mode) throws Exception {
        ExternalTools.assumeInstalled("python3", "it is the outside Unix datagram client");
        UDPServer server = DatagramFixtures.server(Family.UNIX, mode, dir, Recording::new, failures);
        Path own = dir.resolve("py.sock");
        try (Serving serving = Serving.start(server)) {
            String target = ((UnixDomainSocketAddress) server.serverAddress()).getPath().toString();
            Result result = ExternalTools.run(TOOL_TIMEOUT, null, "python3", "-c", PY_UNIX, target, own.toString());
            assertEquals(0, result.exitCode(), result.stderr());
            assertEquals(List.of(
                    "ECHO:hello from python 0 '" + target + "'",
                    "ECHO:hello from python 1 '" + target + "'",
                    "ECHO:hello from python 2 '" + target + "'",
                    "done"), result.lines(), "python got each echo from the server's path");
            for (int i = 0; i < 3; i++) {
                assertEquals(UnixDomainSocketAddress.of(own), clients.poll(10, TimeUnit.SECONDS));
            }
            serving.stop();
        }
        assertTrue(failures.isEmpty(), failures::toString);
    }

    /** Linux abstract names on both sides: the server binds one, Python's client another. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void pythonClientWithAbstractNamesOnBothSides(Mode mode) throws Exception {
        ExternalTools.assumeInstalled("python3", "it is the outside Unix datagram client");
        String name = "socketserver-test-" + ProcessHandle.current().pid() + "-" + mode;
        AbstractUnixAddress address = AbstractUnixAddress.of(name);
        UDPServer server = new dev.socketserver.UnixDatagramServer(address, Recording::new, mixIn(mode));
        try (Serving serving = Serving.start(server)) {
            assertEquals(address, server.serverAddress());
            Result result = ExternalTools.run(TOOL_TIMEOUT, null, "python3", "-c", PY_UNIX, "@" + name, "@" + name + "-client");
            assertEquals(0, result.exitCode(), result.stderr());
            assertEquals("ECHO:hello from python 0 b'\\x00" + name + "'", result.lines().get(0));
            assertEquals(AbstractUnixAddress.of(name + "-client"), clients.poll(10, TimeUnit.SECONDS));
            serving.stop();
        }
        assertEquals(3, server.stats().received());
        assertEquals(0, server.stats().errors());
    }

    /** E20 with CPython as the client: an unbound sender has no address, and the reply fails into handleError. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void pythonUnboundUnixClient(Mode mode) throws Exception {
        ExternalTools.assumeInstalled("python3", "it is the outside Unix datagram client");
        UDPServer server = DatagramFixtures.server(Family.UNIX, mode, dir, Recording::new, failures);
        try (Serving serving = Serving.start(server)) {
            String target = ((UnixDomainSocketAddress) server.serverAddress()).getPath().toString();
            Result result = ExternalTools.run(TOOL_TIMEOUT, null, "python3", "-c", PY_UNIX, target, "");
            assertEquals(0, result.exitCode(), result.stderr());
            for (int i = 0; i < 3; i++) {
                Failure failure = failures.poll(10, TimeUnit.SECONDS);
                assertNotNull(failure);
                assertNull(failure.clientAddress());
                assertTrue(failure.error().getMessage().contains("not bound to a path"), failure.error().getMessage());
            }
            serving.stop();
        }
        assertEquals(3, server.stats().dropped());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Family.class, names = {"UDP4", "UDP6"})
    void pythonUdpClient(Family family) throws Exception {
        ExternalTools.assumeInstalled("python3", "it is the outside UDP client");
        for (Mode mode : Mode.values()) {
            UDPServer server = DatagramFixtures.server(family, mode, dir, Recording::new, failures);
            try (Serving serving = Serving.start(server)) {
                InetSocketAddress address = server.inetServerAddress();
                Result result = ExternalTools.run(TOOL_TIMEOUT, null, "python3", "-c", PY_UDP,
                        address.getAddress().getHostAddress(), Integer.toString(address.getPort()));
                assertEquals(0, result.exitCode(), result.stderr());
                assertEquals(List.of("ECHO:hello from python 0 True", "ECHO:hello from python 1 True",
                        "ECHO:hello from python 2 True", "empty reply 5"), result.lines(), mode.toString());
                SocketAddress client = clients.poll(10, TimeUnit.SECONDS);
                assertInstanceOf(InetSocketAddress.class, client);
                assertEquals(address.getAddress(), ((InetSocketAddress) client).getAddress());
                serving.stop();
            }
            clients.clear();
        }
        assertTrue(failures.isEmpty(), failures::toString);
    }

    private static dev.socketserver.MixIn mixIn(Mode mode) {
        return switch (mode) {
            case SYNC -> dev.socketserver.MixIn.synchronous();
            case THREADING -> new dev.socketserver.ThreadingMixIn();
            case VIRTUAL -> new dev.socketserver.VirtualThreadingMixIn();
        };
    }
}
