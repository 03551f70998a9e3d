package dev.socketserver;

/**
 * Python: {@code socketserver.ThreadingMixIn}: each request on a platform thread of its own.
 *
 * <p>Defaults as CPython: {@code daemonThreads} false, {@code blockOnClose} true. A thread that has
 * finished its request waits up to {@link #threadKeepAlive()} (50 ms) for the next one, so a busy
 * server does not pay a thread start per request; no request ever waits for a busy thread. Give an
 * instance to any server constructor, or use {@link ThreadingTCPServer} and its siblings. For many
 * concurrent connections prefer {@link VirtualThreadingMixIn}: a platform thread costs about 60 KB.
 */
public class ThreadingMixIn extends ThreadPerRequestMixIn<ThreadingMixIn> {

    /** Creates the mix-in with CPython's defaults. */
    public ThreadingMixIn() {
    }

    @Override
    protected Thread newThread(String serverId, long number, boolean daemon, Runnable task) {
        return Thread.ofPlatform().name(threadName(serverId, number)).daemon(daemon).unstarted(task);
    }
}
