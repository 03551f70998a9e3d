package dev.socketserver.impl.poller;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.socketserver.impl.os.Errno;
import dev.socketserver.impl.os.Fileno;

/**
 * The engine's own readiness poller for connections: one edge-triggered epoll set for the whole
 * JVM, in which a connection stays registered from its first wait until it is closed.
 *
 * <p><b>Why not the JDK's blocking read.</b> A virtual thread blocked in {@code SocketChannel.read}
 * first tries the read (an {@code EAGAIN} system call in request/response traffic), then registers the
 * socket with the JDK's poller ({@code epoll_ctl} plus a map insert), parks, and is deregistered when
 * woken: two system calls and two map updates per request beyond the read and the write. Here the
 * registration is made once, edge-triggered, and the connection keeps a "data may be there" flag, so
 * a handler that read everything there was parks without trying another read. The JFR profile and the
 * figures are in BENCHMARKS.md ("What the profiles showed").
 *
 * <p><b>Hang-ups are sticky.</b> An edge-triggered set reports a peer's FIN ({@code EPOLLRDHUP}), a
 * hang-up or an error once, possibly in the same event as the data before it. A read returns that data
 * and reports the end only on the next call, so a connection told "hang-up" must never wait for input
 * again: {@link Registrant#ready} says so, and the connection keeps it.
 *
 * <p><b>Threads.</b> The loop runs on a virtual thread, so waking handlers is a hand-off on the same
 * scheduler, not a cross-thread submission. It takes ready events with a non-blocking
 * {@code epoll_wait}, lets the woken handlers run ({@code Thread.yield()}), and repeats while events
 * keep coming. When none are ready it parks; one daemon platform thread blocks in {@code epoll_wait}
 * on a second epoll set that holds only the first (one-shot, re-armed before each park) and unparks
 * the loop. If the re-arm fails the loop polls every millisecond instead of parking, so no connection
 * is ever left waiting for a wake-up that cannot come.
 *
 * <p>Events name connections by a serial number, never by descriptor, so a late event for a closed
 * connection whose descriptor was reused is dropped. Closing a descriptor removes it from the epoll
 * set, so there is no explicit deregistration.
 */
public final class EdgePoller {

    /** What a registered connection is told when the poller sees something. */
    public interface Registrant {
        /**
         * Called on the poller's thread.
         *
         * @param input input, end of stream or an error may be waiting
         * @param output there may be room to write
         * @param hangup the peer shut its side, hung up, or the socket has an error: a read never blocks again
         */
        void ready(boolean input, boolean output, boolean hangup);
    }

    private static final System.Logger LOG = System.getLogger("dev.socketserver");
    private static final int MAX_EVENTS = 256;
    // A test's poller must end its waiter: it wakes once a second to notice close(). The JVM's poller is
    // never closed and waits without a timeout: a timed epoll_wait arms a kernel timer on every idle
    // turn of the loop, and a 16-connection ping-pong has many (docs/benchmarks-history.md, "Request-path
    // redesign").
    private static final int CLOSABLE_WAITER_TIMEOUT_MILLIS = 1000;
    private static final long DEGRADED_POLL_NANOS = 1_000_000;
    // Output is watched only once a write could not complete: watching it from the start costs an
    // event per new connection (a new socket is writable at once) and, on Unix sockets, one per
    // reply the peer reads.
    private static final int CONNECTION_EVENTS = Epoll.EPOLLIN | Epoll.EPOLLRDHUP | Epoll.EPOLLET;
    private static final int CONNECTION_AND_OUTPUT_EVENTS = CONNECTION_EVENTS | Epoll.EPOLLOUT;
    private static final int READ_EVENTS = Epoll.EPOLLIN | Epoll.EPOLLRDHUP | Epoll.EPOLLHUP | Epoll.EPOLLERR;
    private static final int WRITE_EVENTS = Epoll.EPOLLOUT | Epoll.EPOLLHUP | Epoll.EPOLLERR;
    private static final int HANGUP_EVENTS = Epoll.EPOLLRDHUP | Epoll.EPOLLHUP | Epoll.EPOLLERR;

