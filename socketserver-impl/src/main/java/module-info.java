/**
 * The engine behind {@code dev.socketserver.api}: NIO selector loop, socket creation and options,
 * fileno discovery, and the FFM binding for Unix datagram sockets. Exports nothing.
 *
 * <p>Run-time flags: {@code --add-exports java.base/sun.nio.ch=dev.socketserver.impl} lets
 * {@code fileno()} read the descriptor of NIO channels directly (without it the engine matches the
 * socket's inode in {@code /proc}); {@code --enable-native-access=dev.socketserver.impl} is needed
 * only by Unix datagram servers.
 */
module dev.socketserver.impl {
    requires dev.socketserver.api;

    provides dev.socketserver.spi.EngineProvider with dev.socketserver.impl.NioEngineProvider;
}
