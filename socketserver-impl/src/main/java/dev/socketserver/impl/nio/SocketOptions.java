package dev.socketserver.impl.nio;

import dev.socketserver.spi.BindOptions;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;

/** Applies the reuse options explicitly: Java listeners default to SO_REUSEADDR on, Python's to off. */
final class SocketOptions {

    private SocketOptions() {
    }

    static void applyReuse(NetworkChannel channel, BindOptions options) throws IOException {
        if (channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEADDR)) {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
        }
        // Unix domain sockets have no SO_REUSEPORT; CPython 3.13 skips it there too.
        if (channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
            channel.setOption(StandardSocketOptions.SO_REUSEPORT, options.reusePort());
        }
    }
}
