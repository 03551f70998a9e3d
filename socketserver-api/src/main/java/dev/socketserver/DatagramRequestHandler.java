package dev.socketserver;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Python: {@code socketserver.DatagramRequestHandler}: a handler for datagram servers that reads the
 * packet through {@link #rfile()} and collects the reply in {@link #wfile()}.
 *
 * <pre>{@code
 * class Echo extends DatagramRequestHandler {
 *     @Override protected void handle() throws IOException {
 *         wfile().write(rfile().readLine());
 *     }
 * }
 * }</pre>
 *
 * <p>As in CPython, {@link #finish()} always sends what {@code wfile} holds to the client as one
 * datagram: an empty datagram when nothing was written, and the partial reply when {@code handle()}
 * threw (then {@code handleError} runs after the send). A client whose Unix socket is not bound has
 * no address ({@link #clientAddress()} is {@code null}); the reply then fails with an
 * {@link IOException} that says so, which reaches {@code handleError}, as Python's {@code sendto}
 * raises there.
 */
public class DatagramRequestHandler extends BaseRequestHandler<DatagramRequest> {

    private byte[] packet;
    private LineInputStream rfile;
    private ReplyBuffer wfile;

    /** For subclasses and for {@code DatagramRequestHandler::new}. */
    public DatagramRequestHandler() {
    }

    /**
     * Python: {@code DatagramRequestHandler.setup()}: {@code self.packet, self.socket = self.request},
     * {@code rfile = BytesIO(packet)}, {@code wfile = BytesIO()}. Overrides must call
     * {@code super.setup()}.
     */
    @Override
    protected void setup() {
        packet = request().packetArray(); // the handler's packet() is the datagram; request().packet() still copies
        rfile = null; // made on first use: many handlers only look at packet()
        wfile = new ReplyBuffer(Math.max(32, Math.min(packet.length, LineInputStream.DEFAULT_BUFFER_SIZE)));
    }

    /**
     * Python: {@code DatagramRequestHandler.finish()}: {@code socket.sendto(wfile.getvalue(),
     * client_address)}, unconditionally.
     *
     * @throws IOException if the reply cannot be sent, e.g. to an unbound Unix client; counted in
     *     {@link ServerStats#dropped()}
     */
    @Override
    protected void finish() throws IOException {
        request().reply(wfile.contents());
    }

    /**
     * {@code wfile}: sized for a reply as long as the packet (an echo never grows it), and sent from
     * its own array, without the copy {@code toByteArray()} makes.
     */
    private static final class ReplyBuffer extends ByteArrayOutputStream {
        ReplyBuffer(int size) {
            super(size);
        }

        synchronized ByteBuffer contents() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }

    /**
     * Python: {@code self.rfile}: the packet as a stream, with {@link LineInputStream#readLine()}.
     *
     * @return the input stream, available from {@link #setup()} on
     */
    public final LineInputStream rfile() {
        if (rfile == null && packet != null) {
            rfile = new LineInputStream(new ByteArrayInputStream(packet),
                    Math.max(1, Math.min(packet.length, LineInputStream.DEFAULT_BUFFER_SIZE)));
        }
        return rfile;
    }

    /**
     * Python: {@code self.wfile}: collects the reply that {@link #finish()} sends as one datagram.
     *
     * @return the collector, available from {@link #setup()} on
     */
    public final ByteArrayOutputStream wfile() {
        return wfile;
    }

    /**
     * Python: {@code self.packet}: the bytes received, at most {@code maxPacketSize}. The array is the
     * request's own (not copied per datagram): a handler that changes it changes what
     * {@code request().packet()} and {@code packetBuffer()} return afterwards.
     *
     * @return the packet
     */
    public final byte[] packet() {
        return packet;
    }

    /**
     * Python: {@code self.socket}: the server's socket, to send further datagrams to any address.
     * Here it is the request itself, which sends through the server's socket.
     *
     * @return the request
     */
    public final DatagramRequest socket() {
        return request();
    }
}
