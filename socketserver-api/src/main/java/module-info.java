/**
 * Python's {@code socketserver} for Java: the public API. A complete threading echo server:
 * {@snippet :
 * class Echo extends StreamRequestHandler {
 *     @Override protected void handle() throws IOException {
 *         wfile().write(rfile().readLine());
 *     }
 * }
 * try (var server = new ThreadingTCPServer(new InetSocketAddress("127.0.0.1", 8888), Echo::new)) {
 *     server.serveForever();
 * }
 * }
 *
 * <p>Put {@code socketserver-impl} (module {@code dev.socketserver.impl}) beside this module at run time
 * and write {@code requires dev.socketserver.api;} in your own {@code module-info.java}.
 *
 * <p>Exports the server classes, request handlers and mix-ins ({@code dev.socketserver}) and the
 * engine SPI ({@code dev.socketserver.spi}). Requires nothing beyond {@code java.base}; the engine
 * that does the socket work is found at run time through {@link java.util.ServiceLoader}
 * (module {@code dev.socketserver.impl}).
 */
module dev.socketserver.api {
    exports dev.socketserver;
    exports dev.socketserver.spi;

    uses dev.socketserver.spi.EngineProvider;
}
