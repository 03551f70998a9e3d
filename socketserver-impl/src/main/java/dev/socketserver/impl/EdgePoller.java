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
    // Output is watched only once a write could not complete: watching it from the start costs an
    // event per new connection (a new socket is writable at once) and, on Unix sockets, one per
    // reply the peer reads.
    private static final int CONNECTION_EVENTS = Epoll.EPOLLIN | Epoll.EPOLLRDHUP | Epoll.EPOLLET;
    private static final int CONNECTION_AND_OUTPUT_EVENTS = CONNECTION_EVENTS | Epoll.EPOLLOUT;
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
     * Adds a connection to the epoll set, edge-triggered. Adding it re-checks the socket, so input (or
     * room) that arrived before this call is reported at once, not lost.
     *
     * @param channel the connection, already in non-blocking mode
     * @param fd its descriptor, which must stay open during this call
     * @param output whether to watch for room to write too, not only for input
     * @return the serial number its events carry
     * @throws IOException if {@code epoll_ctl} fails
     */
    long register(PolledSocketChannel channel, int fd, boolean output) throws IOException {
        long serial = serials.incrementAndGet();
        connections.put(serial, channel);
        int events = output ? CONNECTION_AND_OUTPUT_EVENTS : CONNECTION_EVENTS;
        if (Epoll.ctl(epfd, Epoll.CTL_ADD, fd, events, serial, Epoll.newEvent()) != 0) {
            connections.remove(serial);
            throw new IOException("epoll_ctl(EPOLL_CTL_ADD) failed for descriptor " + fd);
        }
        return serial;
    }

    /**
     * Watches a registered connection for room to write too. Modifying the registration re-checks the
     * socket, so room that appeared just before this call is reported, not lost.
     *
     * @param fd the connection's descriptor, which must stay open during this call
     * @param serial what {@link #register} returned
     * @throws IOException if {@code epoll_ctl} fails
     */
    void watchOutput(int fd, long serial) throws IOException {
        if (Epoll.ctl(epfd, Epoll.CTL_MOD, fd, CONNECTION_AND_OUTPUT_EVENTS, serial, Epoll.newEvent()) != 0) {
            throw new IOException("epoll_ctl(EPOLL_CTL_MOD) failed for descriptor " + fd);
        }
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
            MemorySegment scratch = Epoll.newEvent();
            while (true) {
                int n = Epoll.pollNow(epfd, events, MAX_EVENTS);
                if (n > 0) {
                    dispatch(events, n);
                    Thread.yield(); // let the handlers just woken run before looking again
                } else {
                    // nothing ready: park until the platform waiter sees the epoll set become readable
                    Epoll.ctl(wakeEpfd, Epoll.CTL_MOD, epfd, Epoll.EPOLLIN | Epoll.EPOLLONESHOT, 0, scratch);
                    LockSupport.park(this);
                }
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
            if (Epoll.ctl(wakeEpfd, Epoll.CTL_ADD, epfd, Epoll.EPOLLIN | Epoll.EPOLLONESHOT, 0, Epoll.newEvent()) != 0) {
                return null;
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
