package dev.socketserver.impl;

import dev.socketserver.StreamRequestHandler;
import dev.socketserver.TCPServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;


import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input never stops the server: resets, silent clients, throwing handlers (logged with the address). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadClientTest {

    static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    @ParameterizedTest
    @EnumSource(Concurrency.class)
    void resettingAndSilentClientsNeverStopTheServer(Concurrency concurrency) throws Exception {
        TCPServer server = new TCPServer(LOOPBACK, Echo::new, concurrency.newMixIn(), false);
        server.setRequestQueueSize(128); // 40 quick connects would overflow CPython's backlog of 5 and retry SYNs
        server.serverBind();
        server.serverActivate();
        try (Serving serving = Serving.start(server)) {
            for (int i = 0; i < 20; i++) {
                SocketChannel reset = Clients.connect(server.serverAddress());
                reset.setOption(StandardSocketOptions.SO_LINGER, 0); // close sends RST
                Clients.send(reset, "half a li");
                reset.close();
                Clients.connect(server.serverAddress()).close(); // connects, sends nothing, closes
            }
            assertEquals("still serving\n", Clients.echo(server.serverAddress(), "still serving\n"));
        }
    }

    /** CPython's handle_error text, through System.Logger "dev.socketserver", with the client address. */
    @Test
    void handlerExceptionIsLoggedWithTheClientAddress() throws Exception {
        class Boom extends StreamRequestHandler {
            @Override
            protected void handle() {
                throw new IllegalArgumentException("boom");
            }
        }
        try (LogCapture log = new LogCapture();
             TCPServer server = new TCPServer(LOOPBACK, Boom::new);
             SocketChannel client = Clients.connect(server.serverAddress())) {
            assertTrue(server.handleRequest(Duration.ofSeconds(20)));
            String expected = "Exception occurred during processing of request from 127.0.0.1:"
                    + ((InetSocketAddress) client.getLocalAddress()).getPort();
            LogRecord record = log.records().stream().filter(r -> r.getMessage().equals(expected)).findFirst()
                    .orElseThrow(() -> new AssertionError("no record '" + expected + "' in " + log.records().stream().map(LogRecord::getMessage).toList()));
            assertEquals(Level.SEVERE, record.getLevel());
            assertEquals("boom", record.getThrown().getMessage());
            assertEquals(0, Clients.drain(client));
        }
    }

}
