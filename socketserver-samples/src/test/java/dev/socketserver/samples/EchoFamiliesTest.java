package dev.socketserver.samples;

import dev.socketserver.BaseServer;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stream echo samples, each family with each mix-in, talked to by a JDK client and by the sample's client. */
@Timeout(30)
class EchoFamiliesTest {

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({"tcp, sync", "tcp, threading", "tcp, virtual",
                "unix-stream, sync", "unix-stream, threading", "unix-stream, virtual"})
    void echoServerSendsEveryLineBack(String label, String mixIn, @TempDir Path dir) throws Exception {
        EchoFamily family = EchoFamily.of(label);
        Path socketFile = dir.resolve("echo.sock");
        SocketAddress bind = label.equals("tcp") ? new InetSocketAddress("127.0.0.1", 0) : UnixDomainSocketAddress.of(socketFile);
        BaseServer<?> server = family.openServer(bind, CommandLine.parse("echo", "--mixin", mixIn).mixIn(null).get());
        assertEquals(label, server.family().label());
        assertEquals(mixIn.equals("sync") ? "sync" : mixIn.equals("threading") ? "ThreadingMixIn" : "VirtualThreadingMixIn",
                server.mixIn().name());
        try (Served _ = Served.start(server)) {
            try (SocketChannel client = SocketChannel.open(server.serverAddress());
                 var answers = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8))) {
                Channels.newOutputStream(client).write("hello\nwörld\n".getBytes(StandardCharsets.UTF_8));
                assertEquals("hello", answers.readLine());
                assertEquals("wörld", answers.readLine());
                client.shutdownOutput();
                assertEquals(null, answers.readLine(), "the server closes when the client has finished");
            }
            var printed = new ByteArrayOutputStream();
            family.runClient(server.serverAddress(), new BufferedReader(new StringReader("one\ntwo\n")),
                    new PrintStream(printed, true, StandardCharsets.UTF_8));
            assertEquals("one\ntwo\n", printed.toString(StandardCharsets.UTF_8));
            if (!label.equals("tcp")) {
                assertTrue(Files.exists(socketFile));
            }
        }
        assertFalse(Files.exists(socketFile), "closing a Unix server removes its socket file");
    }
}
