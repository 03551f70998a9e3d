package dev.socketserver.samples.bench;

import dev.socketserver.StreamRequestHandler;

import java.io.IOException;

/**
 * The benchmark's connect-per-request echo (CPython anchor: {@code py_echo.py --once}): reads one
 * line (the generator's whole message), writes it back and returns; the server then shuts the
 * connection down and closes it.
 */
public class OnceEchoHandler extends StreamRequestHandler {

    /** For {@code OnceEchoHandler::new}. */
    public OnceEchoHandler() {
    }

    @Override
    protected void handle() throws IOException {
        byte[] line = rfile().readLine(65_537);
        if (line.length > 0) {
            wfile().write(line);
        }
    }
}
