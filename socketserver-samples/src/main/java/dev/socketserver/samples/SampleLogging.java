package dev.socketserver.samples;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * One log backend and one line format for everything a sample prints as a log: java.util.logging,
 * with {@link LogFormat} on standard error.
 *
 * <p>Why java.util.logging: the library logs through {@code System.Logger}, which reaches JUL with no
 * jar at all, so only the admin gateway's SLF4J (Javalin, Jetty, the audit log) needs routing, and one
 * provider jar does it ({@code org.slf4j:slf4j-jdk14}, in the samples' run-time dependencies). The other
 * way round (JUL and {@code System.Logger} into SLF4J) takes two bridges and a backend whose line format
 * cannot be set as fully. An application that uses the library picks its own backend; this is the
 * samples' choice, not the library's.
 *
 * <p>Quiet by default: INFO for the library and the gateway's audit log, warnings only from Jetty,
 * Javalin and the rest of the gateway (the launcher prints the gateway's address itself), and nothing
 * from Javalin's "failed to start", which the launcher says in one line. {@code SAMPLES_LOG} (or the
 * system property {@code samples.log}) changes the levels: a level for everything and/or
 * {@code LOGGER=LEVEL} pairs, e.g. {@code SAMPLES_LOG=info} for Jetty's start-up lines too, or
 * {@code SAMPLES_LOG=dev.socketserver=debug} for the clients that went away. Levels are SLF4J's:
 * off, error, warn, info, debug, trace, all. A JVM started with {@code -Djava.util.logging.config.file}
 * keeps that configuration instead.
 */
final class SampleLogging {

    /** The environment variable that sets levels; the system property {@link #PROPERTY} wins over it. */
    static final String ENV = "SAMPLES_LOG";
    static final String PROPERTY = "samples.log";

    private static final Map<String, Level> LEVELS = Map.of("off", Level.OFF, "error", Level.SEVERE,
            "warn", Level.WARNING, "info", Level.INFO, "debug", Level.FINE, "trace", Level.FINEST, "all", Level.ALL);

    private static boolean installed;

    private SampleLogging() {
    }

    /**
     * Sets up logging once per JVM, before anything logs: every sample's {@code main}, the launcher, and
     * the admin gateway's start (for {@code Demo}'s own {@code main} and tests that start it in-process).
     */
    static synchronized void install() {
        if (installed || System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        installed = true;
        String spec = System.getProperty(PROPERTY, System.getenv(ENV));
        List<String> problems = new ArrayList<>();
        Map<String, Level> levels = levels(spec, problems);
        Properties config = new Properties();
        levels.forEach((logger, level) -> config.setProperty(logger + ".level", level.getName()));
        try {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            config.store(text, null);
            LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(text.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ConsoleHandler handler = new ConsoleHandler(); // standard error
        handler.setLevel(Level.ALL); // the loggers' levels decide
        handler.setFormatter(new LogFormat());
        Logger root = Logger.getLogger(""); // held by the LogManager, so its handler stays
        root.addHandler(handler);
        for (String problem : problems) {
            Logger.getLogger("dev.socketserver.samples").warning(problem);
        }
    }

    /**
     * Turns a {@code SAMPLES_LOG} value into JUL levels by logger name ({@code ""} is the root).
     *
     * @param spec e.g. {@code info} or {@code warn,dev.socketserver=debug}; {@code null} for the defaults
     * @param problems where entries that could not be read are described
     * @return the levels, the quiet defaults first
     */
    static Map<String, Level> levels(String spec, List<String> problems) {
        Map<String, Level> levels = new LinkedHashMap<>();
        levels.put("", Level.INFO);
        levels.put("org.eclipse.jetty", Level.WARNING);
        levels.put("io.javalin", Level.WARNING);
        levels.put("io.javalin.Javalin", Level.OFF);
        levels.put("dev.socketserver.admin", Level.WARNING);
        levels.put("dev.socketserver.admin.audit", Level.INFO);
        if (spec == null || spec.isBlank()) {
            return levels;
        }
        for (String entry : spec.split(",")) {
            String[] pair = entry.strip().split("=", 2);
            Level level = LEVELS.get(pair[pair.length - 1].strip().toLowerCase(Locale.ROOT));
            if (level == null || pair.length == 2 && pair[0].isBlank()) {
                problems.add("ignoring '" + entry.strip() + "' in " + ENV + " (expected LEVEL or LOGGER=LEVEL, LEVEL one of "
                        + "off, error, warn, info, debug, trace, all)");
            } else if (pair.length == 1) { // one level for everything: the quiet defaults go
                levels.replaceAll((logger, old) -> level);
            } else {
                levels.put(pair[0].strip(), level);
            }
        }
        return levels;
    }
}
