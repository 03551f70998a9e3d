/**
 * The engine behind {@code dev.socketserver.api}: NIO selector loop, socket creation and options,
 * fileno discovery, an edge-triggered epoll poller for connections served on virtual threads, and
 * the FFM binding for Unix datagram sockets. Exports nothing.
 *
 * <p>Run-time flags: {@code --add-exports java.base/sun.nio.ch=dev.socketserver.impl} lets
 * {@code fileno()} read the descriptor of NIO channels directly (without it the engine matches the
 * socket's inode in {@code /proc}); {@code --enable-native-access=dev.socketserver.impl} (or
 * {@code --enable-native-access=ALL-UNNAMED} when this module is on the class path) is needed by
 * Unix datagram servers: the FFM binding loads when the first one is created, so TCP, UDP and Unix
 * stream servers never trigger the native-access check. With both flags, connections served on
 * virtual threads wait through the engine's own epoll poller (the module checks
 * {@link java.lang.Module#isNativeAccessEnabled()} first, so it never causes a warning);
 * {@code -Ddev.socketserver.poller=jdk} turns that off.
 */
module dev.socketserver.impl {
    requires dev.socketserver.api;

    provides dev.socketserver.spi.EngineProvider with dev.socketserver.impl.NioEngineProvider;
}
