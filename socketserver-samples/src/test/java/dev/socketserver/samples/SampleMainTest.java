package dev.socketserver.samples;

import dev.socketserver.MixIn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A sample's own {@code main}, run in-process: help, bad input and run-time failures end as the launcher's do. */
@Timeout(30)
class SampleMainTest {

    private static final String SYNOPSIS = "[--bind HOST:PORT] [--mixin sync|threading|virtual]";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(SampleMain.Body body, String... args) {
        return SampleMain.status(TcpEchoServer.class, SYNOPSIS, args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), body);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpPrintsHowToStartTheSampleDirectlyAndRunsNothing() {
        AtomicBoolean ran = new AtomicBoolean();
        assertEquals(0, run(options -> ran.set(true), "--bind", "127.0.0.1:0", "--help"));
        assertEquals("usage: java -p <module path> -m dev.socketserver.samples/dev.socketserver.samples.TcpEchoServer "
                + SYNOPSIS + "\n", out.toString(StandardCharsets.UTF_8));
        assertFalse(ran.get());
        assertEquals("", err());
    }

    @Test
    void onlyTheOptionsOfTheSynopsisAreAcceptedAndBadInputIsStatus2() {
        AtomicBoolean ran = new AtomicBoolean();
        assertEquals(2, run(options -> ran.set(true), "--family", "tcp"));
        assertEquals("TcpEchoServer: unknown option --family for TcpEchoServer\n"
                + SampleMain.usage(TcpEchoServer.class, SYNOPSIS), err());
        assertFalse(ran.get());
    }

    @Test
    void badValuesFoundByTheSampleAreStatus2Too() {
        assertEquals(2, run(options -> options.mixIn("threading").get(), "--mixin", "fork"));
        assertTrue(err().startsWith("TcpEchoServer: unknown mix-in 'fork' (expected sync, threading or virtual)\nusage: "), err());
    }

    @Test
    void aRunTimeFailureIsOneLineWithStatus1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int status = run(options -> TcpEchoServer.open(options.hostPortOption("bind", null), MixIn.synchronous()).close(),
                    "--bind", "127.0.0.1:" + taken.getLocalPort());
            assertEquals(1, status);
            assertTrue(err().startsWith("TcpEchoServer: cannot bind to 127.0.0.1:" + taken.getLocalPort() + ": "), err());
            assertEquals(1, err().lines().count(), err());
        }
    }
}
