package dev.socketserver.impl;

import dev.socketserver.StreamRequestHandler;

import java.io.IOException;

/** CPython test_socketserver's MyHandler: echo one line. */
class Echo extends StreamRequestHandler {
    @Override
    protected void handle() throws IOException {
        wfile().write(rfile().readLine());
    }
}
