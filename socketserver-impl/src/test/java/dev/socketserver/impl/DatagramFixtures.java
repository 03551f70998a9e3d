package dev.socketserver.impl;

import dev.socketserver.BaseRequestHandler;
import dev.socketserver.BaseServer;
import dev.socketserver.DatagramRequest;
import dev.socketserver.MixIn;
import dev.socketserver.ServerRegistry;
import dev.socketserver.ServerState;
import dev.socketserver.ThreadingMixIn;
import dev.socketserver.ThreadingUDPServer;
import dev.socketserver.ThreadingUnixDatagramServer;
import dev.socketserver.UDPServer;
import dev.socketserver.UnixDatagramServer;
import dev.socketserver.VirtualThreadingMixIn;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Builds datagram servers of each family and concurrency mode, and runs them in a bounded way. */
final class DatagramFixtures {

    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger PATHS = new AtomicInteger();

    private DatagramFixtures() {
    }

    /** The address families of the datagram servers. */
    enum Family {
        UDP4, UDP6, UNIX;

        SocketAddress address(Path dir) throws IOException {
            return switch (this) {
                case UDP4 -> new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
                case UDP6 -> new InetSocketAddress(InetAddress.getByName("::1"), 0);
                case UNIX -> UnixDomainSocketAddress.of(dir.resolve("srv-" + PATHS.incrementAndGet() + ".sock"));
            };
        }

        DatagramClient client(UDPServer server, Path dir) throws IOException {
            return this == UNIX
                    ? DatagramClient.unix(server.serverAddress(), dir.resolve("cli-" + PATHS.incrementAndGet() + ".sock"))
                    : DatagramClient.udp(server.inetServerAddress());
        }
    }

    /** Python's server classes: no mix-in, ThreadingMixIn (the Threading* classes), and virtual threads. */
    enum Mode { SYNC, THREADING, VIRTUAL }

    /** One call of {@code handleError}. */
    record Failure(DatagramRequest request, SocketAddress clientAddress, Throwable error) {
    }

    /**
     * Creates a bound, activated server of the family and mode, with options set before bind. Like
     * CPython's test {@code MyServer}, its {@code handleError} does not log: it hands each failure to
     * {@code failures}, so a test can expect one or fail on any.
     */
    static UDPServer server(Family family, Mode mode, Path dir,
                            Supplier<? extends BaseRequestHandler<DatagramRequest>> handler,
                            BlockingQueue<Failure> failures, Consumer<UDPServer> options) throws IOException {
        SocketAddress address = family.address(dir);
        UDPServer server;
        if (family == Family.UNIX) {
            server = switch (mode) {
                case SYNC -> new UnixDatagramServer(address, handler, MixIn.synchronous(), false) {
                    @Override
                    protected void handleError(DatagramRequest r, SocketAddress a, Throwable e) {
                        failures.add(new Failure(r, a, e));
                    }
                };
                case THREADING -> new ThreadingUnixDatagramServer(address, handler, new ThreadingMixIn(), false) {
                    @Override
                    protected void handleError(DatagramRequest r, SocketAddress a, Throwable e) {
                        failures.add(new Failure(r, a, e));
                    }
                };
                case VIRTUAL -> new UnixDatagramServer(address, handler, new VirtualThreadingMixIn(), false) {
                    @Override
                    protected void handleError(DatagramRequest r, SocketAddress a, Throwable e) {
                        failures.add(new Failure(r, a, e));
                    }
                };
            };
        } else {
            InetSocketAddress inet = (InetSocketAddress) address;
            server = switch (mode) {
                case SYNC -> new UDPServer(inet, handler, false) {
                    @Override
                    protected void handleError(DatagramRequest r, SocketAddress a, Throwable e) {
                        failures.add(new Failure(r, a, e));
                    }
                };
                case THREADING -> new ThreadingUDPServer(inet, handler, false) {
                    @Override
                    protected void handleError(DatagramRequest r, SocketAddress a, Throwable e) {
                        failures.add(new Failure(r, a, e));
                    }
                };
                case VIRTUAL -> new UDPServer(inet, handler, new VirtualThreadingMixIn(), false) {
                    @Override
                    protected void handleError(DatagramRequest r, SocketAddress a, Throwable e) {
                        failures.add(new Failure(r, a, e));
                    }
                };
            };
        }
        try {
            server.setRegistry(new ServerRegistry());
            options.accept(server);
            server.serverBind();
            server.serverActivate();
        } catch (IOException | RuntimeException | Error e) {
            server.serverClose();
            throw e;
        }
        return server;
    }

    static UDPServer server(Family family, Mode mode, Path dir,
                            Supplier<? extends BaseRequestHandler<DatagramRequest>> handler,
                            BlockingQueue<Failure> failures) throws IOException {
        return server(family, mode, dir, handler, failures, s -> { });
    }

    /**
     * {@code serveForever} on a platform thread; {@link #close()} shuts down, joins (bounded) and closes
     * the server, and fails if the loop threw.
     */
    static final class Serving implements AutoCloseable {
        final BaseServer<?> server;
        final Thread thread;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Serving(BaseServer<?> server, Duration pollInterval, boolean virtual) {
            this.server = server;
            Runnable loop = () -> {
                try {
                    server.serveForever(pollInterval);
                } catch (Throwable t) {
                    failure.set(t);
                }
            };
            this.thread = (virtual ? Thread.ofVirtual() : Thread.ofPlatform().daemon(true))
                    .name("serve-" + server.id()).start(loop);
        }

        static Serving start(BaseServer<?> server) {
            return new Serving(server, Duration.ofMillis(10), false);
        }

        /** Python's run_server tail: shutdown(), join, server_close(). */
        void stop() throws InterruptedException {
            assertTrue(server.shutdown(STOP_TIMEOUT), "shutdown() returned within " + STOP_TIMEOUT);
            assertTrue(thread.join(STOP_TIMEOUT), "the serving thread ended");
            assertTrue(server.serverClose(STOP_TIMEOUT), "handlers ended within " + STOP_TIMEOUT);
            assertNull(failure.get(), () -> "serveForever threw " + failure.get());
        }

        @Override
        public void close() throws InterruptedException {
            if (thread.isAlive() || server.state() != ServerState.CLOSED) {
                server.shutdown(STOP_TIMEOUT);
                thread.join(STOP_TIMEOUT);
                server.serverClose(STOP_TIMEOUT);
                assertFalse(thread.isAlive(), "the serving thread ended");
            }
        }
    }
}