    private final Epoll epoll;
    private final int epfd;
    private final int wakeEpfd;
    private final ConcurrentHashMap<Long, Registrant> connections = new ConcurrentHashMap<>();
    private final AtomicLong serials = new AtomicLong();
    private final Thread loop;
    private final Thread waiter;
    private final int waiterTimeoutMillis; // -1 (forever) for the JVM's poller
    private volatile boolean closed;
    private volatile boolean degraded; // the wake-up could not be re-armed: the loop polls instead of parking

    private EdgePoller(Epoll epoll, int epfd, int wakeEpfd, String name, int waiterTimeoutMillis) {
        this.epoll = epoll;
        this.waiterTimeoutMillis = waiterTimeoutMillis;
        this.epfd = epfd;
        this.wakeEpfd = wakeEpfd;
        this.loop = Thread.ofVirtual().name(name).unstarted(this::pollLoop);
        this.waiter = Thread.ofPlatform().name(name + "-wait").daemon(true).unstarted(this::waitLoop);
    }

    /**
     * Returns the JVM's poller, creating it on first use.
     *
     * @return the poller, or {@code null} where it cannot run (not Linux, no native access for this
     *         module, no exact descriptor lookup, or {@code -Ddev.socketserver.poller=jdk})
     */
    public static EdgePoller get() {
        return Holder.INSTANCE;
    }

    /**
     * Tells whether connections of this JVM use the engine's poller.
     *
     * @return {@code true} when {@link #get()} returns a poller
     */
    public static boolean enabled() {
        return get() != null;
    }

    /**
     * Starts a poller of its own over the given calls (the JVM's is {@link #get()}); for tests.
     *
     * @param epoll the epoll calls to use
     * @param name the loop thread's name
     * @return the running poller; {@link #close()} stops it
     * @throws IOException if an epoll set cannot be created or linked
     */
    static EdgePoller start(Epoll epoll, String name) throws IOException {
        return start(epoll, name, CLOSABLE_WAITER_TIMEOUT_MILLIS);
    }

    private static EdgePoller start(Epoll epoll, String name, int waiterTimeoutMillis) throws IOException {
        int epfd = epoll.create();
        int wakeEpfd;
        try {
            wakeEpfd = epoll.create();
            epoll.ctl("epoll_ctl(ADD, the connection set to the wake-up set)", wakeEpfd, Epoll.CTL_ADD, epfd,
                    Epoll.EPOLLIN | Epoll.EPOLLONESHOT, 0, Epoll.newEvent(), Errno.newHeapCaptureSegment());
        } catch (IOException | RuntimeException e) {
            epoll.close(epfd);
            throw e;
        }
        EdgePoller poller = new EdgePoller(epoll, epfd, wakeEpfd, name, waiterTimeoutMillis);
        poller.loop.start();
        poller.waiter.start();
        return poller;
    }

    /**
     * Adds a connection to the epoll set, edge-triggered. Adding it re-checks the socket, so input (or
     * room) that arrived before this call is reported at once, not lost.
     *
     * @param connection told what becomes ready
     * @param fd its descriptor, which must stay open during this call
     * @param output whether to watch for room to write too, not only for input
     * @return the serial number its events carry
     * @throws IOException naming {@code epoll_ctl} and errno if it fails
     */
    public long register(Registrant connection, int fd, boolean output) throws IOException {
        long serial = serials.incrementAndGet();
        connections.put(serial, connection);
        int events = output ? CONNECTION_AND_OUTPUT_EVENTS : CONNECTION_EVENTS;
        try {
            epoll.ctl("epoll_ctl(ADD, fd " + fd + ")", epfd, Epoll.CTL_ADD, fd, events, serial, Epoll.newEvent(),
                    Errno.newHeapCaptureSegment());
        } catch (IOException | RuntimeException e) {
            connections.remove(serial);
            throw e;
        }
        return serial;
    }

    /**
     * Watches a registered connection for room to write too. Modifying the registration re-checks the
     * socket, so room that appeared just before this call is reported, not lost.
     *
     * @param fd the connection's descriptor, which must stay open during this call
     * @param serial what {@link #register} returned
     * @throws IOException naming {@code epoll_ctl} and errno if it fails
     */
    public void watchOutput(int fd, long serial) throws IOException {
        epoll.ctl("epoll_ctl(MOD, fd " + fd + ")", epfd, Epoll.CTL_MOD, fd, CONNECTION_AND_OUTPUT_EVENTS, serial,
                Epoll.newEvent(), Errno.newHeapCaptureSegment());
    }

