package dev.socketserver.impl;

import dev.socketserver.spi.DatagramEndpoint;

import java.io.IOException;
import java.net.ProtocolFamily;

/** Chooses the datagram endpoint for a family. */
final class DatagramEndpoints {

    private DatagramEndpoints() {
    }

    static DatagramEndpoint open(ProtocolFamily family) throws IOException {
        throw new UnsupportedOperationException("datagram servers are not available yet (" + family + ")");
    }
}
