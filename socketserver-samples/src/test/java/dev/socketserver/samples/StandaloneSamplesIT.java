package dev.socketserver.samples;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The learning samples started on their own, {@code java -p API:IMPL:SAMPLES -m
 * dev.socketserver.samples/dev.socketserver.samples.CLASS}, with a module path of the three packaged
 * jars and nothing else: no admin gateway, no Javalin, Jetty, Jackson, Micrometer or Kotlin. Runs after
 * {@code package} (failsafe), on the jars {@code mvn verify} just built.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a stuck pipe read cannot hang the build
class StandaloneSamplesIT {

    private static final String MODULE = "dev.socketserver.samples";
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        }
    }

    /** Starts {@code java -p <the three jars> -m dev.socketserver.samples/dev.socketserver.samples.<sample> args}. */
    private Process start(String sample, String... args) throws IOException {
        return start(List.of(), sample, args);
    }

    /** {@link #start(String, String...)} with JVM flags before {@code -p}. */
    private Process start(List<String> jvmFlags, String sample, String... args) throws IOException {
        List<String> javaCommand = PackagedJars.javaCommand(sample);
        List<String> command = new ArrayList<>(javaCommand.subList(0, 1));
        command.addAll(jvmFlags);
        command.addAll(javaCommand.subList(1, javaCommand.size()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        started.add(process);
        return process;
    }

    /**
     * Issue 15, item 8: where native access is denied (a later JDK's default), a Unix datagram server
     * fails in one line that names the flag, not with ExceptionInInitializerError or NoClassDefFoundError.
     */
    @Test
    void aUnixDatagramServerWhereNativeAccessIsDeniedNamesTheFlagInOneLine(@TempDir Path dir) throws Exception {
        Process process = start(List.of("--illegal-native-access=deny"), "UnixDatagramEchoServer",
                "--bind", dir.resolve("echo.sock").toString());
        Lines out = new Lines(process.getInputStream());
        Lines err = new Lines(process.getErrorStream());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the sample ended");
        assertEquals(1, process.exitValue());
        assertEquals("UnixDatagramEchoServer: Unix datagram servers need native access (the FFM API), which this JVM denies:"
                + " run it with --enable-native-access=dev.socketserver.impl (on the class path:"
                + " --enable-native-access=ALL-UNNAMED)\n", err.all());
        assertEquals("", out.all());
        assertFalse(Files.exists(dir.resolve("echo.sock")), "nothing was bound");
    }

    @ParameterizedTest(name = "{0} and {1}")
    @CsvSource({"TcpEchoServer, TcpEchoClient, tcp", "UnixStreamEchoServer, UnixStreamEchoClient, unix-stream",
                "UdpEchoServer, UdpEchoClient, udp"})
    void anEchoServerAndItsClientRunOnTheApiImplAndSamplesJarsAlone(String serverClass, String clientClass, String family,
            @TempDir Path dir) throws Exception {
        Path socketFile = dir.resolve("echo.sock");
        String bind = family.startsWith("unix") ? socketFile.toString() : "127.0.0.1:0";
        Process server = start(serverClass, "--bind", bind, "--mixin", "virtual");
        Lines out = new Lines(server.getInputStream());
        Lines err = new Lines(server.getErrorStream());
        String listening = out.next();
        assertNotNull(listening, "no 'listening' line in time");
        String[] words = listening.split(" ");
        assertEquals(List.of("listening", family), List.of(words).subList(0, 2), listening);

        Process client = start(clientClass, "--connect", words[2]);
        try (OutputStream stdin = client.getOutputStream()) {
            stdin.write("hello\nwörld\n".getBytes(StandardCharsets.UTF_8));
        }
        Lines answers = new Lines(client.getInputStream());
        Lines clientErr = new Lines(client.getErrorStream());
        assertTrue(client.waitFor(20, TimeUnit.SECONDS), "the client ended with its input");
        assertEquals(0, client.exitValue(), clientErr.all());
        assertEquals("hello\nwörld\n", answers.all());

        assertEquals(0, new ProcessBuilder("sh", "-c", "kill -TERM " + server.pid()).start().waitFor());
        assertTrue(server.waitFor(20, TimeUnit.SECONDS), "the server stopped");
        String errText = err.all();
        assertEquals(0, server.exitValue(), errText);
        assertEquals("", errText, "nothing on stderr");
        assertEquals("stopped", out.all().lines().reduce((first, second) -> second).orElseThrow());
        assertFalse(Files.exists(socketFile), "the socket file is removed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SeedServer", "SeedClient", "TcpEchoServer", "TcpEchoClient", "UdpEchoServer", "UdpEchoClient",
            "UnixStreamEchoServer", "UnixStreamEchoClient", "UnixDatagramEchoServer", "UnixDatagramEchoClient",
            "ChatServer", "HttpFileServer", "Demo", "WhoAmIServer"})
    void everyLearningSampleHasAMainThatPrintsItsUsage(String sample) throws Exception {
        Process process = start(sample, "--help");
        Lines out = new Lines(process.getInputStream());
        Lines err = new Lines(process.getErrorStream());
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the sample ended");
        assertEquals(0, process.exitValue(), err.all());
        String usage = out.all();
        assertTrue(usage.startsWith("usage: java -p <module path> -m " + MODULE + "/" + MODULE + "." + sample), usage);
        assertEquals("", err.all());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Samples|echo --family tcp --mixin sync --bind 127.0.0.1:0 --admin 127.0.0.1:0|samples: --admin",
            "Samples|demo|samples: demo",
            "Demo||Demo: demo"})
    void withoutTheAdminGatewayTheCommandsThatNeedItSaySoInOneLine(String sample, String args, String prefix)
            throws Exception {
        Process process = start(sample, args == null ? new String[0] : args.split(" "));
        Lines out = new Lines(process.getInputStream());
        Lines err = new Lines(process.getErrorStream());
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "it ended");
        assertEquals(1, process.exitValue());
        assertEquals(prefix + " needs the admin gateway, module dev.socketserver.admin, which is not on the module path"
                + " (build socketserver-admin, then add its jar and target/lib to -p with --add-modules"
                + " dev.socketserver.admin; the launcher does this)\n", err.all());
        assertEquals("", out.all(), "no server was started");
    }

    @Test
    void badInputToASampleIsOneLineThenItsUsageWithStatus2() throws Exception {
        Process process = start("TcpEchoServer", "--bind", "127.0.0.1:0", "--admin", "127.0.0.1:0");
        Lines err = new Lines(process.getErrorStream());
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "it ended");
        assertEquals(2, process.exitValue());
        List<String> lines = err.all().lines().toList();
        assertEquals(2, lines.size(), lines::toString);
        assertEquals("TcpEchoServer: unknown option --admin for TcpEchoServer", lines.get(0));
        assertTrue(lines.get(1).startsWith("usage: java -p <module path> -m " + MODULE + "/" + MODULE + ".TcpEchoServer "),
                lines::toString);
    }
}
