package dev.socketserver.impl.poller;

import dev.socketserver.impl.Clients;
import dev.socketserver.impl.LogCapture;
import dev.socketserver.impl.nio.ChannelConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failed re-arm of the poller's wake-up never leaves a connection waiting forever: with every
 * re-arm made to fail, the loop falls back to polling and a parked reader still gets its data.
 * Before this, the failure was ignored and the loop parked for good.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EdgePollerFailureTest {

    /** The real epoll calls, except that re-arming the wake-up fails as the kernel would say it. */
    static final class FailingRearm extends Epoll {
        final AtomicInteger failed = new AtomicInteger();

        @Override
        void ctl(String what, int epfd, int op, int fd, int events, long data, MemorySegment scratch, MemorySegment capture)
                throws IOException {
            if (what.startsWith("epoll_ctl(MOD, re-arm")) {
                failed.incrementAndGet();
                throw new IOException(what + ": Bad file descriptor (errno 9, injected)");
            }
            super.ctl(what, epfd, op, fd, events, data, scratch, capture);
        }
    }

    @Test
    void aReaderStillGetsItsDataWhenTheWakeUpCannotBeRearmed() throws Exception {
        FailingRearm epoll = new FailingRearm();
        try (LogCapture log = new LogCapture()) { // the fallback's warning is asserted, not printed in the build
            EdgePoller poller = EdgePoller.start(epoll, "test-poller");
            try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                 SocketChannel client = Clients.connect(listener.getLocalAddress());
                 ChannelConnection served = new ChannelConnection(listener.accept(), poller)) {
                CompletableFuture<Integer> read = new CompletableFuture<>();
                Thread.ofVirtual().start(() -> {
                    try {
                        read.complete(served.read(ByteBuffer.allocate(8)));
                    } catch (Throwable t) {
                        read.completeExceptionally(t);
                    }
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!poller.degraded() || poller.registered() == 0) { // nothing announces either
                    assertTrue(System.nanoTime() < deadline, "the loop never tried to re-arm, or nothing registered");
                    Thread.onSpinWait();
                }
                Clients.send(client, "late");
                assertEquals(4, read.get(20, TimeUnit.SECONDS));
                assertTrue(epoll.failed.get() > 0);
            } finally {
                poller.close();
            }
            assertEquals(1, log.containing("socketserver poller: epoll_ctl(MOD, re-arm the wake-up)").size(),
                    () -> log.records().toString());
        }
    }
}
