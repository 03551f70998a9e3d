package dev.socketserver.samples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The echo client of {@link UnixDatagramEchoServer}. The JDK cannot open {@code AF_UNIX} datagram
 * sockets, and a client must bind a socket file of its own or the server has nowhere to send the
 * answer, so this client runs {@code socat - UNIX-SENDTO:PATH,bind=OWN} with {@code OWN} in a fresh
 * temporary folder, writes one line at a time to it (one datagram each) and reads each answer back.
 * Without socat it says so in one line. Python, which can open such a socket itself:
 *
 * <pre>
 * with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
 *     sock.bind("/tmp/my-client.sock"); sock.connect("/tmp/echo-dgram.sock")
 *     for line in sys.stdin:
 *         sock.send(line.encode())
 *         print(sock.recv(65536).decode(), end="")
 * </pre>
 *
 * <pre>
 * java -p socketserver-api/target/socketserver-api-0.1.0-SNAPSHOT.jar:socketserver-impl/target/socketserver-impl-0.1.0-SNAPSHOT.jar:socketserver-samples/target/socketserver-samples-0.1.0-SNAPSHOT.jar \
 *      -m dev.socketserver.samples/dev.socketserver.samples.UnixDatagramEchoClient --connect /tmp/echo-dgram.sock
 * socketserver-samples/samples client --family unix-datagram --connect /tmp/echo-dgram.sock
 * </pre>
 */
public final class UnixDatagramEchoClient {

    /** How long the client waits for each answer. */
    static final Duration ANSWER_WAIT = UdpEchoClient.ANSWER_WAIT;

    private UnixDatagramEchoClient() {
    }

    /**
     * Sends each line of {@code lines} as one datagram, through socat, and prints each answer.
     *
     * @param address the server's socket file
     * @param lines what to send, up to its end
     * @param out where the answers go
     * @throws IOException if socat is missing, the server is not there, or an answer does not come in time
     */
    static void talk(UnixDomainSocketAddress address, BufferedReader lines, PrintStream out) throws IOException {
        Path server = address.getPath();
        if (server.toString().matches(".*[,:!\"'\\\\\\s].*")) {
            throw new IOException("socat cannot take the path " + server + " (it has a comma, colon, quote, "
                    + "backslash, '!' or space); use a simpler path");
        }
        if (!Files.exists(server)) {
            throw new IOException("no socket file " + server + " (is the server running?)");
        }
        Path dir = Files.createTempDirectory("socketserver-client-");
        try {
            Process socat;
            try {
                socat = new ProcessBuilder("socat", "-t", "0.5", "-", socatAddress(server, dir.resolve("client.sock"))).start();
            } catch (IOException e) {
                throw new IOException("the unix-datagram client runs socat, which is not installed here "
                        + "(apt-get install socat; then: socat - " + socatAddress(server, Path.of("/tmp/client.sock")) + ")", e);
            }
            try {
                exchange(socat, lines, out);
            } finally {
                socat.getOutputStream().close(); // socat ends half a second later (-t 0.5)
                if (!socat.waitFor(ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    socat.destroy();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            try (var files = Files.list(dir)) { // socat removes its socket; this is in case it was killed
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /**
     * socat's address for a Unix datagram client bound to {@code own}: its standard input goes to the
     * server as datagrams, and the answers, sent back to {@code own}, come out on its standard output.
     */
    static String socatAddress(Path server, Path own) {
        return "UNIX-SENDTO:" + server + ",bind=" + own;
    }

    /** Writes one line at a time (so each is one datagram) and waits, bounded, for its answer. */
    private static void exchange(Process socat, BufferedReader lines, PrintStream out) throws IOException, InterruptedException {
        BlockingQueue<String> answers = new ArrayBlockingQueue<>(1024);
        Thread.ofPlatform().daemon().name("socat-answers").start(() -> {
            try (var reader = new BufferedReader(new InputStreamReader(socat.getInputStream(), StandardCharsets.UTF_8))) {
                for (String answer; (answer = reader.readLine()) != null; ) {
                    answers.put(answer);
                }
            } catch (IOException | InterruptedException ignored) {
                // socat ended
            }
        });
        OutputStream requests = socat.getOutputStream();
        for (String line; (line = lines.readLine()) != null; ) {
            requests.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            requests.flush();
            String answer = answers.poll(ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (answer == null) {
                String why = socat.isAlive() ? "no answer within " + ANSWER_WAIT.toSeconds() + " s"
                        : new String(socat.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                String last = why.lines().reduce((first, second) -> second).orElse("socat ended")
                        .replaceFirst("^\\S+ \\S+ socat\\[\\d+] [A-Z] ", ""); // without socat's date, pid and level
                throw new IOException("unix-datagram client (socat): " + last);
            }
            out.println(answer);
        }
    }

    /**
     * Talks to the server until standard input ends (Ctrl-D).
     *
     * @param args {@code [--connect PATH]}
     */
    public static void main(String[] args) {
        SampleMain.run(UnixDatagramEchoClient.class, "[--connect PATH]  (/tmp/echo-dgram.sock)", args, options ->
                talk(options.socketPathOption("connect", "/tmp/echo-dgram.sock", false), SampleMain.stdin(), System.out));
    }
}
