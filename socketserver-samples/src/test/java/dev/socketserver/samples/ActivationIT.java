package dev.socketserver.samples;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Socket activation with real outside launchers: {@code samples echo --inherited} and
 * {@code samples whoami --inherited} started over a listening socket made by another process, exactly
 * as systemd passes it: on fd 3 with {@code LISTEN_FDS}/{@code LISTEN_PID} (our Python launcher,
 * {@code src/test/resources/activation/launch.py}, and Debian's {@code systemd-socket-activate}), or on
 * standard input ({@code StandardInput=socket}, inetd's {@code wait} mode). Runs the checked-in launcher
 * on the packaged jars, hence failsafe.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a stuck read cannot hang the build
class ActivationIT {

    private static final Path SAMPLES = Path.of("samples").toAbsolutePath();
    private static final Path LAUNCH_PY = Path.of("src/test/resources/activation/launch.py").toAbsolutePath();

    private final List<Process> started = new ArrayList<>();
    private final List<ProcessHandle> children = new ArrayList<>();

    /** A started launcher: its process, its output, the socket it made and the pid of the served program. */
    private record Launched(Process process, Lines out, Lines err, String socket, long pid) {
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (ProcessHandle child : children) {
            child.destroyForcibly();
        }
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        }
    }

    private Process start(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("LISTEN_")); // only what the launcher sets
        Process process = builder.start();
        started.add(process);
        return process;
    }

    /** Starts launch.py, which makes the socket, forks, passes it on as {@code mode} says and execs the samples. */
    private Launched launch(String kind, String address, String mode, String... samplesArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of(kind, address, mode, SAMPLES.toString()));
        args.addAll(List.of(samplesArgs));
        return launchCommand(args);
    }

    /** Starts launch.py with these arguments: KIND ADDRESS MODE PROGRAM [ARGS...]. */
    private Launched launchCommand(List<String> launchArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(RequiredTool.require("python3", "python3").toString(), LAUNCH_PY.toString()));
        command.addAll(launchArgs);
        Process process = start(command);
        Lines out = new Lines(process.getInputStream());
        Lines err = new Lines(process.getErrorStream());
        String socket = out.next();
        assertNotNull(socket, "no 'socket' line from the launcher in time");
        assertTrue(socket.startsWith("socket "), socket);
        String child = out.next();
        assertNotNull(child, "no 'child' line from the launcher in time");
        long pid = Long.parseLong(child.substring("child ".length()));
        ProcessHandle.of(pid).ifPresent(children::add);
        return new Launched(process, out, err, socket.substring("socket ".length()), pid);
    }

    private static void terminate(long pid) throws Exception {
        // not Process.destroy(): it also closes our end of the output, losing the last line
        assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(pid)).start().waitFor());
    }

    /** The ready line names the inherited socket's real address, and its fileno is that socket. */
    private static void assertListening(String line, String family, String address, long pid) throws IOException {
        assertNotNull(line, "no 'listening' line in time");
        String[] words = line.split(" ");
        assertEquals(List.of("listening", family, address), List.of(words).subList(0, 3), line);
        int fileno = Integer.parseInt(words[3].substring("fileno=".length()));
        assertTrue(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "fd", Integer.toString(fileno)))
                .toString().startsWith("socket:"), "fileno is the served socket's descriptor: " + line);
    }

    private static String exchange(SocketAddress address, String line) throws IOException {
        try (SocketChannel client = SocketChannel.open(address);
             var answers = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8))) {
            Channels.newOutputStream(client).write((line + "\n").getBytes(StandardCharsets.UTF_8));
            return answers.readLine();
        }
    }

    /** Stops the served program with SIGTERM: it ends with 0, quietly, and its "stopped" line survives the close. */
    private static void assertStopsCleanly(Launched launched) throws Exception {
        terminate(launched.pid());
        assertTrue(launched.process().waitFor(20, TimeUnit.SECONDS), "the launcher ended with its child");
        String err = launched.err().all();
        assertEquals(0, launched.process().exitValue(), err);
        assertEquals("", err, "nothing on stderr (no native-access warning either)");
        assertEquals("stopped", launched.out().all().lines().reduce((first, second) -> second).orElseThrow(),
                "standard output still works after the inherited socket is closed");
    }

    @ParameterizedTest(name = "socket passed on {0}")
    @CsvSource({"listen-fds", "stdin"})
    void echoServesATcpSocketPassedOnFd3OrStandardInput(String mode) throws Exception {
        Launched launched = launch("tcp", "127.0.0.1:0", mode, "echo", "--inherited", "--mixin", "threading");
        assertListening(launched.out().next(), "tcp", launched.socket(), launched.pid());

        SocketAddress address = CommandLine.hostPort("connect", launched.socket());
        assertEquals("hello over an inherited socket", exchange(address, "hello over an inherited socket"));
        assertEquals("and again", exchange(address, "and again"));
        assertStopsCleanly(launched);
    }

    @Test
    void whoamiServesAUnixStreamSocketPassedOnFd3AndLeavesItsFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("activated.sock");
        Launched launched = launch("unix", file.toString(), "listen-fds", "whoami", "--inherited", "--family", "unix-stream");
        assertListening(launched.out().next(), "unix-stream", file.toString(), launched.pid());

        assertEquals("client='' proxy=- tls=- sni=-", exchange(UnixDomainSocketAddress.of(file), ""));
        assertStopsCleanly(launched);
        assertTrue(Files.exists(file), "the socket file is its creator's, not removed by the server");
    }

    @Test
    void echoUnderDebiansSystemdSocketActivate() throws Exception {
        Path tool = RequiredTool.require("systemd-socket-activate", "systemd");
        for (int attempt = 1; ; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort(); // the tool takes no port 0; a port taken meanwhile is retried below
            }
            Process process = start(List.of(tool.toString(), "-l", "127.0.0.1:" + port, "--fdname=echo",
                    SAMPLES.toString(), "echo", "--inherited", "--mixin", "virtual"));
            Lines out = new Lines(process.getInputStream());
            Lines err = new Lines(process.getErrorStream());
            String listeningOn = err.next();
            assertNotNull(listeningOn, "systemd-socket-activate said nothing in time");
            if (listeningOn.contains("Address already in use") && attempt < 3) {
                assertTrue(process.waitFor(10, TimeUnit.SECONDS));
                continue;
            }
            assertEquals("Listening on 127.0.0.1:" + port + " as 3.", listeningOn);

            // The tool execs the program on the first connection, which waits in the backlog meanwhile.
            try (Socket client = new Socket("127.0.0.1", port)) {
                client.setSoTimeout(30_000);
                OutputStream request = client.getOutputStream();
                request.write("activated on demand\n".getBytes(StandardCharsets.UTF_8));
                var answers = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("activated on demand", answers.readLine());
            }
            assertListening(out.next(), "tcp", "127.0.0.1:" + port, process.pid());
            assertEquals(new InetSocketAddress("127.0.0.1", port), CommandLine.hostPort("connect", "127.0.0.1:" + port));

            terminate(process.pid()); // the tool exec'd the JVM in its own process
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the server stopped");
            assertEquals(0, process.exitValue());
            List<String> errLines = err.all().lines().toList();
            assertTrue(errLines.stream().allMatch(line -> line.equals(listeningOn) || line.startsWith("Communication attempt on fd 3")
                    || line.startsWith("Execing ")), "only the tool's own lines on stderr: " + errLines);
            assertEquals("stopped", out.all().lines().reduce((first, second) -> second).orElseThrow());
            return;
        }
    }

    @Test
    void fd3WithoutNativeAccessIsAClearErrorNamingTheFlag() throws Exception {
        List<String> plainJava = PackagedJars.javaCommand("Samples"); // no --enable-native-access
        List<String> args = new ArrayList<>(List.of("tcp", "127.0.0.1:0", "listen-fds"));
        args.addAll(plainJava);
        args.addAll(List.of("echo", "--inherited", "--mixin", "sync"));
        Launched launched = launchCommand(args);
        assertTrue(launched.process().waitFor(30, TimeUnit.SECONDS), "the launcher ended");
        String err = launched.err().all();
        assertEquals(1, launched.process().exitValue(), err);
        assertEquals("samples: taking the inherited socket on fd 3 needs native access (the FFM API): run the JVM with "
                + "--enable-native-access=dev.socketserver.impl (on the class path: --enable-native-access=ALL-UNNAMED); "
                + "a socket on standard input (StandardInput=socket, inetd wait mode) needs no flag\n", err);
    }

    @Test
    void standardInputNeedsNoFlag() throws Exception {
        List<String> args = new ArrayList<>(List.of("tcp", "127.0.0.1:0", "stdin"));
        args.addAll(PackagedJars.javaCommand("Samples")); // no --enable-native-access, no --add-exports
        args.addAll(List.of("echo", "--inherited", "--mixin", "virtual"));
        Launched launched = launchCommand(args);
        String listening = launched.out().next();
        assertNotNull(listening, "no 'listening' line in time");
        assertTrue(listening.startsWith("listening tcp " + launched.socket() + " fileno="), listening);
        assertEquals("no flag needed", exchange(CommandLine.hostPort("connect", launched.socket()), "no flag needed"));
        terminate(launched.pid());
        assertTrue(launched.process().waitFor(20, TimeUnit.SECONDS), "the server stopped");
        assertEquals(0, launched.process().exitValue());
        assertEquals("", launched.err().all(), "no warning either");
        // Without native access, the JDK's close of System.inheritedChannel() points stdout at /dev/null: the
        // "stopped" line is lost (docs/operations.md says so); with it, assertStopsCleanly sees it.
    }

    @Test
    void ofTwoSystemdSocketsTheFirstIsTakenByNameAndTheSecondIsAClearError() throws Exception {
        List<Path> jars = PackagedJars.threeJars();
        List<String> args = new ArrayList<>(List.of("tcp", "127.0.0.1:0", "listen-fds-twice",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=dev.socketserver.impl", "-p", jars.get(0) + ":" + jars.get(1),
                "--add-modules", "dev.socketserver.api,dev.socketserver.impl",
                LAUNCH_PY.resolveSibling("TwoListenFds.java").toString()));
        Launched launched = launchCommand(args);
        assertTrue(launched.process().waitFor(30, TimeUnit.SECONDS), "the launcher ended");
        String err = launched.err().all();
        assertEquals(0, launched.process().exitValue(), err);
        assertEquals("count=2 names=[first, second]\n"
                + "first=/" + launched.socket() + "\n"
                + "second: fd 4 cannot be taken as well: Java makes a channel of an inherited socket only through "
                + "System.inheritedChannel(), once per JVM, and fd 3 took it; serve one inherited socket per JVM\n",
                launched.out().all().lines().skip(2).map(line -> line + "\n").reduce("", String::concat));
    }

    @Test
    void socketsPassedToAnotherPidAreIgnoredWithAClearError() throws Exception {
        Launched launched = launch("tcp", "127.0.0.1:0", "listen-fds-other-pid", "echo", "--inherited", "--mixin", "sync");
        assertTrue(launched.process().waitFor(30, TimeUnit.SECONDS), "the launcher ended");
        String err = launched.err().all();
        assertEquals(1, launched.process().exitValue(), err);
        assertTrue(err.startsWith("samples: no inherited socket: LISTEN_PID="), err);
        assertTrue(err.contains(" is another process (this is " + launched.pid() + "), so LISTEN_FDS=1 is not for this one"), err);
    }

    @Test
    void standardInputThatIsNoSocketIsAClearError() throws Exception {
        Process process = start(List.of(SAMPLES.toString(), "echo", "--inherited", "--mixin", "sync"));
        process.getOutputStream().close();
        Lines err = new Lines(process.getErrorStream());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the launcher ended");
        String text = err.all();
        assertEquals(1, process.exitValue(), text);
        assertTrue(text.startsWith("samples: no inherited socket: LISTEN_FDS is not set, and standard input is not a socket (pipe:["),
                text);
    }

    @Test
    void aDatagramSocketIsRefusedClearly() throws Exception {
        Launched launched = launch("udp", "127.0.0.1:0", "listen-fds", "echo", "--inherited", "--mixin", "sync");
        assertTrue(launched.process().waitFor(30, TimeUnit.SECONDS), "the launcher ended");
        String err = launched.err().all();
        assertEquals(1, launched.process().exitValue(), err);
        assertEquals("samples: the inherited socket is a datagram socket (ListenDatagram=); --inherited serves a "
                + "listening stream socket (tcp or unix-stream: ListenStream=, inetd wait mode)\n", err);
    }
}
