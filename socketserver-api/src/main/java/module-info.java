/**
 * Python's {@code socketserver} for Java: the public API.
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
