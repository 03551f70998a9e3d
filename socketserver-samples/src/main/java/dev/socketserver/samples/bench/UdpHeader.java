package dev.socketserver.samples.bench;

import java.nio.ByteBuffer;

/**
 * The 16-byte header at the start of every load datagram, laid out as {@code loadgen.c}'s
 * {@code struct udphdr_} on x86-64 (little-endian): slot (u32), generation (u32), send time (u64 ns).
 * The echo carries it back, so a reply is matched to its slot and a stale reply is recognised.
 */
final class UdpHeader {

    static final int BYTES = 16;

    private UdpHeader() {
    }

    static void put(ByteBuffer b, int slot, int generation, long sentNanos) {
        b.putInt(0, slot).putInt(4, generation).putLong(8, sentNanos);
    }

    static int slot(ByteBuffer b) {
        return b.getInt(0);
    }

    static int generation(ByteBuffer b) {
        return b.getInt(4);
    }
}
