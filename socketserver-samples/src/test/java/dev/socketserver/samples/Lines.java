package dev.socketserver.samples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A process's output, collected line by line on a thread, so a test can wait for a line with a bound. */
final class Lines {
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final Thread reader;

    Lines(InputStream stream) {
        reader = Thread.ofPlatform().daemon().start(() -> {
            try (var lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    queue.add(line);
                }
            } catch (IOException ignored) {
                // the process was killed
            }
        });
    }

    /** The next line, or {@code null} if none came within the bound. */
    String next() throws InterruptedException {
        String line = queue.poll(20, TimeUnit.SECONDS);
        if (line != null) {
            seen.add(line);
        }
        return line;
    }

    /** Every line, once the stream has ended (the process exited). */
    String all() throws InterruptedException {
        assertTrue(reader.join(Duration.ofSeconds(10)), "the output ended");
        queue.drainTo(seen);
        return seen.stream().map(line -> line + "\n").collect(Collectors.joining());
    }
}

