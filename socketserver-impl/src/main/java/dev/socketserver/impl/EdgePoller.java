package dev.socketserver.impl;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine's own readiness poller for connections served on virtual threads: one edge-triggered
 * epoll set for the whole JVM, in which every connection stays registered from its first blocking
 * read until it is closed.
 *
 * <p><b>Why not the JDK's blocking read.</b> A virtual thread blocked in {@code SocketChannel.read}
 * first tries the read (an {@code EAGAIN} system call in request/response traffic), then registers the
 * socket with the JDK's poller ({@code epoll_ctl} plus a map insert), parks, and is deregistered when
 * woken: two system calls and two map updates per request beyond the read and the write. Here the
 * registration is made once, edge-triggered, and {@link PolledSocketChannel} keeps a "data may be
 * there" flag, so a handler that read everything there was parks without trying another read. The JFR
 * profile and the figures are in BENCHMARKS.md.
 *
 * <p><b>Threads.</b> The loop runs on a virtual thread, so waking handlers is a hand-off on the same
 * scheduler, not a cross-thread submission. It takes ready events with a non-blocking
 * {@code epoll_wait}, lets the woken handlers run ({@code Thread.yield()}), and repeats while events
 * keep coming. When none are ready it parks; one daemon platform thread blocks in {@code epoll_wait}
 * on a second epoll set that holds only the first (one-shot, re-armed before each park) and unparks
 * the loop. So a busy server never leaves the scheduler, and an idle one costs one parked thread.
 *
 * <p>Events name connections by a serial number, never by descriptor, so a late event for a closed
 * connection whose descriptor was reused is dropped. Closing a descriptor removes it from the epoll
 * set, so there is no explicit deregistration.
 */
final class EdgePoller {

    private static final System.Logger LOG = System.getLogger("dev.socketserver");
    private static final int MAX_EVENTS = 256;
    private static final int CONNECTION_EVENTS = Epoll.EPOLLIN | Epoll.EPOLLOUT | Epoll.EPOLLRDHUP | Epoll.EPOLLET;
    private static final int READ_EVENTS = Epoll.EPOLLIN | Epoll.EPOLLRDHUP | Epoll.EPOLLHUP | Epoll.EPOLLERR;
    private static final int WRITE_EVENTS = Epoll.EPOLLOUT | Epoll.EPOLLHUP | Epoll.EPOLLERR;

    private final int epfd;
    private final int wakeEpfd;
    private final ConcurrentHashMap<Long, PolledSocketChannel> connections = new ConcurrentHashMap<>();
    private final AtomicLong serials = new AtomicLong();
    private final Thread loop;

    private EdgePoller(int epfd, int wakeEpfd) {
        this.epfd = epfd;
        this.wakeEpfd = wakeEpfd;
        this.loop = Thread.ofVirtual().name("socketserver-poller").unstarted(this::pollLoop);
    }

    /**
     * Returns the JVM's poller, creating it on first use.
     *
     * @return the poller, or {@code null} where it cannot run (not Linux, no native access for this
     *         module, no exact descriptor lookup, or {@code -Ddev.socketserver.poller=jdk})
     */
    static EdgePoller get() {
        return Holder.INSTANCE;
    }

    /**
     * Tells whether connections of this JVM use the engine's poller.
     *
     * @return {@code true} when {@link #get()} returns a poller
     */
    static boolean enabled() {
        return get() != null;
    }

    /**
     * Adds a connection to the epoll set, edge-triggered for input and output.
     *
     * @param channel the connection, already in non-blocking mode
     * @param fd its descriptor
     * @return the serial number its events carry
     * @throws IOException if {@code epoll_ctl} fails
     */
    long register(PolledSocketChannel channel, int fd) throws IOException {
        long serial = serials.incrementAndGet();
        connections.put(serial, channel);
        int rc;
        try (Arena arena = Arena.ofConfined()) {
            rc = Epoll.ctl(epfd, Epoll.CTL_ADD, fd, CONNECTION_EVENTS, serial, arena.allocate(Epoll.EVENT_SIZE));
        }
        if (rc != 0) {
            connections.remove(serial);
            throw new IOException("epoll_ctl(EPOLL_CTL_ADD) failed for descriptor " + fd);
        }
        return serial;
    }

    /**
     * Forgets a connection that is being closed; its late events are dropped.
     *
     * @param serial what {@link #register} returned
     */
    void forget(long serial) {
        connections.remove(serial);
    }

    /**
     * Tells how many connections are registered (for tests).
     *
     * @return the number of registered connections
     */
    int registered() {
        return connections.size();
    }

    private void pollLoop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(Epoll.EVENT_SIZE * MAX_EVENTS);
            MemorySegment scratch = arena.allocate(Epoll.EVENT_SIZE);
            while (true) {
                int n = Epoll.pollNow(epfd, events, MAX_EVENTS);
                if (n > 0) {
                    dispatch(events, n);
                    Thread.yield(); // let the handlers just woken run before looking again
                    continue;
                }
                // nothing ready: park until the platform waiter sees the epoll set become readable
                Epoll.ctl(wakeEpfd, Epoll.CTL_MOD, epfd, Epoll.EPOLLIN | Epoll.EPOLLONESHOT, 0, scratch);
                LockSupport.park(this);
            }
        }
    }

    private void dispatch(MemorySegment events, int n) {
        for (int i = 0; i < n; i++) {
            PolledSocketChannel channel = connections.get(Epoll.data(events, i));
            if (channel != null) {
                int ready = Epoll.events(events, i);
                channel.ready((ready & READ_EVENTS) != 0, (ready & WRITE_EVENTS) != 0);
            }
        }
    }

    private void waitLoop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment event = arena.allocate(Epoll.EVENT_SIZE);
            int failures = 0;
            while (true) {
                int n = Epoll.waitForever(wakeEpfd, event, 1);
                if (n >= 0) {
                    failures = 0;
                } else if (++failures >= 100) {
                    // EINTR returns -1 now and then; a long run of failures must not spin a core, nor
                    // leave the loop parked forever, so keep waking it, at most every millisecond
                    if (failures == 100) {
                        LOG.log(System.Logger.Level.WARNING, "socketserver poller: epoll_wait keeps failing");
                    }
                    LockSupport.parkNanos(1_000_000);
                }
                LockSupport.unpark(loop); // on failure too: the loop then polls the set itself
            }
        }
    }

    private static EdgePoller create() {
        if (!"Linux".equals(System.getProperty("os.name"))
                || "jdk".equals(System.getProperty("dev.socketserver.poller"))
                || !EdgePoller.class.getModule().isNativeAccessEnabled()
                || !Fileno.exactLookupAvailable()) {
            return null;
        }
        try {
            int epfd = Epoll.create();
            int wakeEpfd = Epoll.create();
            if (epfd < 0 || wakeEpfd < 0) {
                return null;
            }
            EdgePoller poller = new EdgePoller(epfd, wakeEpfd);
            try (Arena arena = Arena.ofConfined()) {
                if (Epoll.ctl(wakeEpfd, Epoll.CTL_ADD, epfd, Epoll.EPOLLIN | Epoll.EPOLLONESHOT, 0,
                        arena.allocate(Epoll.EVENT_SIZE)) != 0) {
                    return null;
                }
            }
            poller.loop.start();
            Thread.ofPlatform().name("socketserver-poller-wait").daemon(true).start(poller::waitLoop);
            return poller;
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "socketserver poller unavailable; using the JDK's blocking reads", e);
            return null;
        }
    }

    private static final class Holder {
        static final EdgePoller INSTANCE = create();
    }
}
