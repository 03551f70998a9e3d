package dev.socketserver.impl;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects every record of the {@code dev.socketserver} logger, at every level, while open, and keeps
 * them off the console; closing puts the logger back as it was.
 */
final class RecordCapture implements AutoCloseable {

    private final Logger logger = Logger.getLogger("dev.socketserver");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Level level = logger.getLevel();
    private final boolean useParent = logger.getUseParentHandlers();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    RecordCapture() {
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL); // DEBUG lines are captured too: only the rate limit may hold them back
    }

    List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** The records whose message contains {@code text}. */
    List<LogRecord> containing(String text) {
        return records.stream().filter(r -> r.getMessage() != null && r.getMessage().contains(text)).toList();
    }

    /** Lines written if each record were printed: its message plus its stack trace, as a console handler does. */
    static long lines(List<LogRecord> records) {
        long n = 0;
        for (LogRecord r : records) {
            n += r.getMessage().lines().count();
            for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
                n += 1 + t.getStackTrace().length;
            }
        }
        return n;
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(useParent);
        logger.setLevel(level);
    }
}
