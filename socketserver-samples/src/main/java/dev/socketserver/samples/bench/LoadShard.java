package dev.socketserver.samples.bench;

import dev.socketserver.samples.bench.LoadOptions.Mode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One selector thread of a {@link LoadGenerator}: owns the connections {@code i} with
 * {@code i % shards == index}, its own histogram and counters. The event handling follows
 * {@code loadgen.c} step by step (states, ramp, reopening closed slots, UDP slots and timeouts), with
 * one difference: on a readable datagram socket it reads at most {@code window} replies (loadgen.c: up
 * to 256). Re-sending each slot at once, a longer loop kept finding fresh echoes on the same socket
 * and starved the others: the same req/s, but a p50 of 9 µs against loadgen.c's 110 µs on the same
 * C server. With the bound both give a narrow distribution around Little's law (in flight ÷ req/s).
 */
final class LoadShard implements Runnable {

    private static final int FREE = 0, CONNECTING = 1, SENDING = 2, RECEIVING = 3, IDLE = 4, HANDSHAKING = 5;
    private static final long MAX_ERRORS = 5_000_000;
    private static final long UDP_SCAN_NANOS = 2_000_000;

    /** One connection or datagram socket slot. */
    private static final class Conn {
        SelectableChannel channel;
        SelectionKey key;
        int state = FREE;
        int got;
        long start;
        boolean ready;
        boolean inRamp;
        ByteBuffer out;
        TlsConnection tls;  // null for plaintext
        int[] generation;   // udp
        long[] sentAt;      // udp
        boolean[] busy;     // udp
    }

    private final LoadGenerator gen;
    private final TlsClient tlsClient;
    private final LoadOptions o;
    private final Mode mode;
    private final int size;
    private final int rampConcurrency;
    private final List<Conn> conns = new ArrayList<>();
    private final ArrayDeque<Conn> reopen = new ArrayDeque<>();
    private final ByteBuffer message;
    private final ByteBuffer udpOut;
    private final ByteBuffer in;
    private final LatencyHistogram histogram = new LatencyHistogram();
    private Selector selector;
    private int phase;
    private int nextToOpen;
    private int inRamp;
    private boolean rampedHere;
    private boolean started;

    private long reqs, reqsAll, errors, lost, late;
    private volatile int ready;
    // copies for the progress line, published once per selector pass with a release store (a plain move on
    // x86), so the request path pays no fence
    private final AtomicLong publishedReqsAll = new AtomicLong();
    private final AtomicLong publishedErrors = new AtomicLong();

