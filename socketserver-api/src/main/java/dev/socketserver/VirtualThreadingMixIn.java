package dev.socketserver;

/**
 * A virtual thread for each request: {@link ThreadingMixIn}'s semantics at a few kilobytes per
 * connection. The recommended mix-in. Python has no counterpart.
 *
 * <p>Blocking socket reads and writes in a handler park the virtual thread instead of holding an OS
 * thread. Virtual threads are always daemon threads; {@code daemonThreads} keeps its Python meaning
 * for tracking: with the default {@code false} the threads are tracked and {@code serverClose()} waits
 * for them ({@code blockOnClose}).
 */
public class VirtualThreadingMixIn extends ThreadPerRequestMixIn {

    /** Creates the mix-in with CPython's {@code ThreadingMixIn} defaults. */
    public VirtualThreadingMixIn() {
    }

    @Override
    protected Thread newThread(String name, boolean daemon, Runnable task) {
        return Thread.ofVirtual().name(name).unstarted(task);
    }

    @Override
    public VirtualThreadingMixIn setDaemonThreads(boolean daemon) {
        super.setDaemonThreads(daemon);
        return this;
    }

    @Override
    public VirtualThreadingMixIn setBlockOnClose(boolean block) {
        super.setBlockOnClose(block);
        return this;
    }

    @Override
    public VirtualThreadingMixIn setMaxConcurrentRequests(int max) {
        super.setMaxConcurrentRequests(max);
        return this;
    }
}
