package dev.socketserver;

/** The synchronous policy: Python's {@code BaseServer.process_request}, one request at a time. */
final class SyncMixIn extends MixIn {

    /** Runs the job on the serving thread; the loop takes the next request when it returns. */
    @Override
    protected void processRequest(RequestJob job) {
        job.run();
    }

    @Override
    public String name() {
        return "sync";
    }
}
