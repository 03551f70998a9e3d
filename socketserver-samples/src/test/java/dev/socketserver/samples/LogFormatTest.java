package dev.socketserver.samples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The samples' log line ({@link LogFormat}) and the levels {@code SAMPLES_LOG} sets ({@link SampleLogging}). */
class LogFormatTest {

    private static LogRecord record(Level level, String logger, String message, Throwable thrown) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName(logger);
        record.setInstant(Instant.parse("2026-12-01T18:20:55.123456Z"));
        record.setThrown(thrown);
        return record;
    }

    @Test
    void oneLineWithUtcMillisTheSlf4jLevelTheLoggerAndTheMessage() {
        assertEquals("2026-12-01T18:20:55.123Z INFO  dev.socketserver.admin.audit  POST /x -> 200" + System.lineSeparator(),
                new LogFormat().format(record(Level.INFO, "dev.socketserver.admin.audit", "POST /x -> 200", null)));
    }

    @Test
    void levelsAreSlf4jsNames() {
        assertEquals(List.of("ERROR", "WARN ", "INFO ", "INFO ", "DEBUG", "TRACE", "TRACE"),
                List.of(Level.SEVERE, Level.WARNING, Level.INFO, Level.CONFIG, Level.FINE, Level.FINER, Level.FINEST)
                        .stream().map(LogFormat::level).toList());
    }

    @Test
    void furtherLinesAndStackTracesAreIndentedSoEveryRecordStartsAtAnUnindentedLine() {
        String text = new LogFormat().format(record(Level.SEVERE, "dev.socketserver", "two\nlines",
                new IOException("boom", new IllegalStateException("cause"))));
        List<String> lines = text.lines().toList();
        assertTrue(LogFormat.FIRST_LINE.matcher(lines.getFirst()).matches(), lines.getFirst());
        assertTrue(lines.getFirst().endsWith(" ERROR dev.socketserver  two"), lines.getFirst());
        assertEquals("    lines", lines.get(1));
        assertEquals("    java.io.IOException: boom", lines.get(2));
        assertTrue(lines.stream().skip(1).allMatch(line -> line.startsWith(LogFormat.INDENT)), text);
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("    Caused by: java.lang.IllegalStateException: cause")), text);
    }

    @Test
    void samplesLogSetsOneLevelForAllOrPerLogger() {
        List<String> problems = new ArrayList<>();
        var quiet = SampleLogging.levels(null, problems);
        assertEquals(Level.INFO, quiet.get(""));
        assertEquals(Level.WARNING, quiet.get("org.eclipse.jetty"), "no Jetty start-up lines by default");
        assertEquals(Level.INFO, quiet.get("dev.socketserver.admin.audit"));

        var all = SampleLogging.levels("debug, dev.socketserver.admin.audit=off", problems);
        assertEquals(Level.FINE, all.get("org.eclipse.jetty"));
        assertEquals(Level.FINE, all.get(""));
        assertEquals(Level.OFF, all.get("dev.socketserver.admin.audit"));
        assertEquals(List.of(), problems);

        var bad = SampleLogging.levels("loud,=info,io.javalin=warn", problems);
        assertEquals(Level.WARNING, bad.get("io.javalin"));
        assertEquals(2, problems.size(), problems::toString);
        assertTrue(problems.getFirst().startsWith("ignoring 'loud' in SAMPLES_LOG"), problems::toString);
    }
}
