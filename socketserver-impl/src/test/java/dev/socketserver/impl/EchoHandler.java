package dev.socketserver.impl;

import dev.socketserver.DatagramRequestHandler;

import java.io.IOException;

/** CPython's test handler: {@code wfile.write(rfile.readline())}. */
class EchoHandler extends DatagramRequestHandler {
    @Override
    protected void handle() throws IOException {
        wfile().write(rfile().readLine());
    }
}
