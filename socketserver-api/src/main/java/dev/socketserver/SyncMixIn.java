package dev.socketserver;

import java.net.SocketAddress;

/** The synchronous policy: Python's {@code BaseServer.process_request}, one request at a time. */
final class SyncMixIn extends MixIn {

    @Override
    protected <R> void processRequest(BaseServer<R> server, R request, SocketAddress clientAddress) throws Exception {
        finishAndShutdownRequest(server, request, clientAddress);
    }

    @Override
    public String name() {
        return "sync";
    }
}
