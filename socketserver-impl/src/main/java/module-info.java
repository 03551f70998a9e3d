/**
 * The engine behind {@code dev.socketserver.api}. Exports nothing. Its packages, each depending only
 * on those below it:
 * <ul>
 *   <li>{@code dev.socketserver.impl}: the {@code EngineProvider}, which picks an endpoint per family;</li>
 *   <li>{@code .nio}: NIO listening and UDP endpoints, their selector waiters, and the accepted
 *       {@code ChannelConnection} with its two ways to wait (the poller, or a selector of its own);</li>
 *   <li>{@code .unix}: the FFM binding for Unix datagram sockets (loaded on the first one only), and
 *       the taking of an inherited socket on fd 3 or above (systemd's {@code LISTEN_FDS});</li>
 *   <li>{@code .poller}: the edge-triggered epoll poller (FFM; only with native access);</li>
 *   <li>{@code .os}: fileno, errno, bind errors, the datagram send retry.</li>
 * </ul>
 *
 * <p>Run-time flags: {@code --add-exports java.base/sun.nio.ch=dev.socketserver.impl} lets
 * {@code fileno()} read the descriptor of NIO channels directly (without it the engine matches a
 * listening socket's inode in {@code /proc}); {@code --enable-native-access=dev.socketserver.impl} (or
 * {@code --enable-native-access=ALL-UNNAMED} when this module is on the class path) is needed by
 * Unix datagram servers: the FFM binding loads when the first one is created, so TCP, UDP and Unix
 * stream servers never trigger the native-access check. Taking a socket systemd passed on fd 3
 * ({@code InheritedSockets}) needs native access too, and refuses with a message naming the flag
 * without it; a socket on standard input does not. With both flags, connections served on
 * virtual threads, and connections with a timeout, wait through the engine's own epoll poller (the
 * module checks {@link java.lang.Module#isNativeAccessEnabled()} first, so it never causes a
 * warning); {@code -Ddev.socketserver.poller=jdk} turns that off.
 */
module dev.socketserver.impl {
    requires dev.socketserver.api;

    provides dev.socketserver.spi.EngineProvider with dev.socketserver.impl.NioEngineProvider;
}