    /**
     * Forgets a connection that is being closed; its late events are dropped.
     *
     * @param serial what {@link #register} returned
     */
    public void forget(long serial) {
        connections.remove(serial);
    }

    /**
     * Tells how many connections are registered (for tests).
     *
     * @return the number of registered connections
     */
    public int registered() {
        return connections.size();
    }

    /** Whether the loop has fallen back to polling because the wake-up could not be re-armed (for tests). */
    boolean degraded() {
        return degraded;
    }

    /**
     * Stops a poller made by {@link #start(Epoll, String)}: both threads end (the waiter within a
     * second) and the epoll sets are closed. The JVM's own poller is never closed.
     *
     * @throws InterruptedException if interrupted while waiting for the threads
     * @throws IOException if closing a set fails
     */
    void close() throws InterruptedException, IOException {
        closed = true;
        LockSupport.unpark(loop);
        loop.join();
        waiter.join();
        epoll.close(wakeEpfd);
        epoll.close(epfd);
    }

    private void pollLoop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(Epoll.EVENT_SIZE * MAX_EVENTS);
            MemorySegment capture = Errno.newCaptureSegment(arena);
            MemorySegment scratch = Epoll.newEvent();
            MemorySegment ctlCapture = Errno.newHeapCaptureSegment();
            boolean warned = false;
            while (!closed) {
                int n;
                try {
                    n = epoll.pollNow(epfd, events, MAX_EVENTS, capture);
                } catch (IOException e) {
                    n = 0; // EINTR: look again after the wait below
                }
                if (n > 0) {
                    dispatch(events, n);
                    Thread.yield(); // let the handlers just woken run before looking again
                    continue;
                }
                // nothing ready: park until the platform waiter sees the epoll set become readable
                try {
                    epoll.ctl("epoll_ctl(MOD, re-arm the wake-up)", wakeEpfd, Epoll.CTL_MOD, epfd,
                            Epoll.EPOLLIN | Epoll.EPOLLONESHOT, 0, scratch, ctlCapture);
                    degraded = false;
                    LockSupport.park(this);
                } catch (IOException | RuntimeException e) {
                    // no wake-up would come: poll instead, so no connection is left waiting forever
                    if (!warned) {
                        LOG.log(System.Logger.Level.WARNING, "socketserver poller: " + e.getMessage()
                                + "; polling every millisecond instead");
                        warned = true;
                    }
                    degraded = true;
                    LockSupport.parkNanos(this, DEGRADED_POLL_NANOS);
                }
            }
        }
    }

    private void dispatch(MemorySegment events, int n) {
        for (int i = 0; i < n; i++) {
            Registrant connection = connections.get(Epoll.data(events, i));
            if (connection != null) {
                int ready = Epoll.events(events, i);
                connection.ready((ready & READ_EVENTS) != 0, (ready & WRITE_EVENTS) != 0, (ready & HANGUP_EVENTS) != 0);
            }
        }
    }

    private void waitLoop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment event = arena.allocate(Epoll.EVENT_SIZE);
            MemorySegment capture = Errno.newCaptureSegment(arena);
            int failures = 0;
            while (!closed) {
                try {
                    if (epoll.await(wakeEpfd, event, 1, waiterTimeoutMillis, capture) == 0) {
                        continue; // timed out: only a closable poller does, to notice close()
                    }
                    failures = 0;
                } catch (IOException e) {
                    if (++failures >= 100) {
                        // EINTR now and then is normal; a long run of failures must not spin a core,
                        // nor leave the loop parked forever, so keep waking it, at most every millisecond
                        if (failures == 100) {
                            LOG.log(System.Logger.Level.WARNING, "socketserver poller: " + e.getMessage());
                        }
                        LockSupport.parkNanos(DEGRADED_POLL_NANOS);
                    }
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
            return start(Epoll.SYSTEM, "socketserver-poller", -1);
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "socketserver poller unavailable (" + e.getMessage()
                    + "); using the JDK's blocking reads");
            return null;
        }
    }

    private static final class Holder {
        static final EdgePoller INSTANCE = create();
    }
}
