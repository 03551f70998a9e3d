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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Runs the checked-in launcher, {@code socketserver-samples/samples}, as a process on the jars that
 * {@code mvn verify} packaged just before (hence failsafe, after {@code package}).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a stuck pipe read cannot hang the build
class LauncherIT {

    private static final Path LAUNCHER = Path.of("samples").toAbsolutePath();
    private final List<Process> started = new ArrayList<>();

    /** What a finished launcher printed and returned. */
    private record Result(int status, String out, String err) {
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        }
    }

    private Process start(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("SOCKETSERVER_ADMIN_TOKEN"); // the tests decide whether there is a token
        builder.environment().putAll(env);
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private Result run(Map<String, String> env, String... args) throws Exception {
        Process process = start(env, args);
        process.getOutputStream().close();
        Lines out = new Lines(process.getInputStream());
        Lines err = new Lines(process.getErrorStream());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the launcher ended");
        return new Result(process.exitValue(), out.all(), err.all());
    }

    @ParameterizedTest(name = "{0} with {1}, stopped by SIG{2}")
    @CsvSource({"tcp, virtual, TERM", "unix-stream, threading, TERM", "tcp, sync, INT", "unix-stream, virtual, INT"})
    void echoAnswersThenStopsCleanlyOnASignal(String family, String mixIn, String signal, @TempDir Path dir)
            throws Exception {
        Path socketFile = dir.resolve("echo.sock");
        String bind = family.equals("tcp") ? "127.0.0.1:0" : socketFile.toString();
        Process server = start(Map.of(), "echo", "--family", family, "--mixin", mixIn, "--bind", bind);
        Lines out = new Lines(server.getInputStream());
        Lines err = new Lines(server.getErrorStream());

        String listening = out.next();
        assertNotNull(listening, "no 'listening' line in time");
        String[] words = listening.split(" ");
        assertEquals(4, words.length, listening);
        assertEquals("listening", words[0]);
        assertEquals(family, words[1]);
        int fileno = Integer.parseInt(words[3].substring("fileno=".length()));
        assertTrue(Files.readSymbolicLink(Path.of("/proc", String.valueOf(server.pid()), "fd", String.valueOf(fileno)))
                .toString().startsWith("socket:"), "fileno is the server's real socket descriptor");
        List<String> jvmArgs = List.of(Files.readString(Path.of("/proc", String.valueOf(server.pid()), "cmdline")).split("\0"));
        assertTrue(jvmArgs.contains("java.base/sun.nio.ch=dev.socketserver.impl"), jvmArgs::toString);
        assertTrue(jvmArgs.contains("--enable-native-access=dev.socketserver.impl"), jvmArgs::toString);
        assertFalse(jvmArgs.contains("--add-modules"), "a plain echo leaves the admin gateway (and Javalin) unresolved: "
                + jvmArgs);

        SocketAddress address = family.equals("tcp") ? CommandLine.hostPort("connect", words[2])
                : UnixDomainSocketAddress.of(words[2]);
        if (!family.equals("tcp")) {
            assertEquals(socketFile.toString(), words[2]);
            assertTrue(Files.exists(socketFile));
        }
        // A client that has had its answer and stays connected: its handler is still reading when the signal comes.
        try (SocketChannel client = SocketChannel.open(address);
             var answers = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8))) {
            Channels.newOutputStream(client).write("hello over the launcher\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("hello over the launcher", answers.readLine());

            if (signal.equals("INT")) {
                assumeFalse(ignoresSigint(server.pid()), "this test runs where SIGINT is ignored (a background job), "
                        + "and the JVM keeps an inherited SIG_IGN");
            }
            // not Process.destroy(): it also closes our end of the server's stdout, losing the last lines
            assertEquals(0, new ProcessBuilder("sh", "-c", "kill -" + signal + " " + server.pid()).start().waitFor());
            assertTrue(server.waitFor(20, TimeUnit.SECONDS), "the server stopped");
            assertEquals(null, answers.readLine(), "the connection ended with the server");
        }
        String errText = err.all();
        assertEquals(0, server.exitValue(), errText);
        assertEquals("", errText, "nothing on stderr");
        // SIGTERM drains: the idle connection ends between requests, so nothing is cut off; Ctrl-C closes at once
        List<String> lines = out.all().lines().toList();
        if (signal.equals("TERM")) {
            assertEquals("draining " + words[2], lines.get(lines.size() - 3));
            assertTrue(lines.get(lines.size() - 2).matches("drained finished=1 forced=0 duration=\\d+ms"), lines::toString);
            assertEquals("stopped", lines.getLast());
        } else {
            assertEquals("stopped (requests still running after 2 s were cut off)", lines.getLast());
        }
        assertFalse(Files.exists(socketFile), "the socket file is removed");
    }

    @Test
    void accessLogPrintsEachConnectionsClientAsTheHandlerSeesIt() throws Exception {
        Process server = start(Map.of(), "echo", "--family", "tcp", "--mixin", "virtual", "--bind", "127.0.0.1:0",
                "--access-log");
        Lines out = new Lines(server.getInputStream());
        String listening = out.next();
        assertNotNull(listening, "no 'listening' line in time");
        try (SocketChannel client = SocketChannel.open(CommandLine.hostPort("connect", listening.split(" ")[2]))) {
            java.net.InetSocketAddress local = (java.net.InetSocketAddress) client.getLocalAddress();
            assertEquals("access client=127.0.0.1:" + local.getPort() + " proxy=-", out.next(), "no PROXY header: no proxy");
        }
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({"udp, sync", "unix-datagram, virtual"})
    void datagramEchoAnswersThenStopsCleanlyOnSigterm(String family, String mixIn, @TempDir Path dir) throws Exception {
        if (family.equals("unix-datagram")) {
            Socat.assumeInstalled();
        }
        Path socketFile = dir.resolve("echo.sock");
        String bind = family.equals("udp") ? "127.0.0.1:0" : socketFile.toString();
        Process server = start(Map.of(), "echo", "--family", family, "--mixin", mixIn, "--bind", bind);
        Lines out = new Lines(server.getInputStream());
        Lines err = new Lines(server.getErrorStream());

        String listening = out.next();
        assertNotNull(listening, "no 'listening' line in time");
        String[] words = listening.split(" ");
        assertEquals(List.of("listening", family), List.of(words).subList(0, 2), listening);
        int fileno = Integer.parseInt(words[3].substring("fileno=".length()));
        assertTrue(Files.readSymbolicLink(Path.of("/proc", String.valueOf(server.pid()), "fd", String.valueOf(fileno)))
                .toString().startsWith("socket:"), "fileno is the server's real socket descriptor");
        if (family.equals("udp")) {
            try (DatagramChannel client = DatagramChannel.open()) {
                client.connect(CommandLine.hostPort("connect", words[2]));
                assertEquals("hello over udp\n", Datagrams.exchange(client, "hello over udp\n"));
            }
        } else {
            assertEquals(socketFile.toString(), words[2]);
            assertEquals("hello over socat\n", Socat.sendto(socketFile, dir.resolve("socat.sock"), "hello over socat\n"));
        }

        assertEquals(0, new ProcessBuilder("sh", "-c", "kill -TERM " + server.pid()).start().waitFor());
        assertTrue(server.waitFor(20, TimeUnit.SECONDS), "the server stopped");
        String errText = err.all();
        assertEquals(0, server.exitValue(), errText);
        assertEquals("", errText, "nothing on stderr: no native-access warning either");
        assertEquals("stopped", out.all().lines().reduce((first, second) -> second).orElseThrow());
        assertFalse(Files.exists(socketFile), "the socket file is removed");
    }

    @ParameterizedTest(name = "{0} with {1}, token {2}")
    @CsvSource({"unix-stream, virtual, generated", "tcp, sync, given"})
    void echoWithAdminListsTheServerThenStopsBothOnSigterm(String family, String mixIn, String token, @TempDir Path dir)
            throws Exception {
        Path socketFile = dir.resolve("echo.sock");
        List<String> args = new ArrayList<>(List.of("echo", "--family", family, "--mixin", mixIn,
                "--bind", family.equals("tcp") ? "127.0.0.1:0" : socketFile.toString(), "--admin", "127.0.0.1:0"));
        if (token.equals("given")) {
            args.addAll(List.of("--admin-token", "token-given-by-the-test"));
        }
        Process server = start(Map.of(), args.toArray(String[]::new));
        Lines out = new Lines(server.getInputStream());
        Lines err = new Lines(server.getErrorStream());

        String listening = out.next();
        assertNotNull(listening, "no 'listening' line in time");
        String[] words = listening.split(" ");
        String admin = out.next();
        assertNotNull(admin, "no 'admin' line in time");
        assertTrue(admin.matches("admin http://127\\.0\\.0\\.1:\\d+"), admin);
        URI base = URI.create(admin.substring("admin ".length()));
        List<String> jvmArgs = List.of(Files.readString(Path.of("/proc", String.valueOf(server.pid()), "cmdline")).split("\0"));
        assertEquals("dev.socketserver.admin", jvmArgs.get(jvmArgs.indexOf("--add-modules") + 1),
                "--admin resolves the module the samples only require static: " + jvmArgs);
        String bearer;
        if (token.equals("given")) {
            bearer = "token-given-by-the-test";
        } else {
            String announced = err.next();
            assertNotNull(announced, "the generated token is printed");
            String prefix = "socketserver-admin: no token configured; generated this bearer token (shown once): ";
            assertTrue(announced.startsWith(prefix), announced);
            bearer = announced.substring(prefix.length());
        }

        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertEquals("{\"status\":\"UP\"}", health.body());
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(base.resolve("/api/servers")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode(), "the listing needs the token");
            HttpResponse<String> listing = http.send(HttpRequest.newBuilder(base.resolve("/api/servers"))
                    .header("Authorization", "Bearer " + bearer).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, listing.statusCode(), listing.body());
            String body = listing.body();
            assertTrue(body.startsWith("[{") && body.indexOf("\"id\"") == body.lastIndexOf("\"id\""), "one server: " + body);
            assertTrue(body.contains("\"family\":\"" + family + "\""), body);
            assertTrue(body.contains("\"address\":\"" + words[2] + "\""), body);
            assertTrue(body.contains("\"" + words[3].replace("=", "\":") + ","), "the fileno printed: " + body);
            assertTrue(body.contains("\"state\":\"SERVING\""), body);
        }

        assertEquals(0, new ProcessBuilder("sh", "-c", "kill -TERM " + server.pid()).start().waitFor());
        assertTrue(server.waitFor(20, TimeUnit.SECONDS), "the server stopped");
        String errText = err.all();
        assertEquals(0, server.exitValue(), errText);
        assertEquals("stopped", out.all().lines().reduce((first, second) -> second).orElseThrow());
        assertFalse(Files.exists(socketFile), "the socket file is removed");
        List<String> errLines = errText.lines().toList();
        assertEquals(token.equals("given") ? 1 : 2, errLines.size(), "the generated token once, the 401, no Jetty chatter: "
                + errText);
        assertTrue(LogFormat.FIRST_LINE.matcher(errLines.getLast()).matches(), "the samples' one log format: " + errText);
        assertTrue(errLines.getLast().contains(" WARN  dev.socketserver.admin.internal.BearerAuth  rejected GET /api/servers from 127.0.0.1:"),
                errText);
        try (SocketChannel _ = SocketChannel.open(new java.net.InetSocketAddress("127.0.0.1", base.getPort()))) {
            throw new AssertionError("the admin port still accepts connections");
        } catch (java.net.ConnectException expected) {
            // the gateway is gone with the process
        }
    }

    @Test
    void demoServesEveryFamilyAndTheGatewayThenCleansUpOnSigterm() throws Exception {
        Process demo = start(Map.of(), "demo");
        Lines out = new Lines(demo.getInputStream());
        Lines err = new Lines(demo.getErrorStream());
        List<String> printed = new ArrayList<>();
        for (String line; (line = out.next()) != null; ) {
            printed.add(line);
            if (line.startsWith("Ctrl-C")) {
                break;
            }
        }
        String text = String.join("\n", printed);
        assertTrue(printed.getLast().startsWith("Ctrl-C (or kill " + demo.pid() + ") stops everything and removes "), text);
        Path dir = Path.of(printed.getLast().substring(printed.getLast().indexOf(" removes ") + " removes ".length()));
        assertTrue(Files.isDirectory(dir), text);
        List<String> jvmArgs = List.of(Files.readString(Path.of("/proc", String.valueOf(demo.pid()), "cmdline")).split("\0"));
        assertEquals("dev.socketserver.admin", jvmArgs.get(jvmArgs.indexOf("--add-modules") + 1), jvmArgs::toString);

        Map<String, String> endpoints = new java.util.LinkedHashMap<>(); // family -> address, as the listening lines say
        List<String> families = new ArrayList<>();
        for (String line : printed) {
            if (line.startsWith("listening ")) {
                String[] words = line.split(" ");
                endpoints.putIfAbsent(words[1], words[2]); // the first tcp line is the plain echo, the last the TLS one
                families.add(words[1]);
            }
        }
        assertEquals(List.of("tcp", "udp", "unix-stream", "unix-datagram", "tcp"), families, text);
        String admin = printed.stream().filter(line -> line.startsWith("admin http://")).findFirst().orElseThrow();
        String token = printed.stream().filter(line -> line.startsWith("admin token ")).findFirst().orElseThrow()
                .substring("admin token ".length());
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), "a generated token: " + token);
        assertTrue(printed.contains("  export ADMIN=" + admin.substring("admin ".length()) + " TOKEN=" + token), text);
        String udp = endpoints.get("udp");
        Path unixDatagram = Path.of(endpoints.get("unix-datagram"));
        assertEquals(dir, unixDatagram.getParent(), "socket files are in the demo's folder");
        assertEquals(dir, Path.of(endpoints.get("unix-stream")).getParent());
        assertTrue(printed.contains("    socat - UDP:" + udp), text);
        Path socatClient = dir.resolve("socat-client.sock");
        assertTrue(printed.contains("    socat - UNIX-SENDTO:" + unixDatagram + ",bind=" + socatClient), text);

        for (String family : List.of("tcp", "unix-stream")) {
            SocketAddress address = family.equals("tcp") ? CommandLine.hostPort("connect", endpoints.get(family))
                    : UnixDomainSocketAddress.of(endpoints.get(family));
            try (SocketChannel client = SocketChannel.open(address);
                 var answers = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8))) {
                Channels.newOutputStream(client).write(("hello " + family + "\n").getBytes(StandardCharsets.UTF_8));
                assertEquals("hello " + family, answers.readLine());
            }
        }
        try (DatagramChannel client = DatagramChannel.open()) {
            client.connect(CommandLine.hostPort("connect", udp));
            assertEquals("hello udp\n", Datagrams.exchange(client, "hello udp\n"));
        }
        String sClient = printed.stream().filter(line -> line.startsWith("    openssl s_client -connect ")).findFirst().orElseThrow();
        List<String> sClientWords = List.of(sClient.strip().split(" "));
        Path pem = Path.of(sClientWords.get(sClientWords.indexOf("-CAfile") + 1));
        assertEquals(dir, pem.getParent(), "the certificate is in the demo's folder");
        assertEquals("hello tls", TlsClient.line(CommandLine.hostPort("connect", sClientWords.get(sClientWords.indexOf("-connect") + 1)),
                pem, "hello tls"), "the TLS echo answers a client that trusts the printed certificate");
        if (Socat.installed()) { // the printed command itself, with its client socket in the demo's folder
            assertEquals("hello unix-datagram\n", Socat.sendto(unixDatagram, socatClient, "hello unix-datagram\n"));
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> listing = http.send(HttpRequest.newBuilder(URI.create(admin.substring("admin ".length()) + "/api/servers"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, listing.statusCode(), listing.body());
            int previous = -1;
            for (String line : printed) {
                if (line.startsWith("listening ")) {
                    String[] words = line.split(" ");
                    int at = listing.body().indexOf("\"address\":\"" + words[2] + "\",\"" + words[3].replace("=", "\":") + ",");
                    assertTrue(at >= 0, words[1] + " is listed with its address and fileno: " + listing.body());
                    assertTrue(at > previous, "listed oldest first, as started: " + listing.body());
                    previous = at;
                }
            }
        }

        assertEquals(0, new ProcessBuilder("sh", "-c", "kill -TERM " + demo.pid()).start().waitFor());
        assertTrue(demo.waitFor(20, TimeUnit.SECONDS), "the demo stopped");
        String errText = err.all();
        assertEquals(0, demo.exitValue(), errText);
        assertEquals("stopped", out.all().lines().reduce((first, second) -> second).orElseThrow());
        assertEquals(List.of("socketserver-admin: no token configured; generated this bearer token (shown once): " + token),
                errText.lines().toList(), "stderr: only the gateway's own announcement of the token");
        assertFalse(Files.exists(dir), "the demo's folder and its socket files are removed");
    }

    private static boolean ignoresSigint(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 1)) != 0; // bit of signal 2
            }
        }
        return false;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "echo --family sctp --mixin sync --bind 127.0.0.1:0|unknown family 'sctp' (expected tcp, udp, unix-stream or unix-datagram)",
            "echo --family tcp --mixin sync --bind 127.0.0.1:65536|bad port in --bind 127.0.0.1:65536 (expected 0 to 65535)",
            "echo --family unix-stream --mixin sync --bind /nonexistent-dir/echo.sock|--bind /nonexistent-dir/echo.sock: directory /nonexistent-dir does not exist",
            "client --family tcp --connect|option --connect needs a value",
            "echo --family tcp --mixin sync --bind 127.0.0.1:0 --admin 127.0.0.1|--admin needs HOST:PORT, not '127.0.0.1'",
            "echo --family tcp --mixin sync --bind 127.0.0.1:0 --admin 0.0.0.0:0|--admin 0.0.0.0:0 is not a loopback address: "
                    + "give --admin-token TOKEN (or set SOCKETSERVER_ADMIN_TOKEN) to open the admin gateway there"})
    void badInputPrintsOneLineAndTheUsageWithStatus2(String commandLine, String message) throws Exception {
        Result result = run(Map.of(), commandLine.split(" "));
        assertEquals(2, result.status());
        assertEquals("samples: " + message + "\n" + CommandLine.USAGE, result.err());
        assertEquals("", result.out());
    }

    @Test
    void anAddressInUseIsOneLineWithStatus1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Result result = run(Map.of(), "echo", "--family", "tcp", "--mixin", "virtual",
                    "--bind", "127.0.0.1:" + taken.getLocalPort());
            assertEquals(1, result.status());
            assertTrue(result.err().startsWith("samples: cannot bind to 127.0.0.1:" + taken.getLocalPort() + ": "),
                    result.err());
            assertEquals(1, result.err().lines().count(), result.err());
        }
    }

    @Test
    void benchRunsTheLoadGeneratorAgainstAUdpServerInItsOwnJvm() throws Exception {
        Result result = run(Map.of(), "bench", "--family", "udp", "--mixin", "sync", "--mode", "udp", "--conns", "4",
                "--duration", "1", "--warmup", "0");
        assertEquals(0, result.status(), result.err());
        assertEquals(1, result.out().lines().count(), result.out());
        assertTrue(result.out().startsWith("label=udp-sync-echo mode=udp conns=4 "), result.out());
        assertTrue(result.out().contains(" errors=0 "), result.out());
        assertFalse(result.out().contains(" reqs=0 "), result.out());
    }

    @Test
    void benchHelpIsTheBenchUsage() throws Exception {
        Result result = run(Map.of(), "bench", "--help");
        assertEquals(0, result.status());
        assertTrue(result.out().startsWith("usage: bench "), result.out());
    }

    @Test
    void helpPrintsTheUsage() throws Exception {
        assertEquals(new Result(0, CommandLine.USAGE, ""), run(Map.of(), "--help"));
    }

    @Test
    void findsAJdk25PastAnOlderJavaHomeAndJavaOnPath(@TempDir Path dir) throws Exception {
        Path jdks = Files.createDirectories(dir.resolve("jvm"));
        script(jdks.resolve("some-jdk-25/bin/java"), "exec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' \"$@\"");
        Result result = run(olderJavaOnly(dir, jdks), "--help");
        assertEquals(new Result(0, CommandLine.USAGE, ""), result);
    }

    @Test
    void withoutAJdk25ItSaysSoInOneLine(@TempDir Path dir) throws Exception {
        Path noJdks = Files.createDirectories(dir.resolve("jvm"));
        Result result = run(olderJavaOnly(dir, noJdks), "--help");
        assertEquals(1, result.status());
        assertEquals("samples: no JDK 25 or newer found (tried JAVA_HOME, java on PATH, " + noJdks
                + "); install one or point JAVA_HOME at it\n", result.err());
    }

    @Test
    void theUnixDatagramClientWithoutSocatSaysSoInOneLine(@TempDir Path dir) throws Exception {
        Path bin = dir.resolve("bin");
        for (String tool : List.of("bash", "sed", "dirname")) {
            script(bin.resolve(tool), "exec '" + onPath(tool) + "' \"$@\"");
        }
        Path socketFile = Files.createFile(dir.resolve("echo.sock")); // the client only checks that it exists
        Result result = run(Map.of("PATH", bin.toString(), "JAVA_HOME", System.getProperty("java.home")),
                "client", "--family", "unix-datagram", "--connect", socketFile.toString());
        assertEquals(new Result(1, "", "samples: the unix-datagram client runs socat, which is not installed here "
                + "(apt-get install socat; then: socat - UNIX-SENDTO:" + socketFile + ",bind=/tmp/client.sock)\n"), result);
    }

    /**
     * An environment whose JAVA_HOME and PATH hold only a (fake) Java 17, with {@code jdks} as the
     * folder of installed JDKs. PATH keeps only the tools the launcher uses.
     */
    private static Map<String, String> olderJavaOnly(Path dir, Path jdks) throws IOException {
        Path bin = dir.resolve("bin");
        String oldJava = "echo 'openjdk version \"17.0.15\" 2025-04-15' >&2";
        script(dir.resolve("jdk-17/bin/java"), oldJava);
        script(bin.resolve("java"), oldJava);
        for (String tool : List.of("bash", "sed", "dirname")) {
            script(bin.resolve(tool), "exec '" + onPath(tool) + "' \"$@\"");
        }
        return Map.of("JAVA_HOME", dir.resolve("jdk-17").toString(), "PATH", bin.toString(),
                "SOCKETSERVER_JDK_DIR", jdks.toString());
    }

    /** Writes an executable shell script (no symbolic links: the temporary folder is deleted with its contents). */
    private static void script(Path file, String body) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        assertTrue(file.toFile().setExecutable(true));
    }

    private static Path onPath(String tool) {
        for (String folder : System.getenv("PATH").split(":")) {
            Path candidate = Path.of(folder, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(tool + " is not on PATH");
    }
}
