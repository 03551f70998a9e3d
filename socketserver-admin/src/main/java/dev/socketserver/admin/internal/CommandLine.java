package dev.socketserver.admin.internal;

import dev.socketserver.admin.AdminGateway;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * {@code AdminGateway.main}: parses {@code --host}, {@code --port}, {@code --token},
 * {@code --metrics-without-token} and {@code --help},
 * starts a gateway over the default registry, and blocks until the JVM shuts down.
 */
public final class CommandLine {

    private static final String USAGE = """
            usage: java -p <module path> -m dev.socketserver.admin/dev.socketserver.admin.AdminGateway \\
                       [--host HOST] [--port PORT] [--token TOKEN] [--metrics-without-token]
              --host   address to bind (default 127.0.0.1; any other needs a token)
              --port   port to bind (default 0 = any free port; the URL is printed)
              --token  bearer token, 16+ visible ASCII characters (prefer $%s: flags show in ps);
                       without either, a token is generated and printed once to standard error
              --metrics-without-token
                       serve /metrics without the token (anyone who reaches the port reads them)
            Serves the servers of the JVM's default registry until Ctrl-C.""".formatted(AdminGateway.TOKEN_ENV);

    private CommandLine() {
    }

    /**
     * Runs the gateway.
     *
     * @param args the command line
     * @param out where the URL is printed
     * @param err where usage and errors are printed
     * @return the exit status: 0 after a normal stop or {@code --help}, 2 for a bad command line, 1 when
     *     the gateway cannot start
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        AdminGateway.Builder builder = AdminGateway.builder();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--help", "-h" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    case "--host" -> builder.host(value(args, ++i, "--host"));
                    case "--port" -> builder.port(parsePort(value(args, ++i, "--port")));
                    case "--token" -> builder.token(value(args, ++i, "--token"));
                    case "--metrics-without-token" -> builder.metricsWithoutToken(true);
                    default -> throw new IllegalArgumentException("unknown argument '" + Texts.clip(args[i]) + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("socketserver-admin: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        AdminGateway gateway;
        try {
            gateway = builder.start();
        } catch (RuntimeException e) {
            err.println("socketserver-admin: cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("socketserver-admin-stop").unstarted(() -> {
            gateway.stop();
            stopped.countDown();
        }));
        out.println("socketserver-admin listening on " + gateway.uri() + " (default registry; Ctrl-C stops)");
        out.println("socketserver-admin console: " + gateway.uri() + " (paste the token when asked)");
        out.flush();
        while (true) {
            try {
                stopped.await();
                return 0;
            } catch (InterruptedException e) {
                // only the shutdown hook ends the wait
            }
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static int parsePort(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port needs a number, not '" + Texts.clip(s) + "'");
        }
    }
}
