package dev.socketserver.samples;

import dev.socketserver.MixIn;
import dev.socketserver.UnixDatagramServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Echo over a Unix datagram socket: the UDP sample with another server class and a path for an
 * address. Python: {@code socketserver.UnixDatagramServer(path, MyUDPHandler)}. The server binds
 * through FFM, so the JVM needs {@code --enable-native-access=dev.socketserver.impl} (the launcher
 * passes it). Closing the server removes its socket file.
 *
 * <p>The client: the JDK cannot open {@code AF_UNIX} datagram sockets, and a client must bind a path
 * of its own to get an answer, so {@code samples client --family unix-datagram} runs
 * {@code socat - UNIX-SENDTO:PATH,bind=OWN} with {@code OWN} in a fresh temporary folder, writes one
 * line at a time to it and reads each answer back. Without socat it says so in one line.
 */
final class UnixDatagramEcho implements EchoFamily {

    @Override
    public String label() {
        return "unix-datagram";
    }

    @Override
    public UnixDomainSocketAddress address(String option, String text, boolean forBind) throws UsageException {
        return CommandLine.socketPath(option, text, forBind);
    }

    @Override
    public UnixDomainSocketAddress demoAddress(Path dir) {
        return UnixDomainSocketAddress.of(dir.resolve(label() + ".sock"));
    }

    @Override
    public UnixDatagramServer openServer(SocketAddress address, MixIn mixIn) throws IOException {
        return new UnixDatagramServer(address, DatagramEcho::new, mixIn);
    }

    @Override
    public void runClient(SocketAddress address, BufferedReader lines, PrintStream out) throws IOException {
        Path server = ((UnixDomainSocketAddress) address).getPath();
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
                talk(socat, lines, out);
            } finally {
                socat.getOutputStream().close(); // socat ends half a second later (-t 0.5)
                if (!socat.waitFor(DatagramEcho.ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
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
    private static void talk(Process socat, BufferedReader lines, PrintStream out) throws IOException, InterruptedException {
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
            String answer = answers.poll(DatagramEcho.ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (answer == null) {
                String why = socat.isAlive() ? "no answer within " + DatagramEcho.ANSWER_WAIT.toSeconds() + " s"
                        : new String(socat.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                String last = why.lines().reduce((first, second) -> second).orElse("socat ended")
                        .replaceFirst("^\\S+ \\S+ socat\\[\\d+] [A-Z] ", ""); // without socat's date, pid and level
                throw new IOException("unix-datagram client (socat): " + last);
            }
            out.println(answer);
        }
    }

    @Override
    public List<String> tryCommands(SocketAddress address) {
        Path path = ((UnixDomainSocketAddress) address).getPath();
        return List.of("socat - " + socatAddress(path, path.resolveSibling("socat-client.sock")));
    }
}
