/**
 * Runnable samples of {@code dev.socketserver}: the original example (a threading TCP server that
 * answers with a line typed at its console), echo servers and clients, a chat room and a tiny HTTP
 * file server, each a class with its own {@code main}; the {@code demo} of every family with the admin
 * gateway; and the benchmark's load generator ({@code samples bench}, package
 * {@code dev.socketserver.samples.bench}). The launcher {@code socketserver-samples/samples} starts
 * them all.
 *
 * <p>Needs the api at compile time; the engine ({@code dev.socketserver.impl}) must be on the module
 * path at run time, where {@code ServiceLoader} finds it. The admin gateway is optional: only
 * {@code echo --admin} and {@code demo} use it, so a sample such as {@code TcpEchoServer} runs with the
 * api, impl and samples jars alone. Exports nothing.
 */
module dev.socketserver.samples {
    requires dev.socketserver.api;
    // sun.misc.Signal: SIGTERM drains the servers (DrainOnSignal); a shutdown hook would be too late for that
    requires jdk.unsupported;
    // The samples' one log backend and format (SampleLogging): the library's System.Logger lands there.
    requires java.logging;
    // Optional at run time: resolved only when added (--add-modules dev.socketserver.admin, as the launcher
    // does for --admin and demo), so Javalin, Jetty, Jackson, Micrometer and Kotlin stay off the other samples.
    requires static dev.socketserver.admin;
}
