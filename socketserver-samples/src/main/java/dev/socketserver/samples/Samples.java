package dev.socketserver.samples;

import dev.socketserver.BaseServer;
import dev.socketserver.MixIn;
import dev.socketserver.samples.bench.BenchMain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The launcher's entry point, {@code dev.socketserver.samples/dev.socketserver.samples.Samples}:
 * runs the sample named by the first argument. {@code samples --help} lists them
 * ({@link CommandLine#USAGE}).
 *
 * <p>Each learning sample is also a class with a {@code main} of its own ({@link SeedServer},
 * {@link TcpEchoServer}, {@link ChatServer}, ...); the commands here start the same servers and clients
 * through them. The admin gateway is reached only through {@link AdminSide}, for {@code --admin} and
 * {@code demo}.
 */
public final class Samples {

    private Samples() {
    }

    /**
     * Runs one sample and ends the JVM with its status: 0 after a clean stop, 1 when something fails
     * at run time, 2 for bad input. Servers run until Ctrl-C or SIGTERM.
     *
     * @param args the command and its options
     */
    public static void main(String[] args) {
        SampleLogging.install();
        Serving.exit(run(args, System.in, System.out, System.err));
    }

    /**
     * Runs one sample. Client commands and errors return; server commands return only if they fail.
     *
     * @param args the command and its options
     * @param in standard input: a console for the seed samples, lines for the echo client
     * @param out standard output
     * @param err where one-line errors go
     * @return the exit status
     */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        try {
            if (args.length > 0 && args[0].equals("bench")) { // its own options: see BenchMain
                return BenchMain.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            }
            CommandLine line = CommandLine.parse(args);
            BufferedReader console = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            switch (line.command()) {
                case "help" -> out.print(line.get("topic") == null ? CommandLine.USAGE : CommandHelp.of(line.get("topic")));
                case "version" -> out.print(SamplesVersion.text());
                case "echo" -> echo(line, out);
                case "client" -> {
                    EchoFamily family = line.family();
                    family.runClient(family.address("connect", line.required("connect"), false), console, out);
                }
                case "demo" -> Demo.run(out, System.getProperty("samples.launcher", "samples"));
                case "seed-server" -> SeedServer.run(line, console, out);
                case "seed-client" -> SeedClient.run(line, console, out);
                case "chat" -> ChatServer.run(line, out);
                case "http" -> HttpFileServer.run(line, out);
                case "whoami" -> WhoAmIServer.run(line, out);
                default -> throw new IllegalStateException("unhandled command " + line.command());
            }
            return 0;
        } catch (UsageException e) {
            err.println("samples: " + e.getMessage());
            err.print(CommandLine.USAGE);
            return 2;
        } catch (IOException | UncheckedIOException | UnsupportedOperationException e) { // the last: e.g. native access denied
            err.println("samples: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("samples: interrupted");
            return 1;
        }
    }

    /** {@code samples echo}: one echo server of the chosen family and mix-in, and the admin gateway if asked for. */
    private static void echo(CommandLine line, PrintStream out) throws IOException, UsageException, InterruptedException {
        MixIn mixIn = line.mixIn(null).get();
        String adminToken = line.get("admin-token");
        if (adminToken != null && line.get("admin") == null) {
            throw new UsageException("--admin-token needs --admin");
        }
        StreamLayers layers = StreamLayers.parse(line);
        InheritedSocket inherited = line.flag("inherited") ? InheritedSocket.take(line) : null;
        EchoFamily family = inherited != null ? inherited.family() : line.family();
        ServerLimits limits = ServerLimits.of(line, family, mixIn);
        SocketAddress address = inherited != null ? null : family.address("bind", line.required("bind"), true);
        DrainPolicy drain = DrainPolicy.of(line);
        AccessLog access = line.flag("access-log") ? new AccessLog(out) : null;
        if (line.get("admin") == null) {
            Serving.serve(inherited != null ? EchoFamily.openServer(inherited, mixIn, limits, layers, access)
                    : family.openServer(address, mixIn, limits, layers, access), out, drain);
            return;
        }
        InetSocketAddress adminAddress = CommandLine.hostPort("admin", line.get("admin"));
        AdminModule.require("--admin");
        AdminSide admin = AdminSide.start(adminAddress, adminToken);
        BaseServer<?> server;
        try {
            server = inherited != null ? EchoFamily.openServer(inherited, mixIn, limits, layers, access)
                    : family.openServer(address, mixIn, limits, layers, access);
        } catch (IOException | UsageException | RuntimeException e) {
            admin.stop();
            throw e;
        }
        Serving.serve(List.of(server), out, admin::stop, drain, admin::markDraining, "admin " + admin.url());
    }
}
