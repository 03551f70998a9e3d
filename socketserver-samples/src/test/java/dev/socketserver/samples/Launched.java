package dev.socketserver.samples;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The processes one drain test starts: the checked-in launcher and python3 clients, each with its
 * output read line by line. {@link #close()} kills whatever is left.
 */
final class Launched implements AutoCloseable {

    private static final Path LAUNCHER = Path.of("samples").toAbsolutePath();

    /** One started process and its output. */
    record Proc(Process process, Lines out, Lines err) {

        /** The next line on standard output, failing if none comes within the bound of {@link Lines#next()}. */
        String line() throws InterruptedException {
            String line = out.next();
            assertNotNull(line, "no line in time from " + process.info().commandLine().orElse("the process"));
            return line;
        }

        /** Writes a line to its standard input. */
        void tell(String line) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        /** Sends a signal with kill(1): not Process.destroy(), which also closes our end of its output. */
        void signal(String name) throws IOException, InterruptedException {
            assertEquals(0, new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start().waitFor());
        }

        /** Waits for the exit, bounded, and returns the status. */
        int exit() throws InterruptedException {
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the process ended");
            return process.exitValue();
        }

        /** Whether the process ignores SIGINT, as background jobs of a non-interactive shell do (and the JVM keeps it). */
        boolean ignoresSigint() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 1)) != 0; // bit of signal 2
                }
            }
            return false;
        }
    }

    private final List<Process> started = new ArrayList<>();

    /** Starts {@code socketserver-samples/samples ARGS}. */
    Proc samples(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        return start(new ProcessBuilder(command), Map.of());
    }

    /** Starts {@code python3 -c SCRIPT ARGS}; skipped where python3 is missing, failed instead under CI=true. */
    Proc python(String script, String... args) throws IOException {
        SelfSigned.assumeInstalled("python3", "python3 is the outside client of the drain tests");
        List<String> command = new ArrayList<>(List.of("python3", "-u", "-c", script));
        command.addAll(List.of(args));
        return start(new ProcessBuilder(command), Map.of());
    }

    private Proc start(ProcessBuilder builder, Map<String, String> env) throws IOException {
        builder.environment().remove("SOCKETSERVER_ADMIN_TOKEN"); // the tests decide whether there is a token
        builder.environment().putAll(env);
        Process process = builder.start();
        started.add(process);
        return new Proc(process, new Lines(process.getInputStream()), new Lines(process.getErrorStream()));
    }

    @Override
    public void close() {
        boolean interrupted = false;
        for (Process process : started) {
            process.destroyForcibly();
            try {
                assertTrue(process.waitFor(10, TimeUnit.SECONDS), "a started process ended");
            } catch (InterruptedException e) {
                interrupted = true; // go on killing the rest; the interrupt is kept for the caller
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
