package dev.socketserver.samples;

import dev.socketserver.StreamRequestHandler;
import dev.socketserver.TCPServer;
import dev.socketserver.ThreadPerRequestMixIn;

import java.io.IOException;
import java.io.PrintStream;
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
 *
 * <p>Run it, then {@code nc 127.0.0.1 8889} in three terminals (from the repository root, after
 * {@code mvn -q -DskipTests package}):
 *
 * <pre>
 * java -p socketserver-api/target/socketserver-api-0.1.0-SNAPSHOT.jar:socketserver-impl/target/socketserver-impl-0.1.0-SNAPSHOT.jar:socketserver-samples/target/socketserver-samples-0.1.0-SNAPSHOT.jar \
 *      -m dev.socketserver.samples/dev.socketserver.samples.ChatServer [--bind 127.0.0.1:8889] [--mixin virtual]
 * socketserver-samples/samples chat [--bind 127.0.0.1:8889] [--mixin virtual]
 * </pre>
 */
public final class ChatServer {

    /** The longest line read at once; a longer one is passed on in pieces. */
    private static final int MAX_LINE = 64 * 1024;

    private final Set<Member> room = ConcurrentHashMap.newKeySet();
    private final AtomicInteger guests = new AtomicInteger();

    private ChatServer() {
    }

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
                for (byte[] line; (line = rfile().readLine(MAX_LINE)).length > 0; ) {
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

    /**
     * Opens the room and serves until Ctrl-C or SIGTERM. Shared by {@link #main} and {@code samples chat}.
     *
     * @param options {@code --bind HOST:PORT} (127.0.0.1:8889), {@code --mixin threading|virtual} (virtual),
     *     {@code --drain-timeout}, {@code --drain-grace}
     * @param out where the {@code listening} line and how to join go
     * @throws IOException if the address cannot be bound or the loop fails
     * @throws UsageException for a malformed option, or {@code --mixin sync}
     * @throws InterruptedException if interrupted while serving
     */
    static void run(CommandLine options, PrintStream out) throws IOException, UsageException, InterruptedException {
        InetSocketAddress address = options.hostPortOption("bind", "127.0.0.1:8889");
        ThreadPerRequestMixIn<?> mixIn = options.threadPerRequestMixIn("virtual",
                "chat needs --mixin threading or virtual: a sync server serves one member at a time");
        DrainPolicy drain = DrainPolicy.of(options);
        TCPServer chat = open(address, mixIn);
        InetSocketAddress bound = chat.inetServerAddress();
        Serving.serve(chat, out, drain, "chat room open; join with: socat - TCP:" + Serving.format(bound)
                + " or nc " + bound.getAddress().getHostAddress() + " " + bound.getPort());
    }

    /**
     * Runs the chat room.
     *
     * @param args {@code [--bind HOST:PORT] [--mixin threading|virtual]} and the drain options
     */
    public static void main(String[] args) {
        SampleMain.run(ChatServer.class, "[--bind HOST:PORT] [--mixin threading|virtual] " + DrainPolicy.SYNOPSIS
                + "  (127.0.0.1:8889, virtual)", args,
                options -> run(options, System.out));
    }
}
