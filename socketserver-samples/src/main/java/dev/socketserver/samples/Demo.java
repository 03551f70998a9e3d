package dev.socketserver.samples;

import dev.socketserver.BaseServer;
import dev.socketserver.TCPServer;
import dev.socketserver.VirtualThreadingMixIn;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code samples demo}: an echo server of every family on 127.0.0.1 (free ports) and in a fresh
 * temporary folder (socket files), each with a {@link VirtualThreadingMixIn}, and the admin gateway
 * beside them; prints where everything is, the admin token and ready-to-paste commands. Ctrl-C or
 * SIGTERM closes the servers, stops the gateway and removes the folder.
 *
 * <p>The gateway (module {@code dev.socketserver.admin}, with Javalin, Jetty, Jackson and Micrometer) must
 * be on the module path and resolved; the launcher adds it. Run directly (from the repository root,
 * after {@code mvn -q -DskipTests package}), with every jar and {@code --add-modules}:
 *
 * <pre>
 * java --enable-native-access=dev.socketserver.impl --add-modules dev.socketserver.admin \
 *      -p socketserver-api/target/socketserver-api-0.1.0-SNAPSHOT.jar:socketserver-impl/target/socketserver-impl-0.1.0-SNAPSHOT.jar:socketserver-admin/target/socketserver-admin-0.1.0-SNAPSHOT.jar:socketserver-samples/target/socketserver-samples-0.1.0-SNAPSHOT.jar:socketserver-samples/target/lib \
 *      -m dev.socketserver.samples/dev.socketserver.samples.Demo
 * socketserver-samples/samples demo
 * </pre>
 */
public final class Demo {

    private Demo() {
    }

    /**
     * Starts the servers and the gateway, prints where they are and how to reach them, and serves until stopped.
     *
     * @param out where the description goes
     * @param launcher how the user started the launcher, for the printed commands
     * @throws IOException if a server or the gateway cannot start, or a server fails
     * @throws UsageException if {@code $SOCKETSERVER_ADMIN_TOKEN} holds an invalid token
     * @throws InterruptedException if interrupted while serving
     */
    static void run(PrintStream out, String launcher) throws IOException, UsageException, InterruptedException {
        AdminModule.require("demo");
        Path dir = Files.createTempDirectory("socketserver-demo-");
        List<BaseServer<?>> servers = new ArrayList<>();
        AdminSide admin = null;
        DemoCertificate certificate = null;
        try {
            for (EchoFamily family : EchoFamily.values()) {
                servers.add(family.openServer(family.demoAddress(dir), new VirtualThreadingMixIn()));
            }
            certificate = DemoCertificate.create(dir);
            TCPServer tls = new TCPServer(new InetSocketAddress("127.0.0.1", 0), TcpEchoServer.Handler::new,
                    new VirtualThreadingMixIn(), false);
            servers.add(tls); // closed with the others if binding fails
            tls.setSslContext(certificate.context()).setName("TLS echo");
            tls.serverBind();
            tls.serverActivate();
            admin = AdminSide.start(new InetSocketAddress("127.0.0.1", 0), null);
        } catch (IOException | UsageException | RuntimeException e) {
            Serving.stop(servers);
            removeFolder(dir);
            throw e;
        }
        AdminSide gateway = admin;
        out.println("socketserver demo: an echo server of every family and a TLS echo, each with a VirtualThreadingMixIn,"
                + " and the admin gateway");
        Serving serving = Serving.announce(servers, out, () -> {
            gateway.stop();
            removeFolder(dir);
        }, DrainPolicy.DEFAULT, gateway::markDraining);
        String env = System.getenv(AdminSide.TOKEN_ENV);
        boolean ownToken = env != null && gateway.token().equals(env.strip()); // not echoed: it is the user's secret
        out.println("admin " + gateway.url());
        out.println("admin token " + (ownToken ? "from $" + AdminSide.TOKEN_ENV : gateway.token()));
        out.println("admin console " + gateway.url() + "/ (open it in a browser and paste the admin token)");
        out.println();
        out.println("Echo: type a line and it comes back (Ctrl-D ends the samples client, Ctrl-C socat and nc):");
        for (int i = 0; i < EchoFamily.values().length; i++) {
            BaseServer<?> server = servers.get(i);
            EchoFamily family = EchoFamily.values()[i];
            out.println("  " + server.id() + " (" + family.label() + ")");
            for (String command : family.tryCommands(server.serverAddress())) {
                out.println("    " + command);
            }
            out.println("    " + launcher + " client --family " + family.label() + " --connect "
                    + Serving.format(server.serverAddress()));
        }
        BaseServer<?> tls = servers.getLast();
        String tlsAddress = Serving.format(tls.serverAddress());
        int tlsPort = ((InetSocketAddress) tls.serverAddress()).getPort();
        out.println("  " + tls.id() + " (tcp with TLS, a self-signed certificate for localhost in " + certificate.certificate() + ")");
        out.println("    openssl s_client -connect " + tlsAddress + " -servername localhost -CAfile " + certificate.certificate()
                + " -quiet");
        out.println("    socat - OPENSSL:localhost:" + tlsPort + ",cafile=" + certificate.certificate());
        String tcp = servers.getFirst().id();
        String auth = "-H \"Authorization: Bearer $TOKEN\" ";
        out.println();
        out.println("Admin gateway (every route: docs/admin.md):");
        out.println("  export ADMIN=" + gateway.url() + " TOKEN=" + (ownToken ? "\"$" + AdminSide.TOKEN_ENV + "\"" : gateway.token()));
        out.println("  curl -s $ADMIN/health");
        out.println("  curl -s " + auth + "$ADMIN/api/servers");
        out.println("  curl -s -X POST " + auth + "$ADMIN/api/servers/" + tcp + "/shutdown");
        out.println("      ends " + tcp + "'s serveForever(): the server stays open (IDLE) and only the next call serves:");
        out.println("  curl -s -X POST " + auth + "\"$ADMIN/api/servers/" + tcp + "/handle-request?timeout=PT30S\"");
        out.println("      takes one client of " + tcp + ": connect with its socat or nc command above within 30 s");
        out.println("  curl -s " + auth + "$ADMIN/metrics | grep '^socketserver_requests'");
        out.println();
        out.println("Ctrl-C (or kill " + ProcessHandle.current().pid() + ") stops everything and removes " + dir);
        out.flush();
        serving.serveUntilStopped();
    }

    /**
     * Runs the demo. The commands it prints start with the launcher's name (from
     * {@code -Dsamples.launcher}, else {@code socketserver-samples/samples}).
     *
     * @param args none
     */
    public static void main(String[] args) {
        SampleMain.run(Demo.class, "", args,
                options -> run(System.out, System.getProperty("samples.launcher", "socketserver-samples/samples")));
    }

    private static void removeFolder(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
