package dev.socketserver.samples;

import dev.socketserver.TCPServer;
import dev.socketserver.VirtualThreadingMixIn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's command line, run in-process: what bad input, help and the client command print and return. */
@Timeout(30)
class SamplesCommandLineTest {

    /** What one in-process run printed and returned. */
    private record Result(int status, String out, String err) {
        String firstErrorLine() {
            return err.lines().findFirst().orElse("");
        }
    }

    private static Result run(String stdin, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = Samples.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "echo --family sctp --mixin sync --bind 127.0.0.1:0|unknown family 'sctp' (expected tcp, udp, unix-stream or unix-datagram)",
            "echo --family tcp --mixin sync --bind 127.0.0.1:99999|bad port in --bind 127.0.0.1:99999 (expected 0 to 65535)",
            "echo --family tcp --mixin sync --bind 127.0.0.1:http|bad port in --bind 127.0.0.1:http (expected 0 to 65535)",
            "echo --family tcp --mixin sync --bind localhost|--bind needs HOST:PORT, not 'localhost'",
            "echo --family unix-stream --mixin sync --bind /nonexistent-dir/echo.sock|--bind /nonexistent-dir/echo.sock: directory /nonexistent-dir does not exist",
            "echo --family unix-stream --mixin sync --bind /dev/null/echo.sock|--bind /dev/null/echo.sock: directory /dev/null does not exist",
            "echo --family unix-stream --mixin sync --bind /dev/null|--bind /dev/null already exists; remove it or pick another path",
            "echo --family tcp --mixin sync --bind|option --bind needs a value",
            "echo --family --mixin sync --bind 127.0.0.1:0|option --family needs a value",
            "echo --family tcp --bind 127.0.0.1:0|echo needs --mixin",
            "echo --family tcp --mixin fork --bind 127.0.0.1:0|unknown mix-in 'fork' (expected sync, threading or virtual)",
            "echo --family tcp --mixin sync --bind 127.0.0.1:0 --bind 127.0.0.1:1|option --bind is given twice",
            "echo --family tcp --mixin sync --bind 127.0.0.1:0 --verbose|unknown option --verbose for echo",
            "echo --family tcp --mixin sync --bind 127.0.0.1:0 extra|unexpected argument 'extra'",
            "echo --family tcp --mixin sync --bind 127.0.0.1:0 --admin-token t|--admin-token needs --admin",
            "echo --family tcp --mixin sync --bind 127.0.0.1:0 --admin 127.0.0.1:70000|bad port in --admin 127.0.0.1:70000 (expected 0 to 65535)",
            "echo --family tcp --mixin sync --bind 127.0.0.1:0 --admin localhost|--admin needs HOST:PORT, not 'localhost'",
            "echo --family tcp --mixin sync --bind 127.0.0.1:0 --admin 127.0.0.1:0 --admin-token short|the admin token from --admin-token must be 16 to 512 characters long, not 5",
            "echo --family tcp --mixin sync --bind 127.0.0.1:0 --admin 127.0.0.1:0 --admin-token has\tspace-in-it-here|the admin token from --admin-token may only contain visible ASCII characters (no spaces)",
            "echo --family udp --mixin virtual --bind 127.0.0.1:0 --backlog 10|--backlog applies to tcp and unix-stream only",
            "echo --family unix-datagram --mixin virtual --bind /tmp/x.sock --read-timeout 5s|--read-timeout applies to tcp and unix-stream only",
            "echo --family tcp --mixin sync --bind 127.0.0.1:0 --max-concurrent 5|--max-concurrent needs --mixin threading or virtual (sync handles one request at a time)",
            "echo --family tcp --mixin virtual --bind 127.0.0.1:0 --backlog 0|--backlog needs a whole number of at least 1, not '0'",
            "echo --family tcp --mixin virtual --bind 127.0.0.1:0 --max-concurrent -1|--max-concurrent needs a whole number of at least 0, not '-1'",
            "echo --family tcp --mixin virtual --bind 127.0.0.1:0 --read-timeout 5x|--read-timeout needs a duration such as 30s, 500ms, 2m or PT30S (0 or none: no timeout), not '5x'",
            "echo --family tcp --mixin virtual --bind 127.0.0.1:0 --read-timeout -5s|--read-timeout needs a duration such as 30s, 500ms, 2m or PT30S (0 or none: no timeout), not '-5s'",
            "echo --family tcp --mixin virtual --bind 127.0.0.1:0 --drain-timeout 5x|--drain-timeout needs a positive duration such as 30s or 500ms, not '5x'",
            "echo --family tcp --mixin virtual --bind 127.0.0.1:0 --drain-timeout 0|--drain-timeout needs a positive duration such as 30s or 500ms, not '0'",
            "echo --family tcp --mixin virtual --bind 127.0.0.1:0 --drain-grace -1s|--drain-grace needs a positive duration such as 30s or 500ms, not '-1s'",
            "echo --family tcp --mixin virtual --bind 127.0.0.1:0 --drain-grace 10s|--drain-grace 10s must be shorter than --drain-timeout (10000 ms), which counts from SIGTERM and includes the grace period",
            "echo --family unix-stream --mixin virtual --bind /tmp/ops-x.sock --reuse-port|--reuse-port applies to tcp and udp only (SO_REUSEPORT is an IP socket option)",
            "echo --family tcp --mixin virtual --bind 127.0.0.1:0 --reuse-port=yes|option --reuse-port takes no value",
            "echo --family udp --mixin virtual --bind 127.0.0.1:0 --access-log|--access-log applies to tcp and unix-stream only",
            "echo --family tcp --mixin virtual --bind 127.0.0.1:0 --reuse-port --reuse-port|option --reuse-port is given twice",
            "whoami --family unix-stream --bind /tmp/ops-x.sock --reuse-port|--reuse-port applies to tcp only (SO_REUSEPORT is an IP socket option)",
            "chat --drain-timeout 1s --drain-grace 2s|--drain-grace 2s must be shorter than --drain-timeout (1000 ms), which counts from SIGTERM and includes the grace period",
            "echo --inherited --mixin sync --bind 127.0.0.1:0|--bind does not apply with --inherited: the inherited socket is bound and listening already (systemd: ListenStream= and Backlog=)",
            "echo --inherited --mixin sync --backlog 10|--backlog does not apply with --inherited: the inherited socket is bound and listening already (systemd: ListenStream= and Backlog=)",
            "echo --inherited=yes --mixin sync|option --inherited takes no value",
            "echo --inherited --mixin sync --reuse-port|--reuse-port does not apply with --inherited: the inherited socket is bound already (systemd: ReusePort=)",
            "echo --inherited --inherited --mixin sync|option --inherited is given twice",
            "echo --inherited --family sctp --mixin sync|unknown family 'sctp' (expected tcp, udp, unix-stream or unix-datagram)",
            "whoami --inherited --bind /tmp/x.sock|--bind does not apply with --inherited: the inherited socket is bound and listening already (systemd: ListenStream= and Backlog=)",
            "serve|unknown command 'serve'",
            "client --family tcp --connect 127.0.0.1|--connect needs HOST:PORT, not '127.0.0.1'",
            "chat --mixin sync|chat needs --mixin threading or virtual: a sync server serves one member at a time",
            "http --root /nonexistent-dir|--root /nonexistent-dir is not a directory",
            "http --bind 127.0.0.1:0|http needs --root"})
    void badInputIsOneLineThenTheUsageWithStatus2(String commandLine, String message) {
        Result result = run("", commandLine.split(" "));
        assertEquals(2, result.status());
        assertEquals("samples: " + message, result.firstErrorLine());
        assertEquals(CommandLine.USAGE, result.err().substring(result.err().indexOf('\n') + 1));
        assertEquals("", result.out());
    }

    @Test
    void noArgumentsAtAllIsBadInputToo() {
        Result result = run("");
        assertEquals(2, result.status());
        assertEquals("samples: no command given", result.firstErrorLine());
    }

    @Test
    void anAdminPortInUseIsOneLineWithStatus1AndNoServerIsLeftBehind() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Result result = run("", "echo", "--family", "tcp", "--mixin", "sync", "--bind", "127.0.0.1:0",
                    "--admin", "127.0.0.1:" + taken.getLocalPort(), "--admin-token", "a-token-of-the-test-1234");
            assertEquals(new Result(1, "", "samples: cannot start the admin gateway on 127.0.0.1:" + taken.getLocalPort()
                    + ": Address already in use\n"), result);
        }
        assertTrue(dev.socketserver.ServerRegistry.defaultRegistry().servers().isEmpty(), "no echo server was started");
    }

    @ParameterizedTest
    @CsvSource({"--help", "-h", "--family tcp --help"})
    void helpPrintsTheUsageWithStatus0(String commandLine) {
        Result result = run("", commandLine.split(" "));
        assertEquals(new Result(0, CommandLine.USAGE, ""), result);
    }

    @Test
    void everyCommandsHelpPrintsThatCommandAndEachOfItsOptionsWithStatus0() {
        for (var command : CommandLine.OPTIONS.entrySet()) {
            for (String help : List.of("--help", "-h")) {
                Result result = run("", command.getKey(), "--bind", "127.0.0.1:1", help); // help wins over options
                assertEquals(0, result.status(), command.getKey());
                assertEquals("", result.err());
                assertEquals(CommandHelp.of(command.getKey()), result.out());
                String text = result.out();
                assertTrue(text.startsWith("usage: samples " + command.getKey() + " [OPTIONS]\n\n  " + command.getKey()), text);
                for (String option : command.getValue()) {
                    assertTrue(text.contains("--" + option + " ") || text.contains("--" + option + "\n")
                            || text.contains("--" + option + "="), command.getKey() + " --help describes --" + option + ":\n" + text);
                }
                for (String other : CommandLine.OPTIONS.keySet()) {
                    assertEquals(other.equals(command.getKey()), text.contains("\n  " + other + " ") || text.contains("\n  " + other + "\n"),
                            other + " in the help of " + command.getKey() + ":\n" + text);
                }
            }
        }
        assertEquals(CommandHelp.of("echo").lines().filter(line -> line.startsWith("  FAMILY")).count(), 1,
                "the legend follows the command");
    }

    @ParameterizedTest
    @CsvSource({"--version", "-V"})
    void versionPrintsTheProjectsAndTheRuntimesVersionWithStatus0(String option) {
        String expected = System.getProperty("samples.expected.version");
        assertTrue(expected != null && !expected.isBlank(), "the POM passes the project's version to the tests");
        Result result = run("", option);
        assertEquals(new Result(0, "socketserver-samples " + expected + "\nJava " + Runtime.version() + " ("
                + System.getProperty("java.vendor") + ", " + System.getProperty("java.vm.name") + ")\n", ""), result);
    }

    @Test
    void clientCommandSendsEachInputLineAndPrintsTheAnswers() throws Exception {
        TCPServer server = TcpEchoServer.open(new InetSocketAddress("127.0.0.1", 0), new VirtualThreadingMixIn());
        Result result;
        try (Served _ = Served.start(server)) {
            result = run("first line\nsecond line\n", "client", "--family", "tcp",
                    "--connect=" + Serving.format(server.serverAddress()));
        }
        assertEquals(new Result(0, "first line\nsecond line\n", ""), result);
    }

    @Test
    void theUdpClientSendsEachLineAsADatagramAndPrintsTheAnswers() throws Exception {
        var server = UdpEchoServer.open(new InetSocketAddress("127.0.0.1", 0), new VirtualThreadingMixIn());
        Result result;
        try (Served _ = Served.start(server)) {
            result = run("first line\nsecond line\n", "client", "--family", "udp",
                    "--connect", Serving.format(server.serverAddress()));
        }
        assertEquals(new Result(0, "first line\nsecond line\n", ""), result);
    }

    @Test
    void aUdpClientWithNoServerThereSaysSoInOneLineWithStatus1() throws Exception {
        int closedPort;
        try (var probe = java.nio.channels.DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            closedPort = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        Result result = run("hello\n", "client", "--family", "udp", "--connect", "127.0.0.1:" + closedPort);
        assertEquals(new Result(1, "", "samples: nothing listens on udp 127.0.0.1:" + closedPort + "\n"), result);
    }

    @Test
    void aClientThatCannotConnectSaysWhyInOneLineWithStatus1() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        Result result = run("hello\n", "client", "--family", "tcp", "--connect", "127.0.0.1:" + closedPort);
        assertEquals(1, result.status());
        assertEquals(1, result.err().lines().count(), result.err());
        assertTrue(result.err().startsWith("samples: "), result.err());
        assertFalse(result.err().contains("Exception"), result.err());
    }
}
