package dev.socketserver.samples;

import dev.socketserver.BaseServer;
import dev.socketserver.VirtualThreadingMixIn;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code samples demo}: an echo server of every family this build has, on 127.0.0.1 (free ports)
 * and in a fresh temporary folder (socket files), with ready-to-paste commands to talk to them.
 * The admin gateway joins them once it is in the build.
 */
final class Demo {

    private Demo() {
    }

    /**
     * Starts the servers, prints where they are and how to reach them, and serves until stopped.
     *
     * @param out where the description goes
     * @param launcher how the user started the launcher, for the printed commands
     * @throws IOException if a server cannot start or fails
     * @throws InterruptedException if interrupted while serving
     */
    static void run(PrintStream out, String launcher) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("socketserver-demo-");
        List<EchoFamily> families = EchoFamily.ALL;
        List<BaseServer<?>> servers = new ArrayList<>();
        try {
            for (EchoFamily family : families) {
                servers.add(family.openServer(family.demoAddress(dir), new VirtualThreadingMixIn()));
            }
        } catch (Exception e) {
            Serving.stop(servers);
            removeFolder(dir);
            throw e;
        }
        out.println("socketserver demo: one echo server per family, each with a VirtualThreadingMixIn");
        Serving serving = Serving.announce(servers, out, () -> removeFolder(dir));
        out.println("Type a line into any of these and it comes back:");
        for (int i = 0; i < servers.size(); i++) {
            String label = families.get(i).label();
            for (String command : families.get(i).tryCommands(servers.get(i).serverAddress())) {
                out.println("  " + command);
            }
            out.println("  " + launcher + " client --family " + label + " --connect "
                    + Serving.format(servers.get(i).serverAddress()));
        }
        out.println("Not in this build yet: the admin gateway.");
        out.println("Ctrl-C stops everything and removes " + dir);
        out.flush();
        serving.serveUntilStopped();
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
