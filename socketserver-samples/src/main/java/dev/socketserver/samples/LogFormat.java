package dev.socketserver.samples;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

/**
 * The samples' one log line, whoever logs: the library through {@code System.Logger}, the admin
 * gateway, Javalin and Jetty through SLF4J (routed to java.util.logging by {@code slf4j-jdk14}):
 * <pre>{@code 2026-12-01T18:20:55.123Z INFO  dev.socketserver.admin.audit  POST /api/servers/tcp-1/shutdown ...}</pre>
 * UTC time to the millisecond, SLF4J's level names padded to five, the logger's name, two spaces,
 * the message. Anything that does not fit on that line (a message's further lines, a stack trace) follows
 * indented by four spaces, so a record always starts at a line with no leading blank and a reader
 * (or {@code grep}) can tell records apart.
 */
final class LogFormat extends Formatter {

    /** A record's first line; every further line of the record starts with {@link #INDENT}. */
    static final Pattern FIRST_LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (ERROR|WARN |INFO |DEBUG|TRACE) \\S+  .*");
    static final String INDENT = "    ";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Override
    public String format(LogRecord record) {
        String logger = record.getLoggerName() == null || record.getLoggerName().isEmpty() ? "root" : record.getLoggerName();
        StringBuilder line = new StringBuilder(160).append(TIME.format(record.getInstant())).append(' ')
                .append(level(record.getLevel())).append(' ').append(logger).append("  ");
        appendIndented(line, String.valueOf(formatMessage(record)));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append('\n').append(INDENT);
            appendIndented(line, trace.toString().stripTrailing());
        }
        return line.append(System.lineSeparator()).toString();
    }

    /**
     * SLF4J's name for a JUL level, by the thresholds of SLF4J's own JUL bridge: up to FINER is TRACE,
     * FINE is DEBUG, CONFIG and INFO are INFO, WARNING is WARN, above it ERROR. So {@code System.Logger}'s
     * TRACE and DEBUG (FINER, FINE) and SLF4J's trace and debug (FINEST, FINE) print the same names.
     */
    static String level(Level level) {
        int value = level.intValue();
        if (value <= Level.FINER.intValue()) {
            return "TRACE";
        } else if (value <= Level.FINE.intValue()) {
            return "DEBUG";
        } else if (value <= Level.INFO.intValue()) {
            return "INFO ";
        } else if (value <= Level.WARNING.intValue()) {
            return "WARN ";
        }
        return "ERROR";
    }

    private static void appendIndented(StringBuilder line, String text) {
        line.append(text.replace("\r\n", "\n").replace("\n", "\n" + INDENT));
    }
}
