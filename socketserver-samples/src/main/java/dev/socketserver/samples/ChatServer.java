package dev.socketserver.samples;

import dev.socketserver.StreamRequestHandler;
import dev.socketserver.TCPServer;
import dev.socketserver.ThreadPerRequestMixIn;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One chat room: every line a client sends goes to everyone in the room, sender included. The
 * classic {@code ThreadingTCPServer} exercise; it shows state shared by handler threads, which
 * is why it needs a threading mix-in (a synchronous server would serve one member at a time).
 *
 * <p>The room is a concurrent set; each member's socket is written by several threads (its own
 * and every other member's broadcasts), so its writes are serialised by {@link Member#say}.
 */
final class ChatServer {

    private final Set<Member> room = ConcurrentHashMap.newKeySet();
    private final AtomicInteger guests = new AtomicInteger();

    /**
     * Opens a chat server with a fresh, empty room.
     *
     * @param address where to listen
     * @param mixIn a threading mix-in: each member is served on its own thread
     * @return the server, bound and activated
     * @throws IOException if the address cannot be bound
     */
    static TCPServer open(InetSocketAddress address, ThreadPerRequestMixIn<?> mixIn) throws IOException {
        ChatServer chat = new ChatServer();
        return new TCPServer(address, () -> chat.new Member(), mixIn);
    }

    /** One connected client; Python would keep these in a set on the server object. */
    final class Member extends StreamRequestHandler {

        private final String name = "guest-" + guests.incrementAndGet();

        @Override
        protected void handle() throws IOException {
            room.add(this); // joins before the welcome, so whoever has read the welcome hears everything after
            try {
                say("welcome " + name + ", " + room.size() + " in the room; each line you type goes to everyone");
                broadcast("* " + name + " joined");
                for (byte[] line; (line = rfile().readLine(LineEcho.MAX_LINE)).length > 0; ) {
                    broadcast(name + ": " + new String(line, StandardCharsets.UTF_8).strip());
                }
            } finally {
                room.remove(this);
                broadcast("* " + name + " left");
            }
        }

        private void broadcast(String text) {
            for (Member member : room) {
                member.say(text);
            }
        }

        private synchronized void say(String text) {
            try {
                wfile().write((text + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException gone) {
                // that member has left; its own handler takes it out of the room
            }
        }
    }
}
