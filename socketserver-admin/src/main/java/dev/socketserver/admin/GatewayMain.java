package dev.socketserver.admin;

import dev.socketserver.admin.internal.CommandLine;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * What {@link AdminGateway#main} does: applies the parsed flags to a builder, starts a gateway over the
 * default registry, and blocks until the JVM shuts down. It lives beside {@code AdminGateway}, not in
 * {@code internal}, so the dependency between the two packages points one way only.
 */
final class GatewayMain {

    private GatewayMain() {
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
    static int run(String[] args, PrintStream out, PrintStream err) {
        AdminGateway.Builder builder = AdminGateway.builder();
        try {
            for (CommandLine.Flag flag : CommandLine.parse(args)) {
                switch (flag.name()) {
                    case HELP -> {
                        out.println(CommandLine.USAGE);
                        return 0;
                    }
                    case HOST -> builder.host(flag.value());
                    case PORT -> builder.port(flag.port());
                    case TOKEN -> builder.token(flag.value());
                    case METRICS_WITHOUT_TOKEN -> builder.metricsWithoutToken(true);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("socketserver-admin: " + e.getMessage());
            err.println(CommandLine.USAGE);
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
}
