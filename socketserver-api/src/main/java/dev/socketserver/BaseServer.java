package dev.socketserver;

import dev.socketserver.spi.BindOptions;
import dev.socketserver.spi.Endpoint;
import dev.socketserver.spi.Waiter;

import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Python: {@code socketserver.BaseServer}: the serving loop and the request pipeline shared by every
 * server class.
 *
 * <p><b>Methods for the caller</b>: {@link #serveForever()}, {@link #handleRequest()},
 * {@link #shutdown()}, {@link #serverClose()} (also {@link #close()}, so try-with-resources works as
 * Python's {@code with}), {@link #fileno()}, {@link #serverAddress()}.
 *
 * <p><b>Methods that may be overridden</b>, called in CPython's order for each request:
 * {@link #getRequest()} &rarr; {@link #verifyRequest} &rarr; {@link #processRequest} (which packs
 * the request's work into a {@link RequestJob} for the {@link MixIn}) &rarr; {@link #processRequestThread}
 * &rarr; {@link #finishRequest} (which runs the handler's {@code setup/handle/finish}) &rarr;
 * {@link #shutdownRequest} &rarr; {@link #closeRequest}; on an exception {@link #handleError};
 * plus {@link #serverBind()}, {@link #serverActivate()}, {@link #serviceActions()},
 * {@link #handleTimeout()}.
 *
 * <p><b>Options</b> keep Python's meaning and defaults and are fixed before bind: setting one after
 * {@link #serverBind()} throws {@link IllegalStateException}, so none is silently ignored. To set
 * options, construct with {@code bindAndActivate = false}, set them, then call {@code serverBind()}
 * and {@code serverActivate()}, exactly as in Python.
 *
 * <p><b>Where this differs from CPython</b> (decided, each tested):
 * <ul>
 *   <li>{@link #shutdown()} wakes the loop at once; {@code pollInterval} only paces
 *       {@link #serviceActions()}.</li>
 *   <li>{@code shutdown()} never deadlocks: called on the serving thread it requests the stop and
 *       returns; called when no loop runs it returns at once, and the next {@code serveForever()}
 *       returns immediately (so a shutdown that races ahead of a starting loop is never lost).</li>
 *   <li>{@link #serverClose()} during {@code serveForever()} ends the loop; no busy spin.</li>
 *   <li>Every accepted request is closed exactly once on every path, including a throwing
 *       {@code verifyRequest} or {@code handleError}.</li>
 *   <li>{@code serveForever()} and {@code handleRequest()} refuse to run twice at once
 *       ({@link IllegalStateException}).</li>
 * </ul>
 *
 * <p><b>Reading order</b> follows {@code Lib/socketserver.py}: the methods for the caller
 * ({@code serveForever}, {@code handleRequest}, {@code shutdown}, {@code serverClose}), the request
 * pipeline ({@code _handle_request_noblock}), the methods that may be overridden, then options and
 * identity.
 *
 * @param <R> the request type: {@link Connection} for stream servers,
 *     {@code DatagramRequest} for datagram servers
 */
public abstract class BaseServer<R> implements AutoCloseable {

    /** Python's default {@code poll_interval} for {@code serve_forever}: half a second. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);

    /** Python's default {@code request_queue_size}: 5. */
    public static final int DEFAULT_REQUEST_QUEUE_SIZE = 5;

    private static final System.Logger LOG = System.getLogger("dev.socketserver");
    private static final AtomicLong IDS = new AtomicLong();

    private final String id;
    private final Supplier<? extends BaseRequestHandler<R>> handlerFactory;
    private final MixIn mixIn;
    private final ServerFamily family;
    private final ServerStats stats = new ServerStats();
    private final Lifecycle lifecycle;
    private final AtomicInteger inFlight = stats.inFlight(); // jobs handed to the mix-in and not yet ended
    private ServerJob<R> pending; // serving thread only: the job of the request in processRequest now
    private final RepeatedErrors repeatedErrors = new RepeatedErrors();
    private final AcceptBackoff acceptBackoff = new AcceptBackoff(repeatedErrors); // serving thread only
    private volatile SocketAddress serverAddress;
    private final RunningRequests<R> running = new RunningRequests<>();
    private final AtomicLong jobsDispatched = new AtomicLong(); // jobs handed on: a drain's finished count
    private final ReentrantLock drainLock = new ReentrantLock();
    private final Condition drainProgress = drainLock.newCondition(); // the last job ended, or the server closed
    private final AtomicBoolean endpointClosed = new AtomicBoolean();

    // Options (Python class attributes), fixed once bound.
    private volatile Duration timeout;
    private volatile int requestQueueSize = DEFAULT_REQUEST_QUEUE_SIZE;
    private volatile boolean allowReuseAddress;
    private volatile boolean allowReusePort;
    private volatile String name;
    private volatile ServerRegistry registry = ServerRegistry.defaultRegistry();

    /**
     * Python: {@code BaseServer.__init__(server_address, RequestHandlerClass)}. Creates no socket.
     *
     * @param serverAddress the address to bind
     * @param handlerFactory makes one handler per request, e.g. {@code MyHandler::new}
     * @param mixIn the concurrency policy; each server needs its own instance
     * @param family the kind of socket, for listings
     * @throws IllegalArgumentException if the mix-in already belongs to another server
     */
    protected BaseServer(SocketAddress serverAddress, Supplier<? extends BaseRequestHandler<R>> handlerFactory,
                         MixIn mixIn, ServerFamily family) {
        this.serverAddress = Objects.requireNonNull(serverAddress, "serverAddress");
        this.handlerFactory = Objects.requireNonNull(handlerFactory, "handlerFactory");
        this.mixIn = Objects.requireNonNull(mixIn, "mixIn");
        this.family = Objects.requireNonNull(family, "family");
        this.id = family.label() + "-" + IDS.incrementAndGet();
        this.lifecycle = new Lifecycle(id);
        mixIn.claim(id);
    }

    /**
     * Returns the socket this server waits on. Server classes that own a socket return it.
     *
     * @return the endpoint
     */
    protected abstract Endpoint endpoint();

    // ---------------------------------------------------------------- methods for the caller

    /**
     * Python: {@code serve_forever()} with the default poll interval of 0.5 s.
     *
     * @throws IOException if waiting for requests fails
     * @throws IllegalStateException if the server is closed, not bound, or already serving
     * @see #serveForever(Duration)
     */
    public final void serveForever() throws IOException {
        serveForever(DEFAULT_POLL_INTERVAL);
    }

    /**
     * Python: {@code serve_forever(poll_interval)}: handles one request at a time until
     * {@link #shutdown()} or {@link #serverClose()}. Blocks the calling thread.
     *
     * <p>Each turn of the loop, as in CPython, waits for the socket, handles one request and calls
     * {@link #serviceActions()} once. Unlike CPython it does not poll for shutdown: {@code shutdown()}
     * wakes it at once. {@code pollInterval} only sets how often {@code serviceActions()} runs when
     * idle. After a turn that handled a request the next turn takes the next queued request without
     * waiting again (the socket is still ready while requests are queued, so CPython's select would
     * return at once); when the queue turns out empty that is not a turn, and the loop waits. Ignores
     * {@link #timeout()}, as CPython does. If a {@code shutdown()} arrived while no loop was running,
     * this returns at once and forgets it.
     *
     * @param pollInterval how often to call {@code serviceActions()} when idle; {@code null} (Python's
     *     {@code None}) calls it only after requests, {@link Duration#ZERO} polls without waiting
     * @throws IOException if waiting for requests fails
     * @throws IllegalStateException if the server is closed, not bound, or already serving
     */
    public void serveForever(Duration pollInterval) throws IOException {
        long pollNanos = pollInterval == null ? -1 : requirePositiveOrZero(pollInterval, "pollInterval").toNanos();
        Waiter waiter = lifecycle.enterLoop("serveForever", true, endpoint()::newWaiter);
        if (waiter == null) {
            return; // a shutdown() arrived while no loop ran
        }
        try {
            boolean queued = false; // the last turn handled a request, so another may be queued behind it
            while (!lifecycle.stopRequested()) {
                boolean ready = queued;
                if (!queued) {
                    try {
                        long pause = acceptBackoff.pauseNanos();
                        if (pause > 0) {
                            // out of descriptors: the socket stays ready, so watching it now would spin
                            waiter.await(pause, false);
                            if (lifecycle.stopRequested()) {
                                break;
                            }
                        }
                        ready = waiter.await(pollNanos, hasCapacity());
                    } catch (IOException e) {
                        if (isClosed()) {
                            break; // serverClose() raced with the wait: end quietly
                        }
                        throw e;
                    }
                    if (lifecycle.stopRequested()) {
                        break; // bpo-35017: no request is accepted after shutdown()
                    }
                }
                Taken taken = ready ? handleRequestNoBlock() : Taken.NOTHING;
                if (queued && taken == Taken.NOTHING) {
                    queued = false; // the queue is empty: not a turn, go back to waiting
                    continue;
                }
                queued = taken == Taken.REQUEST && hasCapacity();
                serviceActions();
            }
        } finally {
            releaseLoop(waiter, true);
        }
    }

    /**
     * Runs {@link #serveForever()} on a new platform thread and returns it: Python's
     * {@code threading.Thread(target=server.serve_forever, daemon=daemon).start()}, without a lambda
     * around the checked {@link IOException}. The thread is named {@code socketserver-<id>-serve}; if
     * the loop fails, the exception is logged through {@link System.Logger} {@code dev.socketserver} at
     * {@code ERROR} and the thread ends. {@link #shutdown()} stops it as any loop (a shutdown that comes
     * before the thread has started its loop is kept, so it is never lost). A server closed before the
     * thread reaches its loop ends the thread quietly (one line at {@code DEBUG}).
     *
     * @param daemon whether the thread is a daemon thread, which does not keep the JVM alive
     * @return the started thread
     */
    public final Thread serveForeverInBackground(boolean daemon) {
        return Thread.ofPlatform().name("socketserver-" + id + "-serve").daemon(daemon).start(() -> {
            try {
                serveForever();
            } catch (IOException | RuntimeException e) {
                if (e instanceof IllegalStateException && isClosed()) {
                    // closed before the thread got to its loop: the caller is done with it, nothing failed
                    LOG.log(System.Logger.Level.DEBUG, "serveForever of " + id + " not started: " + e.getMessage());
                } else {
                    LOG.log(System.Logger.Level.ERROR, "serveForever of " + id + " failed", e);
                }
            }
        });
    }

    /**
     * Python: {@code handle_request()}: waits for one request, up to {@link #timeout()}, and handles
     * it. On timeout calls {@link #handleTimeout()} and returns {@code false}.
     *
     * @return {@code true} if a request was received and handled, {@code false} if none was
     * @throws IOException if waiting fails
     * @throws IllegalStateException if the server is closed, not bound, or already serving
     */
    public final boolean handleRequest() throws IOException {
        return handleRequest(timeout);
    }

    /**
     * Python: {@code handle_request()} with an explicit timeout instead of {@link #timeout()}. The
     * deadline uses the monotonic clock ({@link System#nanoTime()}).
     *
     * @param timeout how long to wait for a request; {@code null} waits without a limit
     * @return {@code true} if a request was received and handled, {@code false} on timeout, when the
     *     server was closed meanwhile, or when the ready connection went away before it was accepted
     * @throws IOException if waiting fails
     * @throws IllegalStateException if the server is closed, not bound, or already serving
     */
    public boolean handleRequest(Duration timeout) throws IOException {
        if (timeout != null) {
            requirePositiveOrZero(timeout, "timeout");
        }
        Waiter waiter = lifecycle.enterLoop("handleRequest", false, endpoint()::newWaiter);
        try {
            long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = timeout == null ? -1 : Math.max(0, deadline - System.nanoTime());
                boolean ready;
                try {
                    ready = waiter.await(left, hasCapacity());
                } catch (IOException e) {
                    if (isClosed()) {
                        return false;
                    }
                    throw e;
                }
                if (ready) {
                    return handleRequestNoBlock() == Taken.REQUEST;
                }
                if (isClosed()) {
                    return false;
                }
                if (timeout != null && deadline - System.nanoTime() <= 0) {
                    handleTimeout();
                    return false;
                }
            }
        } finally {
            releaseLoop(waiter, false);
        }
    }

    /**
     * Python: {@code shutdown()}: stops the {@link #serveForever} loop and waits until it has returned.
     *
     * <p>Never deadlocks: on the serving thread itself (a handler of a synchronous server) it
     * requests the stop and returns, and the loop ends after the current request. When no loop is
     * running it returns at once, and the next {@code serveForever()} returns immediately; during a
     * {@link #handleRequest()} it does nothing (that call ignores shutdown, as in CPython). It does
     * not close the socket ({@link #serverClose()} does) and does not wait for handler threads.
     */
    public void shutdown() {
        shutdown(null);
    }

    /**
     * Like {@link #shutdown()}, but waits at most {@code timeout} for the loop to return (a
     * synchronous server cannot interrupt the request it is handling).
     *
     * @param timeout the longest wait, or {@code null} for no limit
     * @return {@code true} if no loop is running any more
     */
    public boolean shutdown(Duration timeout) {
        return lifecycle.requestStop(timeout);
    }

    /**
     * Python: {@code server_close()}: closes the socket, leaves the registry, ends a running loop, and
     * lets the mix-in wait for its handlers ({@code ThreadingMixIn} joins its threads when
     * {@code blockOnClose} is on). Idempotent; afterwards {@link #fileno()} is {@code -1}.
     */
    public void serverClose() {
        serverClose(null);
    }

    /**
     * Like {@link #serverClose()}, but waits at most {@code timeout} for handler threads.
     *
     * @param timeout the longest wait for handlers, or {@code null} for no limit
     * @return {@code true} if no handler is left running
     */
    public boolean serverClose(Duration timeout) {
        Lifecycle.Closing closing = lifecycle.markClosed();
        if (closing.waiter() != null) {
            closing.waiter().wakeup();
        }
        if (closing.first()) {
            closeEndpoint();
            registry.leave(this);
            signalDrain(); // a drain waiting out its grace period or its requests stops waiting
        }
        try {
            return mixIn.serverClose(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Drains with no grace period: {@link #drain(Duration, Duration) drain(Duration.ZERO, deadline)}.
     *
     * @param deadline the longest the whole drain may take
     * @return what happened to the requests
     * @throws IllegalStateException if the server is not activated, closed, already draining, or this is
     *     one of its own handlers
     */
    public DrainReport drain(Duration deadline) {
        return drain(Duration.ZERO, deadline);
    }

    /**
     * Stops the server without losing an accepted request: a graceful {@link #serverClose()}. CPython
     * has no counterpart (Jetty's {@code Graceful} and Netty's {@code shutdownGracefully} are the
     * models). In order:
     * <ol>
     *   <li>{@link #state()} turns {@link ServerState#DRAINING} at once, so health checks (the admin
     *       gateway's {@code /health}) report it, while the server goes on serving for {@code grace},
     *       long enough for a load balancer to stop sending new connections;</li>
     *   <li>running requests are told: a stream handler waiting for its client's next request, with
     *       nothing unread, reads end of stream instead, so the connection closes between requests and
     *       never with a request read and unanswered ({@link Connection#isDraining()}); a connection's
     *       first request is always waited for;</li>
     *   <li>the loop stops ({@link #shutdown()}), every request already queued on the socket (connections
     *       the kernel accepted, datagrams received) is still taken and handed on, and a stream server's
     *       listening socket closes: new connections are refused from here;</li>
     *   <li>running handlers finish. A datagram server keeps its socket for the replies until its
     *       handlers are done;</li>
     *   <li>at the deadline, requests still running are forced: their threads are interrupted and their
     *       connections closed;</li>
     *   <li>the server closes ({@link #serverClose()}).</li>
     * </ol>
     * {@link #shutdown()} and {@link #serverClose()} keep their CPython meaning.
     *
     * @param grace how long to go on serving before accepting stops; capped by {@code deadline}
     * @param deadline the longest the whole drain may take, grace period included
     * @return how many requests finished on their own and how many were forced
     * @throws IllegalStateException if the server is not activated, closed, already draining, or this is
     *     one of its own handlers (which would wait for itself)
     */
    public DrainReport drain(Duration grace, Duration deadline) {
        requirePositiveOrZero(grace, "grace");
        requirePositiveOrZero(deadline, "deadline");
        if (running.onJobThread() || lifecycle.isLoopThread()) {
            throw new IllegalStateException("drain: called by a handler of server " + id
                    + ", which would wait for itself; call it from another thread");
        }
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        lifecycle.markDraining();
        long dispatchedBefore = jobsDispatched.get();
        int inFlightBefore = inFlight.get();
        LOG.log(System.Logger.Level.DEBUG, "draining " + id + " " + Addresses.format(serverAddress));
        awaitDrain(Math.min(end, start + grace.toNanos()), false);
        // Before the loop stops: a synchronous server's loop may be inside a handler that waits for its
        // client's next request, and only the drain ends that wait.
        running.drainAll(this::requestDraining);
        shutdown(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
        sweepQueued(end);
        lifecycle.stopAccepting();
        if (!family.datagram()) {
            closeEndpoint(); // connects are refused from here; a datagram server still replies through it
        }
        awaitDrain(end, true);
        int forced = inFlight.get();
        if (forced > 0) {
            running.forceAll(this::requestForced);
            awaitDrain(System.nanoTime() + FORCED_STOP_WAIT.toNanos(), true);
        }
        serverClose(FORCED_STOP_WAIT);
        long dispatched = jobsDispatched.get() - dispatchedBefore;
        int finished = (int) Math.max(0, inFlightBefore + dispatched - forced);
        DrainReport report = new DrainReport(finished, forced, Duration.ofNanos(System.nanoTime() - start));
        LOG.log(System.Logger.Level.DEBUG, id + " " + report);
        return report;
    }

    /** How long a drain waits for forced requests to end, and then for the mix-in's threads. */
    private static final Duration FORCED_STOP_WAIT = Duration.ofSeconds(1);

    /**
     * Whether {@link #drain} has begun (and the server is not closed yet).
     *
     * @return {@code true} while draining
     */
    public final boolean isDraining() {
        return lifecycle.state() == ServerState.DRAINING;
    }

    /**
     * Takes what is already queued on the socket after the loop stopped: connections the kernel
     * accepted are requests like any other, and a listening socket closed with them queued would reset
     * them. Waits for room under the mix-in's limit, until {@code end}.
     */
    private void sweepQueued(long end) {
        Waiter waiter;
        try {
            waiter = lifecycle.enterLoop("drain", false, endpoint()::newWaiter);
        } catch (IOException | IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "drain of " + id + " cannot take queued requests: " + e.getMessage());
            return;
        }
        try {
            while (true) {
                long left = end - System.nanoTime();
                if (!hasCapacity()) {
                    if (left <= 0) {
                        return;
                    }
                    waiter.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), false);
                    continue;
                }
                if (!waiter.await(0, true) || handleRequestNoBlock() == Taken.NOTHING) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "drain of " + id + " stopped taking queued requests", e);
        } finally {
            releaseLoop(waiter, false);
        }
    }

    /**
     * Waits until {@code end}, or until no job is in flight when {@code untilIdle}; a close ends the
     * wait, and so does an interrupt (which stays set).
     */
    private void awaitDrain(long end, boolean untilIdle) {
        drainLock.lock();
        try {
            while (!(untilIdle && inFlight.get() == 0) && !lifecycle.isClosed()) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                drainProgress.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            drainLock.unlock();
        }
    }

    private void signalDrain() {
        drainLock.lock();
        try {
            drainProgress.signalAll();
        } finally {
            drainLock.unlock();
        }
    }

    /** Closes the server's socket once, whoever asks first (a drain or serverClose). */
    private void closeEndpoint() {
        if (!endpointClosed.compareAndSet(false, true)) {
            return;
        }
        try {
            endpoint().close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + id + " failed", e);
        }
        endpointClosed();
    }

    /**
     * A drain reached this running request: a stream server lets its connection end at the next wait
     * for a request. Called on the drain's thread, or on the request's own as it starts.
     *
     * @param request the request
     */
    void requestDraining(R request) {
    }

    /**
     * The drain's deadline passed with this request still running; its thread is interrupted as well.
     * A stream server closes the connection, which wakes a handler waiting on it.
     *
     * @param request the request
     */
    void requestForced(R request) {
    }

    /**
     * Same as {@link #serverClose()}: Python's {@code __exit__}, so try-with-resources closes the server.
     */
    @Override
    public void close() {
        serverClose();
    }

    /**
     * Python: {@code fileno()}: the OS file descriptor of the server's socket.
     *
     * <p>For NIO-based sockets the engine reads it directly when the JVM runs with
     * {@code --add-exports java.base/sun.nio.ch=dev.socketserver.impl}; without that flag it matches
     * the socket's inode in {@code /proc} once (Linux) and caches it; where neither works it is -1.
     *
     * @return the descriptor, or {@code -1} once closed
     */
    public int fileno() {
        return endpoint().fileno();
    }

    /**
     * Python: {@code server_address}: the address asked for until {@link #serverBind()}, then the
     * real bound address (port 0 becomes the chosen port).
     *
     * @return the address
     */
    public SocketAddress serverAddress() {
        return serverAddress;
    }

    // ---------------------------------------------------------------- the request pipeline

    /** What one attempt to take a request found. */
    private enum Taken {
        /** A request was taken and dispatched, or refused by {@code verifyRequest}. */
        REQUEST,
        /** Nothing was pending. */
        NOTHING,
        /** {@code getRequest} failed; swallowed, as CPython swallows {@code OSError} there. */
        FAILED
    }

    /**
     * Python: {@code _handle_request_noblock()}: takes one request, verifies it and hands it to
     * {@link #processRequest}. Every request leaves here closed exactly once, or owned by its job,
     * which closes it exactly once, on every path.
     */
    private Taken handleRequestNoBlock() throws IOException {
        IncomingRequest<R> incoming;
        try {
            incoming = getRequest();
        } catch (IOException e) {
            // CPython swallows OSError from get_request (a client that reset before accept, a closed
            // socket); out of descriptors, the next turns pause instead of spinning
            acceptBackoff.failed(id, e);
            return Taken.FAILED;
        }
        acceptBackoff.succeeded();
        if (incoming == null) {
            return Taken.NOTHING;
        }
        stats.requestReceived();
        R request = incoming.request();
        SocketAddress clientAddress = incoming.clientAddress();
        boolean verified;
        try {
            verified = verifyRequest(request, clientAddress);
        } catch (Throwable t) {
            shutdownRequestAfter(request, t); // CPython leaks the request here (E10)
            throw t;
        }
        if (!verified) {
            shutdownRequest(request);
            return Taken.REQUEST;
        }
        ServerJob<R> job = new ServerJob<>(this, request, clientAddress);
        jobsDispatched.incrementAndGet();
        inFlight.incrementAndGet(); // counted before any thread starts, so the loop never overshoots the limit
        pending = job;
        boolean handed = false;
        try {
            processRequest(request, clientAddress);
            handed = pending == null; // processRequest gave the job to the mix-in
        } catch (Exception e) {
            handed = pending == null;
            if (!job.taken()) {
                job.abandon(e); // never ran: handleError, then shutdownRequest, and the loop goes on
            } else if (e instanceof RuntimeException ran) {
                throw ran; // it ran here (a synchronous policy) and its own handleError failed: end the loop
            } else {
                reportError(request, clientAddress, e); // an override failed after its job ran and closed the request
            }
        } catch (Throwable t) {
            // an Error is not an Exception: not passed to handleError, and it ends the loop, as in CPython
            handed = pending == null;
            job.abandon(t);
            throw t;
        } finally {
            pending = null;
            if (!handed && !job.taken()) {
                jobEnded(); // an overridden processRequest handled the request without the job
            }
        }
        return Taken.REQUEST;
    }

    /** Whether the mix-in's limit leaves room for another request. */
    private boolean hasCapacity() {
        int max = mixIn.maxConcurrentRequests();
        return max <= 0 || inFlight.get() < max;
    }

    /** The whole of a job, on whatever thread its mix-in chose, with the counters kept around it. */
    final void runJob(ServerJob<R> job) {
        stats.requestStarted();
        long start = System.nanoTime();
        running.started(job, this::requestForced);
        try {
            processRequestThread(job.request(), job.clientAddress());
        } finally {
            running.ended(job);
            stats.requestEnded(System.nanoTime() - start);
        }
    }

    /** A job that will not run: reported (an {@link Exception}, as CPython does) and closed. */
    final void abandonJob(R request, SocketAddress clientAddress, Throwable cause) {
        try {
            if (cause instanceof Exception) {
                reportError(request, clientAddress, cause);
            }
        } catch (Throwable t) {
            shutdownRequestAfter(request, t);
            throw t;
        }
        shutdownRequest(request);
    }

    /** A job ran or was abandoned: one less in flight, and the loop wakes if that made room. */
    final void jobEnded() {
        int left = inFlight.decrementAndGet();
        int max = mixIn.maxConcurrentRequests();
        if (max > 0 && left == max - 1) {
            lifecycle.wake();
        }
        if (left == 0 && lifecycle.draining()) {
            signalDrain();
        }
    }

    /** Counts the error and calls {@link #handleError}. */
    private void reportError(R request, SocketAddress clientAddress, Throwable error) {
        stats.errorReported(kindOf(error));
        handleError(request, clientAddress, error);
    }

    /** The kind of a failure; during a drain's forced stop, what the stop caused is {@link ErrorKind#FORCED}. */
    private ErrorKind kindOf(Throwable error) {
        return running.forcing() && ErrorKind.causedByForcedStop(error) ? ErrorKind.FORCED : ErrorKind.of(error);
    }

    private void shutdownRequestAfter(R request, Throwable cause) {
        try {
            shutdownRequest(request);
        } catch (Throwable t) {
            cause.addSuppressed(t);
        }
    }

    // ---------------------------------------------------------------- methods that may be overridden

    /**
     * Python: {@code server_bind()}: applies the options and binds the socket; afterwards
     * {@link #serverAddress()} is the real address. NIO binds and listens in one call, so a stream
     * server also starts listening here with {@link #requestQueueSize()}.
     *
     * @throws IOException if the bind fails; the message names the address
     * @throws IllegalStateException if already bound or closed
     */
    public void serverBind() throws IOException {
        lifecycle.markBound(Addresses.format(serverAddress));
        mixIn.fix();
        Endpoint endpoint = endpoint();
        endpoint.bind(serverAddress, new BindOptions(allowReuseAddress, allowReusePort, requestQueueSize));
        serverAddress = endpoint.localAddress();
    }

    /**
     * Python: {@code server_activate()}: makes the server ready to serve and lets it join its
     * {@link #registry()}. Overrides must call {@code super.serverActivate()}.
     *
     * @throws IOException if activation fails
     * @throws IllegalStateException if not bound, or closed
     */
    public void serverActivate() throws IOException {
        if (lifecycle.markActivated()) {
            registry.join(this);
        }
    }

    /**
     * Python: {@code get_request()}: takes one request from the socket without blocking; called after
     * the socket was reported ready.
     *
     * @return the request and the client's address, or {@code null} if nothing was pending
     * @throws IOException if receiving fails; the server swallows it, as CPython swallows
     *     {@code OSError} here
     */
    protected abstract IncomingRequest<R> getRequest() throws IOException;

    /**
     * Python: {@code verify_request(request, client_address)}: return {@code false} to refuse the
     * request, which is then closed. An exception ends the serving loop, as in CPython, but the
     * request is closed first.
     *
     * @param request the request
     * @param clientAddress the client's address
     * @return {@code true} by default
     */
    protected boolean verifyRequest(R request, SocketAddress clientAddress) {
        return true;
    }

    /**
     * Python: {@code process_request(request, client_address)}: packs the request's work into a
     * {@link RequestJob} and hands it to the mix-in, which runs it now or on another thread. Called on
     * the serving thread. An override may do its own thing, as in CPython (then it owns the request),
     * or call {@code super.processRequest}.
     *
     * @param request the request
     * @param clientAddress the client's address
     * @throws Exception if dispatching failed; a request whose job never ran is then reported to
     *     {@link #handleError} and closed
     */
    protected void processRequest(R request, SocketAddress clientAddress) throws Exception {
        ServerJob<R> job = pending;
        if (job == null || job.request() != request) {
            // called outside the pipeline, or for another request: a job of its own, counted as well
            job = new ServerJob<>(this, request, clientAddress);
            inFlight.incrementAndGet();
        } else {
            pending = null; // handed over: the pipeline no longer answers for it
        }
        mixIn.processRequest(job);
    }

    /**
     * Python: {@code ThreadingMixIn.process_request_thread(request, client_address)}: runs
     * {@link #finishRequest}, passes an {@link Exception} to {@link #handleError}, and always calls
     * {@link #shutdownRequest}. It is what every {@link RequestJob} runs, on whatever thread the
     * mix-in chose (the serving thread for a synchronous server). An {@link Error} is not passed to
     * {@code handleError}; it propagates after the request is closed.
     *
     * @param request the request
     * @param clientAddress the client's address
     */
    protected void processRequestThread(R request, SocketAddress clientAddress) {
        try {
            finishRequest(request, clientAddress);
        } catch (Exception e) {
            reportError(request, clientAddress, e);
        } finally {
            shutdownRequest(request);
        }
    }

    /**
     * Python: {@code finish_request(request, client_address)}: makes a handler with the factory and
     * runs its {@code setup()}, {@code handle()} and {@code finish()}.
     *
     * @param request the request
     * @param clientAddress the client's address
     * @throws Exception whatever the handler threw
     */
    protected void finishRequest(R request, SocketAddress clientAddress) throws Exception {
        BaseRequestHandler<R> handler = handlerFactory.get();
        if (handler == null) {
            throw new IllegalStateException("the handler factory of " + id + " returned null");
        }
        handler.run(request, clientAddress, this);
    }

    /**
     * Python: {@code shutdown_request(request)}: shuts a request down and closes it; by default
     * calls {@link #closeRequest}.
     *
     * @param request the request
     */
    protected void shutdownRequest(R request) {
        closeRequest(request);
    }

    /**
     * Python: {@code close_request(request)}: releases the request. Does nothing by default.
     *
     * @param request the request
     */
    protected void closeRequest(R request) {
    }

    /**
     * Python: {@code handle_error(request, client_address)}: called when a handler throws an
     * {@link Exception}; the server keeps serving. The default logs through {@link System.Logger}
     * {@code dev.socketserver}: the handler's own exceptions ({@link ErrorKind#HANDLER}) at
     * {@code ERROR} with CPython's text, "Exception occurred during processing of request from
     * ADDRESS", and the stack trace; a peer that went away, a reply that could not be delivered, a
     * timeout, a failed TLS handshake or a refused PROXY header ({@link ErrorKind#PEER_GONE},
     * {@link ErrorKind#TIMEOUT}, {@link ErrorKind#TLS_HANDSHAKE}, {@link ErrorKind#PROXY_HEADER}) in
     * one line at {@code DEBUG}, since a client that resets or speaks garbage is not a server bug
     * (CPython prints a traceback for each). Identical failures (same kind, type and place thrown) are
     * logged once per 10 s, the next line saying how many were left out, so a flood of them cannot
     * flood the log. Every failure is counted in {@link #stats()}, logged or not.
     *
     * @param request the request
     * @param clientAddress the client's address
     * @param error what was thrown (Python passes it through {@code sys.exc_info()})
     */
    protected void handleError(R request, SocketAddress clientAddress, Throwable error) {
        ErrorKind kind = kindOf(error);
        System.Logger.Level level = kind == ErrorKind.HANDLER ? System.Logger.Level.ERROR : System.Logger.Level.DEBUG;
        if (!LOG.isLoggable(level)) {
            return;
        }
        long heldBack = repeatedErrors.admit(RepeatedErrors.keyOf(kind, error));
        if (heldBack < 0) {
            return;
        }
        String more = RepeatedErrors.heldBackNote(heldBack);
        if (kind == ErrorKind.HANDLER) {
            LOG.log(level, "Exception occurred during processing of request from " + Addresses.format(clientAddress) + more, error);
        } else {
            String what = switch (kind) {
                case TIMEOUT -> "Timed out during processing of request from ";
                case TLS_HANDSHAKE -> "TLS handshake failed with ";
                case PROXY_HEADER -> "PROXY header refused from ";
                case FORCED -> "Stopped at the drain deadline: request from ";
                default -> error instanceof UndeliveredReply ? "Reply dropped during processing of request from "
                        : "Client went away during processing of request from ";
            };
            LOG.log(level, what + Addresses.format(clientAddress) + ": " + error + more);
        }
    }

    /**
     * Python: {@code handle_timeout()}: called by {@link #handleRequest()} when the timeout passes
     * with no request. Does nothing by default.
     */
    protected void handleTimeout() {
    }

    /**
     * Python: {@code service_actions()}: called once per turn of {@link #serveForever} loop, after a
     * request or after an idle {@code pollInterval}. Does nothing by default. An exception ends the loop.
     *
     * @throws IOException to end the loop with an error
     */
    protected void serviceActions() throws IOException {
    }

    /**
     * Called once after the endpoint is closed; Unix servers remove their socket file here.
     */
    void endpointClosed() {
    }

    // ---------------------------------------------------------------- options

    /**
     * Python: {@code timeout}: how long {@link #handleRequest()} waits; {@code null} (the default)
     * waits forever. {@link #serveForever} ignores it.
     *
     * @return the timeout, or {@code null}
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Sets {@link #timeout()}; only before bind.
     *
     * @param timeout the timeout, or {@code null} for none
     * @return this server
     */
    public BaseServer<R> setTimeout(Duration timeout) {
        checkNotBound("timeout");
        this.timeout = timeout == null ? null : requirePositiveOrZero(timeout, "timeout");
        return this;
    }

    /**
     * Python: {@code request_queue_size}: the {@code listen()} backlog, default 5.
     *
     * @return the backlog
     */
    public int requestQueueSize() {
        return requestQueueSize;
    }

    /**
     * Sets {@link #requestQueueSize()}; only before bind.
     *
     * @param size the backlog, at least 1
     * @return this server
     */
    public BaseServer<R> setRequestQueueSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("requestQueueSize must be at least 1: " + size);
        }
        checkNotBound("requestQueueSize");
        this.requestQueueSize = size;
        return this;
    }

    /**
     * Python: {@code allow_reuse_address}: {@code SO_REUSEADDR}, default {@code false}. Always set
     * explicitly, because Java listeners default to {@code true}.
     *
     * @return whether the address may be reused
     */
    public boolean allowReuseAddress() {
        return allowReuseAddress;
    }

    /**
     * Sets {@link #allowReuseAddress()}; only before bind.
     *
     * @param allow the new value
     * @return this server
     */
    public BaseServer<R> setAllowReuseAddress(boolean allow) {
        checkNotBound("allowReuseAddress");
        this.allowReuseAddress = allow;
        return this;
    }

    /**
     * Python: {@code allow_reuse_port}: {@code SO_REUSEPORT}, default {@code false}; ignored by Unix
     * domain sockets, as in CPython 3.13.
     *
     * @return whether the port may be shared
     */
    public boolean allowReusePort() {
        return allowReusePort;
    }

    /**
     * Sets {@link #allowReusePort()}; only before bind.
     *
     * @param allow the new value
     * @return this server
     */
    public BaseServer<R> setAllowReusePort(boolean allow) {
        checkNotBound("allowReusePort");
        this.allowReusePort = allow;
        return this;
    }

    /**
     * Returns the name shown in listings; by default the class name and address.
     *
     * @return the name
     */
    public String name() {
        String n = name;
        return n != null ? n : serverClassName() + " " + Addresses.format(serverAddress);
    }

    /**
     * Sets the name shown in listings; only before activation.
     *
     * @param name the name
     * @return this server
     */
    public BaseServer<R> setName(String name) {
        checkNotActivated("name");
        this.name = Objects.requireNonNull(name, "name");
        return this;
    }

    /**
     * Returns the registry the server joins on activation.
     *
     * @return the registry; {@link ServerRegistry#defaultRegistry()} unless set
     */
    public ServerRegistry registry() {
        return registry;
    }

    /**
     * Sets the registry the server joins on activation; only before activation.
     *
     * @param registry the registry
     * @return this server
     */
    public BaseServer<R> setRegistry(ServerRegistry registry) {
        checkNotActivated("registry");
        this.registry = Objects.requireNonNull(registry, "registry");
        return this;
    }

    // ---------------------------------------------------------------- identity and views

    /**
     * Returns this server's id: stable, URL-safe and unique in the JVM, e.g. {@code tcp-3}.
     *
     * @return the id
     */
    public final String id() {
        return id;
    }

    /**
     * Returns the kind of socket this server uses.
     *
     * @return the family
     */
    public final ServerFamily family() {
        return family;
    }

    /**
     * Returns the concurrency policy given to the constructor.
     *
     * @return the mix-in
     */
    public MixIn mixIn() {
        return mixIn;
    }

    /**
     * Returns where the server is in its life.
     *
     * @return the state
     */
    public final ServerState state() {
        return lifecycle.state();
    }

    /**
     * Returns the live counters of this server.
     *
     * @return the counters
     */
    public final ServerStats stats() {
        return stats;
    }

    /**
     * Returns a snapshot of this server for listings.
     *
     * @return the snapshot
     */
    public ServerInfo info() {
        return new ServerInfo(id, name(), serverClassName(), mixIn.name(), family, Addresses.format(serverAddress),
                fileno(), lifecycle.state(), lifecycle.startedAt(), stats.received(), stats.requestsHandled(), stats.activeRequests(),
                stats.errors(), stats.datagramsTruncated());
    }

    @Override
    public String toString() {
        return serverClassName() + "[" + id + " " + Addresses.format(serverAddress) + " " + lifecycle.state() + "]";
    }

    // ---------------------------------------------------------------- lifecycle helpers

    private void releaseLoop(Waiter waiter, boolean wasServeForever) {
        // The waiter first: while it holds the socket, closing the socket only marks it, and a
        // listening socket would go on queueing connections. shutdown() returns at exitLoop, and the
        // socket a caller closes after it must close at once (a drain closes it right then).
        try {
            waiter.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the waiter of " + id + " failed", e);
        } finally {
            lifecycle.exitLoop(wasServeForever);
        }
    }

    final boolean isClosed() {
        return lifecycle.isClosed();
    }

    /**
     * Throws {@link IllegalStateException} if the server is bound: options are fixed before bind.
     *
     * @param option the option's name, for the message
     */
    protected final void checkNotBound(String option) {
        if (lifecycle.isBound()) {
            throw new IllegalStateException(option + " cannot change after server " + id + " is bound");
        }
    }

    private void checkNotActivated(String option) {
        if (lifecycle.isActivated()) {
            throw new IllegalStateException(option + " cannot change after server " + id + " is activated");
        }
    }

    private String serverClassName() {
        Class<?> c = getClass();
        while (c.isAnonymousClass() || c.getSimpleName().isEmpty()) {
            c = c.getSuperclass();
        }
        return c.getSimpleName();
    }

    private static Duration requirePositiveOrZero(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + d);
        }
        return d;
    }

    /**
     * Python's constructor body with {@code bind_and_activate=True}: {@link #serverBind()} then
     * {@link #serverActivate()}; if either fails the server is closed before the exception leaves, so
     * a failed bind leaks no descriptor (bpo-22435). For the constructors of server classes.
     *
     * @throws IOException from bind or activate
     */
    protected final void bindAndActivate() throws IOException {
        try {
            serverBind();
            serverActivate();
        } catch (Throwable t) {
            closeAfterFailure(t);
            throw t;
        }
    }

    /**
     * Closes quietly; used by constructors when bind or activate fails, so nothing leaks (bpo-22435).
     *
     * @param failure the failure to attach close problems to
     */
    final void closeAfterFailure(Throwable failure) {
        try {
            serverClose(Duration.ZERO);
        } catch (Throwable t) {
            failure.addSuppressed(t);
        }
    }
}
