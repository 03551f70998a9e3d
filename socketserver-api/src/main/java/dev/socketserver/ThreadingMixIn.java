package dev.socketserver;

import java.time.Duration;

/**
 * Python: {@code socketserver.ThreadingMixIn}: a new platform thread for each request.
 *
 * <p>Defaults as CPython: {@code daemonThreads} false, {@code blockOnClose} true. Give an instance to
 * any server constructor, or use {@link ThreadingTCPServer} and its siblings. For many concurrent
 * connections prefer {@link VirtualThreadingMixIn}: a platform thread costs about 60 KB.
 */
public class ThreadingMixIn extends ThreadPerRequestMixIn {

    /** Creates the mix-in with CPython's defaults. */
    public ThreadingMixIn() {
    }

    @Override
    protected Thread newThread(long number, boolean daemon, Runnable task) {
        return Thread.ofPlatform().name(threadName(number)).daemon(daemon).unstarted(task);
    }

    @Override
    public ThreadingMixIn setDaemonThreads(boolean daemon) {
        super.setDaemonThreads(daemon);
        return this;
    }

    @Override
    public ThreadingMixIn setBlockOnClose(boolean block) {
        super.setBlockOnClose(block);
        return this;
    }

    @Override
    public ThreadingMixIn setMaxConcurrentRequests(int max) {
        super.setMaxConcurrentRequests(max);
        return this;
    }

    @Override
    public ThreadingMixIn setRequestsPerThread(int requests) {
        super.setRequestsPerThread(requests);
        return this;
    }

    @Override
    public ThreadingMixIn setThreadKeepAlive(Duration keepAlive) {
        super.setThreadKeepAlive(keepAlive);
        return this;
    }
}
