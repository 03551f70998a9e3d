package dev.socketserver.impl;

import dev.socketserver.TCPServer;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 14, point 2: at the descriptor limit the serving loop neither spins nor stays stuck. A child
 * JVM runs {@link DescriptorLimitProbe} under {@code prlimit --nofile=LIMIT:LIMIT} (both limits: the JVM
 * raises a soft limit to the hard one by itself); more clients than that connect and stay connected,
 * so {@code accept} fails with "Too many open files" while the listener stays ready. The test reads
 * the child's CPU time from /proc/PID/stat over a window while it is at the limit (under 5 % of a core;
 * it was 100 % before the backoff), checks the WARNING names the limit and is not repeated per
 * attempt, then closes the clients and checks that a new client is served (recovery without help).
 */
class DescriptorLimitTest {

    private static final int LIMIT = 256;
    private static final int CLIENTS = LIMIT + Soak.scaled(150, 1_000);
    private static final Duration WINDOW = Duration.ofSeconds(Soak.scaled(3, 30));
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final double MOST_CPU = 0.05;
    private static final Pattern LISTENING = Pattern.compile("listening (\\d+)");

    @Test
    void atTheLimitTheLoopPausesWarnsOnceAndRecoversByItself() throws Exception {
        ExternalTools.assumeInstalled("prlimit", "it starts the server under a descriptor limit (util-linux)");
        Path out = Files.createTempFile("limit-out", ".txt");
        Path err = Files.createTempFile("limit-err", ".txt");
        List<Socket> clients = new ArrayList<>();
        Process child = start(out, err);
        try {
            int port = Integer.parseInt(awaitMatch(out, LISTENING, child).group(1));
            for (int i = 0; i < CLIENTS; i++) {
                Socket s = new Socket();
                clients.add(s);
                s.connect(new InetSocketAddress("127.0.0.1", port), 10_000); // the backlog completes it
                s.getOutputStream().write("hi\n".getBytes(StandardCharsets.US_ASCII));
            }
            awaitMatch(err, Pattern.compile("cannot accept: Too many open files"), child);

            long before = cpuTicks(child.pid());
            long start = System.nanoTime();
            Thread.sleep(WINDOW.toMillis()); // the measuring window, not a synchronisation
            long ticks = cpuTicks(child.pid()) - before;
            double seconds = (System.nanoTime() - start) / 1e9;
            double share = ticks / (TICKS_PER_SECOND * seconds);
            System.out.printf("DescriptorLimitTest: %d clients against nofile=%d: child used %.1f %% of a core over %.1f s at the limit%n",
                    CLIENTS, LIMIT, 100 * share, seconds);
            assertTrue(share < MOST_CPU, String.format("the server used %.1f %% of a core at the descriptor limit", 100 * share));

            for (Socket s : clients) {
                s.close();
            }
            clients.clear();
            try (Socket fresh = new Socket()) {
                fresh.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                fresh.setSoTimeout((int) WAIT.toMillis());
                fresh.getOutputStream().write("fresh\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("fresh\n", readLine(fresh.getInputStream()), "a client after the others closed is served");
            }

            String log = Files.readString(err, StandardCharsets.UTF_8);
            long warnings = log.lines().filter(l -> l.contains("cannot accept: Too many open files")).count();
            assertTrue(log.contains("open files limit " + LIMIT), log);
            // one per 10 s interval, not one per attempt
            assertTrue(warnings <= 1 + WINDOW.toSeconds() / 10 + 2, warnings + " warnings:\n" + log);
        } catch (Throwable t) {
            t.addSuppressed(new AssertionError("the probe's stderr:\n" + Files.readString(err, StandardCharsets.UTF_8)));
            throw t;
        } finally {
            for (Socket s : clients) {
                s.close();
            }
            child.getOutputStream().close(); // the probe's signal to stop
            if (!child.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("the probe did not stop; stderr: " + Files.readString(err, StandardCharsets.UTF_8));
            }
            String printed = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            assertEquals(0, child.exitValue(), stderr);
            assertTrue(printed.contains("stopped"), printed);
        }
    }

    private static final double TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux architecture in use

    /** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // the name may hold spaces
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields[0] is field 3, the state
    }

    private static Process start(Path out, Path err) throws IOException, URISyntaxException {
        List<String> command = new ArrayList<>(List.of("prlimit", "--nofile=" + LIMIT + ":" + LIMIT, "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "--add-exports", "java.base/sun.nio.ch=dev.socketserver.impl", "--enable-native-access=dev.socketserver.impl",
                "--module-path", String.join(File.pathSeparator, location(TCPServer.class), location(NioEngineProvider.class)),
                "--patch-module", "dev.socketserver.impl=" + testClasses(),
                "-m", "dev.socketserver.impl/" + DescriptorLimitProbe.class.getName()));
        return new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    }

    /** Polls a file the child writes until a line matches, with a deadline. */
    private static Matcher awaitMatch(Path file, Pattern pattern, Process child) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Matcher m = pattern.matcher(Files.readString(file, StandardCharsets.UTF_8));
            if (m.find()) {
                return m;
            }
            if (!child.isAlive()) {
                break;
            }
            Thread.sleep(20); // polling a file with a deadline
        }
        throw new AssertionError("no '" + pattern + "' from the probe (alive: " + child.isAlive() + "); its file:\n"
                + Files.readString(file, StandardCharsets.UTF_8));
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            b.append((char) c);
            if (c == '\n') {
                break;
            }
        }
        return b.toString();
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static String testClasses() throws URISyntaxException {
        Path file = Path.of(DescriptorLimitProbe.class.getResource(DescriptorLimitProbe.class.getSimpleName() + ".class").toURI());
        return file.getParent().getParent().getParent().getParent().toString();
    }
}
