package dev.socketserver.samples;

import java.io.IOException;
import java.net.DatagramPacket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;

/** The tests' UDP client: a JDK {@link DatagramChannel}, with a bounded wait for each answer. */
final class Datagrams {

    private Datagrams() {
    }

    /**
     * Sends {@code text} as one datagram on a connected channel and returns the answer, waiting at most
     * 10 s (a lost datagram fails the test instead of hanging it). Not for empty datagrams: the JDK's
     * {@code write} sends nothing for an empty buffer.
     */
    static String exchange(DatagramChannel connected, String text) throws IOException {
        connected.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        connected.socket().setSoTimeout(10_000);
        DatagramPacket answer = new DatagramPacket(new byte[65_536], 65_536);
        connected.socket().receive(answer);
        return new String(answer.getData(), 0, answer.getLength(), StandardCharsets.UTF_8);
    }
}
