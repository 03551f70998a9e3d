package dev.socketserver;

import dev.socketserver.spi.StreamConnection;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

/**
 * Reads the PROXY header at the start of a connection, on the request's thread, with the whole read
 * bounded by a deadline (a proxy, or someone pretending to be one, that trickles bytes is cut off
 * there). Bytes read past the header are replayed to the next layer.
 */
final class ProxyHeaderReader {

    /**
     * What the connection started with.
     *
     * @param header the header, or {@code null} when an optional one was absent
     * @param stream the connection to read on from: the same one, or a replay of bytes read ahead
     */
    record Result(ProxyHeader header, StreamConnection stream) {
    }

    private ProxyHeaderReader() {
    }

    /**
     * Reads the header.
     *
     * @param stream the accepted connection
     * @param mode {@link ProxyProtocol#OPTIONAL} or {@link ProxyProtocol#REQUIRED}
     * @param trusted whether the peer may send a header at all
     * @param deadline the {@link System#nanoTime()} by which the header must be complete
     * @param timeout the limit, for the message
     * @throws ProxyHeaderException if the header is refused; the connection is to be closed
     * @throws IOException if reading fails otherwise (a reset)
     */
    static Result read(StreamConnection stream, ProxyProtocol mode, boolean trusted, long deadline, Duration timeout)
            throws IOException {
        if (!trusted && mode == ProxyProtocol.REQUIRED) {
            throw new ProxyHeaderException("PROXY header required, but the peer is not in the trusted networks");
        }
        Duration saved = stream.timeout();
        byte[] data = new byte[256];
        int length = 0;
        try {
            while (true) {
                ProxyHeaderParser.Parsed parsed = ProxyHeaderParser.parse(data, length);
                switch (parsed.kind()) {
                    case HEADER -> {
                        if (!trusted) {
                            throw new ProxyHeaderException("PROXY header from a peer that is not in the trusted networks");
                        }
                        return new Result(parsed.header(), replay(stream, data, parsed.length(), length));
                    }
                    case NONE -> {
                        if (mode == ProxyProtocol.REQUIRED) {
                            throw new ProxyHeaderException("no PROXY header: the connection starts with '"
                                    + ProxyHeaderParser.printable(new String(data, 0, Math.min(length, 40),
                                    java.nio.charset.StandardCharsets.ISO_8859_1)) + "'");
                        }
                        return new Result(null, replay(stream, data, 0, length));
                    }
                    case NEED_MORE -> {
                        if (length == data.length) {
                            data = Arrays.copyOf(data, Math.min(data.length * 4, ProxyHeaderParser.MAX_HEADER));
                        }
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            throw new SocketTimeoutException();
                        }
                        stream.setTimeout(Duration.ofNanos(left));
                        int n = stream.read(ByteBuffer.wrap(data, length, data.length - length));
                        if (n < 0) {
                            if (length == 0 && mode == ProxyProtocol.OPTIONAL) {
                                return new Result(null, stream); // closed before a byte: the handler sees EOF
                            }
                            throw new ProxyHeaderException("connection closed after " + length + " bytes, before a complete PROXY header");
                        }
                        length += n;
                    }
                }
            }
        } catch (SocketTimeoutException e) {
            throw new ProxyHeaderException("no complete PROXY header within " + timeout + " (" + length + " bytes came)", e);
        } finally {
            stream.setTimeout(saved);
        }
    }

    private static StreamConnection replay(StreamConnection stream, byte[] data, int from, int to) {
        return from == to ? stream : new ReplayLayer(stream, data, from, to - from);
    }
}
