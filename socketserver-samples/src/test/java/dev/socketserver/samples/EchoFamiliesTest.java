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
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The echo samples, each family with each mix-in, talked to by a real client (the JDK's, or socat for
 * Unix datagrams, which the JDK cannot open) and by the sample's own client.
 */
@Timeout(30)
class EchoFamiliesTest {

    private static BaseServer<?> open(String label, String mixIn, Path socketFile) throws Exception {
        EchoFamily family = EchoFamily.of(label);
        SocketAddress bind = label.startsWith("unix") ? UnixDomainSocketAddress.of(socketFile) : new InetSocketAddress("127.0.0.1", 0);
        BaseServer<?> server = family.openServer(bind, CommandLine.parse("echo", "--mixin", mixIn).mixIn(null).get());
        assertEquals(label, server.family().label());
        assertEquals(mixIn.equals("sync") ? "sync" : mixIn.equals("threading") ? "ThreadingMixIn" : "VirtualThreadingMixIn",
                server.mixIn().name());
        return server;
    }

    /** What the sample's client prints for two lines of input. */
    private static String sampleClient(String label, SocketAddress server) throws Exception {
        var printed = new ByteArrayOutputStream();
        EchoFamily.of(label).runClient(server, new BufferedReader(new StringReader("one\ntwo\n")),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        return printed.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({"tcp, sync", "tcp, threading", "tcp, virtual",
                "unix-stream, sync", "unix-stream, threading", "unix-stream, virtual"})
    void streamEchoServerSendsEveryLineBack(String label, String mixIn, @TempDir Path dir) throws Exception {
        Path socketFile = dir.resolve("echo.sock");
        BaseServer<?> server = open(label, mixIn, socketFile);
        try (Served _ = Served.start(server)) {
            try (SocketChannel client = SocketChannel.open(server.serverAddress());
                 var answers = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8))) {
                Channels.newOutputStream(client).write("hello\nwörld\n".getBytes(StandardCharsets.UTF_8));
                assertEquals("hello", answers.readLine());
                assertEquals("wörld", answers.readLine());
                client.shutdownOutput();
                assertEquals(null, answers.readLine(), "the server closes when the client has finished");
            }
            assertEquals("one\ntwo\n", sampleClient(label, server.serverAddress()));
            if (!label.equals("tcp")) {
                assertTrue(Files.exists(socketFile));
            }
        }
        assertFalse(Files.exists(socketFile), "closing a Unix server removes its socket file");
    }

    @ParameterizedTest(name = "udp with {0}")
    @CsvSource({"sync", "threading", "virtual"})
    void udpEchoServerSendsEveryDatagramBack(String mixIn) throws Exception {
        BaseServer<?> server = open("udp", mixIn, null);
        try (Served _ = Served.start(server);
             DatagramChannel client = DatagramChannel.open()) {
            client.connect(server.serverAddress());
            for (String datagram : new String[] {"hello\n", "wörld, no newline", "x".repeat(8192)}) {
                assertEquals(datagram, Datagrams.exchange(client, datagram), "the datagram comes back as it was, whole");
            }
            assertEquals("one\ntwo\n", sampleClient("udp", server.serverAddress()));
        }
    }

    @ParameterizedTest(name = "unix-datagram with {0}")
    @CsvSource({"sync", "threading", "virtual"})
    void unixDatagramEchoServerAnswersSocatAndTheSampleClient(String mixIn, @TempDir Path dir) throws Exception {
        Socat.assumeInstalled();
        Path socketFile = dir.resolve("echo.sock");
        BaseServer<?> server = open("unix-datagram", mixIn, socketFile);
        try (Served _ = Served.start(server)) {
            assertTrue(Files.exists(socketFile));
            assertEquals("hello from socat\n", Socat.sendto(socketFile, dir.resolve("socat.sock"), "hello from socat\n"));
            assertEquals("one\ntwo\n", sampleClient("unix-datagram", server.serverAddress()), "the client, over socat");
            assertEquals(3, server.stats().received(), "one datagram per line");
        }
        assertFalse(Files.exists(socketFile), "closing a Unix server removes its socket file");
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "socat and the sample's client leave no socket file behind");
        }
    }
}
