package dev.socketserver.samples.bench;

import dev.socketserver.StreamRequestHandler;

import java.io.IOException;

/**
 * The benchmark's stream echo (CPython anchor: {@code py_echo.py}'s {@code LineEcho}): reads a line
 * with {@code rfile().readLine()} and writes it back, until the client closes.
 */
public class LineEchoHandler extends StreamRequestHandler {

    /** For {@code LineEchoHandler::new}. */
    public LineEchoHandler() {
    }

    @Override
    protected void handle() throws IOException {
        while (true) {
            byte[] line = rfile().readLine(65_537);
            if (line.length == 0) {
                return;
            }
            wfile().write(line);
        }
    }
}