    LoadShard(LoadGenerator gen, LoadOptions o, TlsClient tlsClient, int index, int shards, int rampConcurrency) {
        this.gen = gen;
        this.tlsClient = tlsClient;
        this.o = o;
        this.mode = o.mode();
        this.size = o.size();
        this.rampConcurrency = rampConcurrency;
        for (int i = index; i < o.conns(); i += shards) {
            Conn c = new Conn();
            if (mode == Mode.UDP) {
                c.generation = new int[o.window()];
                c.sentAt = new long[o.window()];
                c.busy = new boolean[o.window()];
            }
            conns.add(c);
        }
        ByteBuffer m = ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < size - 1; i++) {
            m.put((byte) 'x');
        }
        m.put((byte) '\n').flip();
        message = m;
        udpOut = ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN).put(m.duplicate()).flip();
        in = ByteBuffer.allocateDirect(Math.max(size, 65536)).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void run() {
        try (Selector s = Selector.open()) {
            selector = s;
            loop();
        } catch (IOException e) {
            gen.stopAll("selector failed: " + e);
        } finally {
            for (Conn c : conns) {
                closeQuietly(c);
            }
        }
    }

    private void loop() throws IOException {
        phase = gen.phase(System.nanoTime());
        if (mode == Mode.CONNECT || mode == Mode.UDP) {
            for (Conn c : conns) {
                open(c);
            }
        }
        long lastScan = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            phase = gen.phase(now);
            if (phase == LoadGenerator.DONE) {
                return;
            }
            if (phase == LoadGenerator.RAMP) {
                rampStep(now);
            } else if (!started) {
                started = true;
                if (mode != Mode.IDLE) {
                    for (Conn c : conns) {
                        if (c.state == IDLE) {
                            startRequest(c);
                        }
                    }
                }
            }
            if (phase >= LoadGenerator.WARM && mode != Mode.IDLE) {
                for (int k = reopen.size(); k > 0; k--) {
                    open(reopen.poll()); // keep the offered concurrency (connect mode, or after errors)
                }
            }
            if (errors > MAX_ERRORS) {
                gen.stopAll("too many errors");
            }
            if (mode == Mode.UDP && now - lastScan > UDP_SCAN_NANOS) {
                udpTimeouts(now);
                lastScan = now;
            }
            selector.select(this::onKey, 2);
            publishedReqsAll.setRelease(reqsAll);
            publishedErrors.setRelease(errors);
        }
    }

    private void rampStep(long now) {
        if (rampedHere) {
            return;
        }
        while (inRamp < rampConcurrency && (!reopen.isEmpty() || nextToOpen < conns.size())) {
            Conn c = reopen.isEmpty() ? conns.get(nextToOpen++) : reopen.poll();
            c.inRamp = true;
            inRamp++;
            open(c);
        }
        boolean all = ready >= conns.size();
        if (all || now - (gen.startNanos() + o.rampTimeout().toNanos()) > 0) {
            rampedHere = true;
            if (!all) {
                gen.note("ramp timeout, " + ready + "/" + conns.size() + " ready on " + Thread.currentThread().getName());
            }
            gen.shardRamped(now);
        }
    }

    // ---------------------------------------------------------------- open / close

    private void open(Conn c) {
        c.got = 0;
        if (c.ready) {
            c.ready = false; // a reopened connection counts again after its first echo
            ready--;
        }
        try {
            if (mode == Mode.UDP) {
                DatagramChannel dc = DatagramChannel.open(o.target().isIpv6() ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                c.channel = dc;
                dc.configureBlocking(false);
                dc.connect(o.target().address());
                c.key = dc.register(selector, SelectionKey.OP_READ, c);
                c.state = RECEIVING;
                if (phase <= LoadGenerator.MEASURE) {
                    for (int s = 0; s < o.window(); s++) {
                        udpSend(c, s);
                    }
                }
                return;
            }
            SocketChannel sc = o.target().isUnix() ? SocketChannel.open(StandardProtocolFamily.UNIX)
                    : SocketChannel.open(o.target().isIpv6() ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            c.channel = sc;
            sc.configureBlocking(false);
            if (!o.target().isUnix()) {
                sc.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            if (c.out == null) {
                c.out = message.duplicate();
            }
            // a new engine per connection, also for a reopened slot: a full handshake every time
            c.tls = tlsClient == null ? null : tlsClient.connection(sc);
            c.start = System.nanoTime();
            c.state = CONNECTING;
            if (sc.connect(o.target().address())) {
                c.key = sc.register(selector, SelectionKey.OP_READ, c);
                connected(c);
            } else {
                c.key = sc.register(selector, SelectionKey.OP_CONNECT, c);
            }
        } catch (IOException | UncheckedIOException e) {
            errors++; // refused, or (unix) backlog full: the slot is retried
            close(c);
        }
    }

    private void close(Conn c) {
        boolean wasOpen = c.state != FREE;
        closeQuietly(c);
        if (c.inRamp && !c.ready) {
            c.inRamp = false;
            inRamp--;
        }
        if (wasOpen && phase < LoadGenerator.DONE && !(mode == Mode.IDLE && phase >= LoadGenerator.WARM)) {
            reopen.add(c);
        }
    }

    private static void closeQuietly(Conn c) {
        if (c.tls != null) {
            if (c.state != FREE && c.state != CONNECTING) {
                c.tls.closeQuietly(); // close_notify, so that a TLS server sees a clean end, not an error
            }
            c.tls = null;
        }
        c.state = FREE;
        if (c.key != null) {
            c.key.cancel();
            c.key = null;
        }
        if (c.channel != null) {
            try {
                c.channel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
            c.channel = null;
        }
    }

    // ---------------------------------------------------------------- stream requests

    /** The TCP connection is up: plaintext starts the request, TLS the handshake first. */
    private void connected(Conn c) {
        if (c.tls == null) {
            startRequest(c);
            return;
        }
        c.state = HANDSHAKING;
        handshakeStep(c);
    }

    private void handshakeStep(Conn c) {
        int r;
        try {
            r = c.tls.handshake();
        } catch (IOException | RuntimeException e) {
            errors++; // a failed handshake or a peer that left: the slot is retried, as a refused connect
            gen.noteTlsFailure(e);
            close(c);
            return;
        }
        switch (r) {
            case TlsConnection.DONE -> {
                gen.tlsNegotiated(c.tls);
                startRequest(c);
            }
            case TlsConnection.NEED_WRITE -> c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            default -> c.key.interestOps(SelectionKey.OP_READ);
        }
    }

    private void startRequest(Conn c) {
        if (mode != Mode.CONNECT) {
            c.start = System.nanoTime();
        }
        c.got = 0;
        c.out.clear();
        int r = send(c);
        if (r < 0) {
            errors++;
            close(c);
        } else if (r == 0) {
            c.state = SENDING;
            c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        } else {
            c.state = RECEIVING;
            c.key.interestOps(SelectionKey.OP_READ);
        }
    }

    /** @return 1 when the whole message is sent, 0 if the socket is full, -1 on error */
    private int send(Conn c) {
        try {
            if (c.tls != null) {
                return c.tls.write(c.out);
            }
            SocketChannel sc = (SocketChannel) c.channel;
            while (c.out.hasRemaining()) {
                if (sc.write(c.out) == 0) {
                    return 0;
                }
            }
            return 1;
        } catch (IOException e) {
            return -1;
        }
    }

    private void onKey(SelectionKey key) {
        Conn c = (Conn) key.attachment();
        if (!key.isValid() || c.key != key) {
            return;
        }
        if (mode == Mode.UDP) {
            udpReadable(c);
        } else {
            streamEvent(c, key);
        }
    }

    private void streamEvent(Conn c, SelectionKey key) {
        SocketChannel sc = (SocketChannel) c.channel;
        if (c.state == CONNECTING) {
            try {
                if (!sc.finishConnect()) {
                    return;
                }
            } catch (IOException e) {
                errors++;
                close(c);
                return;
            }
            connected(c);
            return;
        }
        if (c.state == HANDSHAKING) {
            handshakeStep(c);
            return;
        }
        if (key.isWritable() && c.state == SENDING) {
            int r = send(c);
            if (r < 0) {
                errors++;
                close(c);
                return;
            }
            if (r == 1) {
                c.state = RECEIVING;
                key.interestOps(SelectionKey.OP_READ);
            }
        }
        if (!key.isReadable()) {
            return;
        }
        while (true) {
            in.clear();
            int n;
            try {
                n = c.tls == null ? sc.read(in) : c.tls.read(in);
            } catch (IOException e) {
                errors++; // reset
                close(c);
                return;
            }
            if (n == 0) {
                return;
            }
            if (n < 0) {
                errors++; // EOF before the echo was complete, or while the connection should stay open
                close(c);
                return;
            }
            if (c.state == IDLE) {
                continue; // unexpected data while idle: ignored, as loadgen.c does
            }
            c.got += n;
            if (c.got > size) {
                errors++; // longer echo than sent
                close(c);
                return;
            }
            if (c.got == size && !c.out.hasRemaining()) {
                completed(c);
                return;
            }
        }
    }

    private void completed(Conn c) {
        long t = System.nanoTime();
        record(c.start, t);
        if (!c.ready) {
            c.ready = true;
            ready++;
            if (c.inRamp) {
                c.inRamp = false;
                inRamp--;
            }
        }
        if (mode == Mode.CONNECT) {
            close(c); // reopened by the loop
            return;
        }
        if (phase == LoadGenerator.RAMP || mode == Mode.IDLE) {
            c.state = IDLE; // wait for the ramp to complete; then (not idle mode) start again
            c.key.interestOps(SelectionKey.OP_READ);
            return;
        }
        startRequest(c);
    }

    private void record(long start, long t) {
        reqsAll++;
        if (gen.measured(t)) {
            histogram.record(t - start);
            reqs++;
        }
    }

    // ---------------------------------------------------------------- datagrams

    private void udpSend(Conn c, int slot) {
        long now = System.nanoTime();
        int g = ++c.generation[slot];
        udpOut.clear();
        UdpHeader.put(udpOut, slot, g, now);
        c.sentAt[slot] = now;
        c.busy[slot] = true;
        try {
            if (((DatagramChannel) c.channel).write(udpOut) != size) {
                errors++; // full socket buffer: the slot stays busy and times out
            }
        } catch (IOException e) {
            errors++; // e.g. ECONNREFUSED from an ICMP error
        }
    }

    private void udpReadable(Conn c) {
        DatagramChannel dc = (DatagramChannel) c.channel;
        for (int k = 0; k < o.window(); k++) { // only the replies in flight: staying on one socket starves the others
            in.clear();
            int n;
            try {
                n = dc.read(in);
            } catch (IOException e) {
                errors++;
                return;
            }
            if (n <= 0) {
                return;
            }
            if (n != size) {
                errors++;
                continue;
            }
            int slot = UdpHeader.slot(in);
            if (slot < 0 || slot >= o.window() || !c.busy[slot] || UdpHeader.generation(in) != c.generation[slot]) {
                late++;
                continue;
            }
            record(c.sentAt[slot], System.nanoTime());
            c.busy[slot] = false;
            if (phase <= LoadGenerator.MEASURE) {
                udpSend(c, slot);
            }
        }
    }

    private void udpTimeouts(long now) {
        long timeout = o.udpTimeout().toNanos();
        for (Conn c : conns) {
            if (c.state != RECEIVING) {
                continue;
            }
            for (int s = 0; s < o.window(); s++) {
                if (c.busy[s] && now - c.sentAt[s] > timeout) {
                    if (phase == LoadGenerator.MEASURE) {
                        lost++;
                    }
                    c.busy[s] = false;
                    udpSend(c, s);
                }
            }
        }
    }

    // ---------------------------------------------------------------- results (read after the thread ended)

    long publishedReqsAll() {
        return publishedReqsAll.getAcquire();
    }

    long publishedErrors() {
        return publishedErrors.getAcquire();
    }

    LatencyHistogram histogram() {
        return histogram;
    }

    long reqs() {
        return reqs;
    }

    long reqsAll() {
        return reqsAll;
    }

    long errors() {
        return errors;
    }

    long lost() {
        return lost;
    }

    long late() {
        return late;
    }

    int ready() {
        return ready;
    }
}
