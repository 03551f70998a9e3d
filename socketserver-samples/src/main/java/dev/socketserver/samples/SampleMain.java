package dev.socketserver.samples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few lines every sample's {@code main} shares, so that the sample itself shows only its handler
 * and its server: reads the options by the launcher's rules, prints {@code --help}, and turns failures
 * into the launcher's one-line messages and exit statuses (0 after a clean stop, 1 when something fails
 * at run time, 2 for bad input).
 */
final class SampleMain {

    private static final Pattern OPTION = Pattern.compile("--([a-z][a-z-]*)");

    /** What a sample does with its options. */
    @FunctionalInterface
    interface Body {
        /**
         * Runs the sample; a server serves until Ctrl-C or SIGTERM.
         *
         * @param options the parsed options
         * @throws IOException when something fails at run time
         * @throws UsageException for bad input
         * @throws InterruptedException if interrupted while serving
         */
        void run(CommandLine options) throws IOException, UsageException, InterruptedException;
    }

    private SampleMain() {
    }

    /**
     * Runs a sample's {@code main} and ends the JVM with its status.
     *
     * @param sample the sample's class, which names it in messages and the usage
     * @param synopsis its options, e.g. {@code [--bind HOST:PORT] [--mixin sync|threading|virtual]}; the
     *     options named here are the ones accepted
     * @param args the arguments given to {@code main}
     * @param body what the sample does
     */
    static void run(Class<?> sample, String synopsis, String[] args, Body body) {
        SampleLogging.install();
        Serving.exit(status(sample, synopsis, args, System.out, System.err, body));
    }

    /**
     * Runs a sample's {@code main} and returns its status; what {@link #run} ends the JVM with.
     *
     * @param sample the sample's class
     * @param synopsis its options
     * @param args the arguments
     * @param out where {@code --help} goes
     * @param err where one-line errors go
     * @param body what the sample does
     * @return the exit status
     */
    static int status(Class<?> sample, String synopsis, String[] args, PrintStream out, PrintStream err, Body body) {
        String name = sample.getSimpleName();
        String usage = usage(sample, synopsis);
        try {
            if (CommandLine.wantsHelp(args)) {
                out.print(usage);
                return 0;
            }
            body.run(CommandLine.parseOptions(name, options(synopsis), args));
            return 0;
        } catch (UsageException e) {
            err.println(name + ": " + e.getMessage());
            err.print(usage);
            return 2;
        } catch (IOException | UncheckedIOException | UnsupportedOperationException e) { // the last: e.g. native access denied
            err.println(name + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(name + ": interrupted");
            return 1;
        }
    }

    /**
     * Returns standard input as UTF-8 lines: a client's input, or the console the seed server reads
     * its replies from.
     *
     * @return a reader over {@code System.in}
     */
    static BufferedReader stdin() {
        return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }

    /**
     * Returns a sample's usage: how to start it directly on the module path.
     *
     * @param sample the sample's class
     * @param synopsis its options
     * @return the text, ending with a newline
     */
    static String usage(Class<?> sample, String synopsis) {
        String module = Objects.requireNonNullElse(sample.getModule().getName(), "dev.socketserver.samples"); // also on the class path
        return "usage: java -p <module path> -m " + module + "/" + sample.getName()
                + (synopsis.isEmpty() ? "" : " " + synopsis) + "\n";
    }

    private static List<String> options(String synopsis) {
        Matcher options = OPTION.matcher(synopsis);
        return options.results().map(option -> option.group(1)).toList();
    }
}
