package dev.socketserver.samples.bench;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * Entry point of {@code samples bench}: the launcher passes everything after {@code bench} here.
 *
 * <pre>
 * bench [options]            one load run (own server JVM, or --target an external one); see {@link BenchCommand}
 * bench shutdown-latency ... shutdown() call-to-return latency, median over 100 runs
 * bench server ...           the benchmark server itself ({@link BenchServer}), for scripts
 * bench help
 * </pre>
 *
 * Exit status: 0 done, 1 failed, 2 bad options or a refused (non-loopback) target.
 */
public final class BenchMain {

    private BenchMain() {
    }

    /**
     * Runs a bench subcommand and exits with its status.
     *
     * @param args the arguments after {@code bench}
     */
    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out, System.err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    /**
     * Runs a bench subcommand without exiting, for tests and for a launcher that exits itself.
     *
     * @param args the arguments after {@code bench}
     * @param out standard output
     * @param err standard error
     * @return the exit status
     * @throws InterruptedException if interrupted
     */
    public static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        String first = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        return switch (first) {
            case "help", "-h", "--help" -> {
                out.println(BenchCommand.USAGE);
                yield 0;
            }
            case "shutdown-latency" -> ShutdownLatency.run(rest, out, err);
            case "server" -> BenchServer.run(rest, out, err);
            case "run" -> BenchCommand.run(rest, out, err);
            default -> BenchCommand.run(args, out, err);
        };
    }
}
