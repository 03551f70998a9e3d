package dev.socketserver;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The sockets this process inherited from whoever started it, for servers built over them (socket
 * activation): systemd's {@code LISTEN_FDS} protocol ({@code sd_listen_fds(3)}), and a socket on
 * standard input ({@link System#inheritedChannel()}: systemd's {@code StandardInput=socket}, inetd's
 * {@code wait} mode). Python has no single counterpart: there one writes
 * {@code socket.socket(fileno=3)} (or {@code socket.fromfd}) and puts it into a server built with
 * {@code bind_and_activate=False}:
 *
 * <pre>{@code
 * try (var server = new TCPServer(InheritedSockets.channel(), Echo::new, new VirtualThreadingMixIn())) {
 *     server.serveForever();
 * }
 * }</pre>
 *
 * <p><b>systemd's sockets</b> come from fd 3 on, {@code LISTEN_FDS} of them, and only count when
 * {@code LISTEN_PID} is this process; otherwise they are ignored, as {@code sd_listen_fds} ignores
 * them (a child that inherited the variables is not the one they were meant for). Java cannot unset
 * environment variables, so they stay set; a child started with {@link ProcessBuilder} inherits them
 * but, having another pid, ignores them too. Java makes a channel of an inherited descriptor only
 * through {@code System.inheritedChannel()}, once per JVM, so the engine moves fd 3 (or another) onto
 * standard input for that one call: this needs native access
 * ({@code --enable-native-access=dev.socketserver.impl}, or {@code ALL-UNNAMED} on the class path),
 * takes one socket per JVM, and must happen before anything else calls
 * {@code System.inheritedChannel()}; each of these is a clear {@link IOException}. The descriptor is
 * closed once taken, so the channel is the socket's only owner in this process.
 *
 * <p><b>Standard input</b> needs no flag. Closing a channel of {@code System.inheritedChannel()}
 * points fds 0, 1 and 2 at {@code /dev/null} (the JDK's rule, made for inetd's connections); with
 * native access the engine puts back those of standard output and error that are not the socket,
 * so a server's last log lines after {@code serverClose()} are not lost. Without it they are.
 */
public final class InheritedSockets {

    private InheritedSockets() {
    }

    /**
     * The inherited socket: systemd's first ({@code LISTEN_FDS}, fd 3) when it passed some to this
     * process, otherwise standard input's.
     *
     * @return the channel, to give to a server's constructor, which checks its kind
     * @throws IOException if there is none, saying why (no {@code LISTEN_FDS}, {@code LISTEN_PID} of another
     *     process, standard input not a socket), or if fd 3 cannot be taken
     */
    public static Channel channel() throws IOException {
        ListenFds passed = listenFdsOfThisProcess();
        if (passed.count() > 0) {
            return listenFd(0);
        }
        Channel standardInput = System.inheritedChannel();
        if (standardInput == null) {
            throw new IOException("no inherited socket: " + passed.none() + ", and standard input is not a socket ("
                    + standardInputTarget() + "); start this process with systemd socket activation "
                    + "(ListenStream= in a .socket unit) or another launcher that passes a listening socket");
        }
        return standardInput;
    }

    /**
     * Python: {@code socket.socket(fileno=0)}; Java: {@link System#inheritedChannel()}: the socket on
     * standard input (systemd's {@code StandardInput=socket}, inetd's {@code wait} mode).
     *
     * @return the channel
     * @throws IOException if standard input is not a socket
     */
    public static Channel standardInput() throws IOException {
        Channel channel = System.inheritedChannel();
        if (channel == null) {
            throw new IOException("no inherited socket on standard input: it is " + standardInputTarget());
        }
        return channel;
    }

    /**
     * systemd's socket number {@code index}, on fd {@code 3 + index}: Python's
     * {@code socket.socket(fileno=3 + index)} after {@code sd_listen_fds}. Only one per JVM can be
     * taken (see the class comment).
     *
     * @param index 0 for the first
     * @return the channel
     * @throws IOException if systemd passed no such socket to this process, or it cannot be taken
     */
    public static Channel listenFd(int index) throws IOException {
        ListenFds passed = listenFdsOfThisProcess();
        if (passed.count() == 0) {
            throw new IOException("no socket passed by systemd: " + passed.none());
        }
        if (index < 0 || index >= passed.count()) {
            throw new IOException("systemd passed " + passed.count() + " socket(s) (LISTEN_FDS=" + passed.count()
                    + "); there is no number " + index);
        }
        return Engines.provider().inheritedChannel(ListenFds.START + index);
    }

    /**
     * systemd's socket named {@code name} by {@code FileDescriptorName=} ({@code LISTEN_FDNAMES}):
     * {@code sd_listen_fds_with_names(3)}.
     *
     * @param name the name
     * @return the channel
     * @throws IOException if no socket of that name was passed, or it cannot be taken
     */
    public static Channel named(String name) throws IOException {
        int index = listenFdNames().indexOf(name);
        if (index < 0) {
            throw new IOException("systemd passed no socket named '" + name + "' (LISTEN_FDNAMES: " + listenFdNames() + ")");
        }
        return listenFd(index);
    }

    /**
     * {@code sd_listen_fds(0)}: how many sockets systemd passed to this process, from fd 3.
     *
     * @return {@code LISTEN_FDS} when {@code LISTEN_PID} is this process, otherwise 0
     */
    public static int listenFds() {
        return listenFdsOfThisProcess().count();
    }

    /**
     * {@code sd_listen_fds_with_names(0)}: the names of the sockets, from {@code LISTEN_FDNAMES}.
     *
     * @return one name per socket, {@code "unknown"} where not named; empty when none were passed
     */
    public static List<String> listenFdNames() {
        return listenFdsOfThisProcess().names();
    }

    private static ListenFds listenFdsOfThisProcess() {
        return ListenFds.of(System.getenv(), ProcessHandle.current().pid());
    }

    private static String standardInputTarget() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "closed or unknown";
        }
    }
}
