package dev.socketserver.samples;

import dev.socketserver.TCPServer;
import dev.socketserver.ThreadPerRequestMixIn;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The chat room: three members, one broadcast that all of them see. */
@Timeout(30)
class ChatServerTest {

    @ParameterizedTest
    @ValueSource(strings = {"threading", "virtual"})
    void everyMemberSeesWhatOneSays(String mixIn) throws Exception {
        var chosen = (ThreadPerRequestMixIn<?>) CommandLine.parse("chat", "--mixin", mixIn).mixIn(null).get();
        TCPServer server = ChatServer.open(new InetSocketAddress("127.0.0.1", 0), chosen);
        var address = server.inetServerAddress();
        try (Served _ = Served.start(server);
             Member ann = new Member(address); Member bob = new Member(address); Member cat = new Member(address)) {
            // each has read its welcome, so all three are in the room
            assertTrue(cat.welcome.contains(" in the room"), cat.welcome);
            bob.say("hello room");
            for (Member member : new Member[] {ann, bob, cat}) {
                assertEquals(bob.name + ": hello room", member.next(line -> line.endsWith("hello room")));
            }
            cat.leave();
            assertEquals("* " + cat.name + " left", ann.next(line -> line.endsWith(" left")));
        }
    }

    /** A chat client with a bounded read timeout. */
    private static final class Member implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader lines;
        final String welcome;
        final String name;

        Member(InetSocketAddress address) throws IOException {
            socket = new Socket(address.getAddress(), address.getPort());
            socket.setSoTimeout(10_000);
            lines = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            welcome = next(line -> line.startsWith("welcome "));
            name = welcome.substring("welcome ".length(), welcome.indexOf(','));
        }

        void say(String text) throws IOException {
            socket.getOutputStream().write((text + "\n").getBytes(StandardCharsets.UTF_8));
        }

        /** Skips other lines (joins, leaves) up to the first that matches. */
        String next(Predicate<String> wanted) throws IOException {
            for (String line; (line = lines.readLine()) != null; ) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            return fail("the server closed the connection");
        }

        void leave() throws IOException {
            socket.close();
        }

        @Override
        public void close() throws IOException {
            leave();
        }
    }
}
