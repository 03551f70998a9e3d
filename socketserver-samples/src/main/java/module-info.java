/**
 * Runnable samples of {@code dev.socketserver}: the original example (a threading TCP server that
 * answers with a line typed at its console), echo servers and clients, a chat room and a tiny HTTP
 * file server, the {@code demo} of every family with the admin gateway, and the benchmark's load
 * generator ({@code samples bench}), all started by the launcher {@code socketserver-samples/samples}.
 *
 * <p>Needs the api (and the admin gateway, for {@code echo --admin} and {@code demo}) at compile
 * time; the engine ({@code dev.socketserver.impl}) must be on the module path at run time, where
 * {@code ServiceLoader} finds it. Exports nothing.
 */
module dev.socketserver.samples {
    requires dev.socketserver.api;
    requires dev.socketserver.admin;
}
