package dev.socketserver.admin.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code AdminGateway.main}'s command line, parsed into flags: {@code --host}, {@code --port},
 * {@code --token}, {@code --metrics-without-token} and {@code --help}. It only reads text; the caller applies the flags to a builder, in
 * order, so this package never depends back on {@code dev.socketserver.admin}.
 */
public final class CommandLine {

    /** What {@code --help} prints, and what follows a bad command line. */
    public static final String USAGE = """
            usage: java -p <module path> -m dev.socketserver.admin/dev.socketserver.admin.AdminGateway \\
                       [--host HOST] [--port PORT] [--token TOKEN] [--metrics-without-token]
              --host   address to bind (default 127.0.0.1; any other needs a token)
              --port   port to bind (default 0 = any free port; the URL is printed)
              --token  bearer token, 16+ visible ASCII characters (prefer $%s: flags show in ps);
                       without either, a token is generated and printed once to standard error
              --metrics-without-token
                       serve /metrics without the token (anyone who reaches the port reads them)
            Serves the servers of the JVM's default registry until Ctrl-C.""".formatted(Tokens.ENV);

    /** Which flag. */
    public enum Name {
        /** {@code --help} or {@code -h}: print the usage and do nothing else. */
        HELP,
        /** {@code --host HOST}. */
        HOST,
        /** {@code --port PORT}, already a number (the builder checks its range). */
        PORT,
        /** {@code --token TOKEN} (the builder checks its characters and length). */
        TOKEN,
        /** {@code --metrics-without-token}: {@code /metrics} open to anyone who reaches the port. */
        METRICS_WITHOUT_TOKEN
    }

    /**
     * One flag and its value.
     *
     * @param name the flag
     * @param value its value as typed, or {@code null} for {@link Name#HELP}
     */
    public record Flag(Name name, String value) {
        /**
         * Returns the value of a {@link Name#PORT} flag.
         *
         * @return the port number
         */
        public int port() {
            return Integer.parseInt(value);
        }
    }

    private CommandLine() {
    }

    /**
     * Parses the arguments into flags, in the order given. Parsing stops at the first {@code --help},
     * which is then the last flag: what came before it is still applied (and may still fail), what comes
     * after it is not read.
     *
     * @param args the command line
     * @return the flags
     * @throws IllegalArgumentException for an unknown argument, a missing value or a port that is not a number
     */
    public static List<Flag> parse(String[] args) {
        List<Flag> flags = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    flags.add(new Flag(Name.HELP, null));
                    return flags;
                }
                case "--host" -> flags.add(new Flag(Name.HOST, value(args, ++i, "--host")));
                case "--port" -> flags.add(new Flag(Name.PORT, checkPort(value(args, ++i, "--port"))));
                case "--token" -> flags.add(new Flag(Name.TOKEN, value(args, ++i, "--token")));
                case "--metrics-without-token" -> flags.add(new Flag(Name.METRICS_WITHOUT_TOKEN, null));
                default -> throw new IllegalArgumentException("unknown argument '" + Texts.clip(args[i]) + "'");
            }
        }
        return flags;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static String checkPort(String s) {
        try {
            Integer.parseInt(s);
            return s;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port needs a number, not '" + Texts.clip(s) + "'");
        }
    }
}
