package dev.socketserver.samples;

import dev.socketserver.MixIn;
import dev.socketserver.ThreadPerRequestMixIn;
import dev.socketserver.ThreadingMixIn;
import dev.socketserver.VirtualThreadingMixIn;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The launcher's command line, {@code samples COMMAND [--option VALUE | --option=VALUE | --flag]...},
 * parsed and checked before anything starts. Every problem is one {@link UsageException} line.
 */
final class CommandLine {

    /** What {@code samples --help} prints, and what follows a command-line error. */
    static final String USAGE = """
            usage: samples COMMAND [OPTIONS]

              echo --family FAMILY --mixin MIXIN --bind ADDRESS [--admin HOST:PORT] [--admin-token TOKEN] [LAYERS]
                   [--backlog N] [--read-timeout DURATION] [--max-concurrent N] [--reuse-port] [--access-log] [DRAIN]
              echo --inherited [--family tcp|unix-stream] --mixin MIXIN [...]
                  one echo server: lines back on stream families, datagrams back on datagram families;
                  --inherited serves the listening socket this process inherited instead of binding one:
                  systemd's LISTEN_FDS (fd 3) or standard input (StandardInput=socket, inetd wait mode);
                  the family follows the socket (docs/operations.md, "Socket activation");
                  --admin also starts the admin gateway (HTTP, e.g. --admin 127.0.0.1:0) beside it;
                  limits for real clients (the library's own defaults stay CPython's: 5, none, none):
                  --backlog the listen queue (default 1024; tcp, unix-stream), --read-timeout how
                  long a client may stay silent (default 30s; 500ms, 2m, PT30S; 0 or none: no limit;
                  tcp, unix-stream), --max-concurrent requests in flight, further clients wait in
                  the backlog (default 1000 threading, 10000 virtual; 0: no limit; not with sync);
                  --reuse-port binds with SO_REUSEPORT, so several processes share one port (tcp, udp);
                  --access-log prints "access client=ADDRESS proxy=ADDRESS|-" per connection (tcp, unix-stream)
              whoami --family tcp|unix-stream --bind ADDRESS [--mixin MIXIN] [LAYERS] [--reuse-port] [DRAIN]
              whoami --inherited [--family tcp|unix-stream] [--mixin MIXIN] [LAYERS] [DRAIN]
                  answers each connection with one line, "client=... proxy=... tls=... sni=...", and closes;
                  --reuse-port as for echo (tcp)
              client --family FAMILY --connect ADDRESS
                  send each line of standard input to an echo server and print what comes back
              demo
                  an echo server of every family and the admin gateway on 127.0.0.1, with
                  ready-to-paste socat, nc and curl commands
              seed-server [--bind HOST:PORT]
                  the original example, a ThreadingTCPServer (default 127.0.0.1:8888): prints what a
                  client sends and answers with a line typed at this console
              seed-client [--connect HOST:PORT] [--message TEXT]
                  its client: sends TEXT (or a line typed at the console) and prints the answer
              chat [--bind HOST:PORT] [--mixin threading|virtual] [DRAIN]
                  one chat room (default 127.0.0.1:8889, virtual): each line goes to everyone
              http --root DIR [--bind HOST:PORT] [--mixin MIXIN] [LAYERS] [DRAIN]
                  an HTTP/1.0 file server for DIR (default 127.0.0.1:8000, virtual); HTTPS with --tls-*
              bench [OPTIONS]
                  the benchmark's load generator, against an echo server in its own JVM or an
                  external one; "samples bench --help" lists its options (see bench/README.md)
              --help
                  this text; COMMAND --help: that command's options
              --version, -V
                  the samples' version and the Java runtime's

              FAMILY   tcp | udp | unix-stream | unix-datagram
              MIXIN    sync | threading | virtual
              ADDRESS  HOST:PORT for tcp and udp (port 0 picks a free port), a socket file PATH for unix-*
              LAYERS   for stream servers (tcp, unix-stream; docs/tls.md, docs/proxy-protocol.md):
                       --tls-cert CERT.pem --tls-key KEY.pem   TLS with a PEM chain and PKCS#8 key
                       --tls-client-ca CA.pem --tls-client-auth want|need   client certificates
                       --proxy-protocol required|optional   read HAProxy's PROXY header (v1 and v2)
                       --proxy-trusted CIDR,...   who may send one (default 127.0.0.0/8,::1)
                       --idle-timeout 30s   close connections silent that long (ms, s, m, h)
              DRAIN    what SIGTERM does (docs/operations.md):
                       --drain-timeout 10s   the longest the drain may take, counted from SIGTERM;
                                             requests still running then are cut off (ms, s, m, h)
                       --drain-grace 0s      how long to keep accepting first, with the admin
                                             gateway's /health at 503, for a load balancer to notice

            Servers print "listening FAMILY ADDRESS fileno=N" when ready (and "admin http://HOST:PORT" for the
            gateway) and run until Ctrl-C or SIGTERM. Without --admin-token or $SOCKETSERVER_ADMIN_TOKEN the
            gateway generates a token and prints it once on standard error; a non-loopback --admin needs one.
            SIGTERM drains: "draining ADDRESS" per server, the gateway's /health turns 503, accepting stops
            after the grace period, requests in flight finish, idle connections close, then "drained
            finished=N forced=N duration=Nms" per server and "stopped", status 0. A second SIGTERM or a
            Ctrl-C during the drain stops at once (status 143 or 130). Ctrl-C otherwise closes the servers,
            gives running requests 2 s, prints "stopped" and ends with status 0.
            Exit status: 0 after a clean stop, 1 when something fails at run time, 2 for bad input.
            """;

    /** Each command's options, without dashes. */
    static final Map<String, List<String>> OPTIONS = Map.of(
            "echo", with(List.of(StreamLayers.OPTIONS, DrainPolicy.OPTIONS), "family", "mixin", "bind", "inherited", "admin",
                    "admin-token", "backlog", "read-timeout", "max-concurrent", "reuse-port", "access-log"),
            "client", List.of("family", "connect"),
            "demo", List.of(),
            "seed-server", List.of("bind"),
            "seed-client", List.of("connect", "message"),
            "chat", with(List.of(DrainPolicy.OPTIONS), "bind", "mixin"),
            "http", with(List.of(StreamLayers.OPTIONS, DrainPolicy.OPTIONS), "root", "bind", "mixin"),
            "whoami", with(List.of(StreamLayers.OPTIONS, DrainPolicy.OPTIONS), "family", "bind", "inherited", "mixin", "reuse-port"));

    /** Options that take no value: present or not. */
    private static final Set<String> FLAGS = Set.of("inherited", "reuse-port", "access-log");

    private static List<String> with(List<List<String>> more, String... names) {
        List<String> all = new java.util.ArrayList<>(List.of(names));
        more.forEach(all::addAll);
        return List.copyOf(all);
    }

    private final String command;
    private final Map<String, String> values;

    private CommandLine(String command, Map<String, String> values) {
        this.command = command;
        this.values = values;
    }

    /**
     * Parses the arguments given to the launcher; {@code --help} or {@code -h} anywhere means help
     * (of the command, if one comes first), {@code --version} or {@code -V} alone the version.
     *
     * @param args the arguments
     * @return the command line; its command is {@code "help"} when help was asked for, with the
     *     command in {@code get("topic")}, and {@code "version"} for the version
     * @throws UsageException for an unknown command or option, a missing value, or a repeated option
     */
    static CommandLine parse(String... args) throws UsageException {
        if (wantsHelp(args)) { // "samples echo --help": the help of echo, under the option "topic"
            return new CommandLine("help", args.length > 0 && OPTIONS.containsKey(args[0]) ? Map.of("topic", args[0]) : Map.of());
        }
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return new CommandLine("version", Map.of());
        }
        if (args.length == 0) {
            throw new UsageException("no command given");
        }
        String command = args[0];
        List<String> allowed = OPTIONS.get(command);
        if (allowed == null) {
            throw new UsageException("unknown command '" + command + "'");
        }
        return parseOptions(command, allowed, Arrays.copyOfRange(args, 1, args.length));
    }

    /**
     * Parses the options of one program, a launcher command or a sample's own {@code main}, by the
     * launcher's rules: {@code --option VALUE} or {@code --option=VALUE}, each at most once.
     *
     * @param command the command or program, for messages
     * @param allowed the option names without dashes
     * @param args the options
     * @return the command line
     * @throws UsageException for an unknown option, a missing value, a repeated option or a stray argument
     */
    static CommandLine parseOptions(String command, List<String> allowed, String... args) throws UsageException {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new UsageException("unexpected argument '" + args[i] + "'");
            }
            String[] nameValue = args[i].substring(2).split("=", 2);
            String name = nameValue[0];
            if (!allowed.contains(name)) {
                throw new UsageException("unknown option --" + name + " for " + command);
            }
            if (FLAGS.contains(name)) {
                if (nameValue.length == 2) {
                    throw new UsageException("option --" + name + " takes no value");
                }
                if (values.putIfAbsent(name, "yes") != null) {
                    throw new UsageException("option --" + name + " is given twice");
                }
                continue;
            }
            String value = nameValue.length == 2 ? nameValue[1]
                    : i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "";
            if (value.isEmpty()) {
                throw new UsageException("option --" + name + " needs a value");
            }
            if (values.putIfAbsent(name, value) != null) {
                throw new UsageException("option --" + name + " is given twice");
            }
        }
        return new CommandLine(command, values);
    }

    /**
     * Tells whether help was asked for.
     *
     * @param args the arguments
     * @return {@code true} if {@code --help} or {@code -h} is among them
     */
    static boolean wantsHelp(String... args) {
        return List.of(args).contains("--help") || List.of(args).contains("-h");
    }

    /**
     * Returns the command.
     *
     * @return {@code echo}, {@code client}, ..., or {@code help}
     */
    String command() {
        return command;
    }

    /**
     * Returns an optional option's value.
     *
     * @param name the option's name without dashes
     * @return its value, or {@code null} if it was not given
     */
    String get(String name) {
        return values.get(name);
    }

    /**
     * Tells whether a flag (an option without a value, e.g. {@code --inherited}) was given.
     *
     * @param name the option's name without dashes
     * @return {@code true} if it was given
     */
    boolean flag(String name) {
        return values.containsKey(name);
    }

    /**
     * Returns a required option's value.
     *
     * @param name the option's name without dashes
     * @return its value
     * @throws UsageException if it was not given
     */
    String required(String name) throws UsageException {
        String value = values.get(name);
        if (value == null) {
            throw new UsageException(command + " needs --" + name);
        }
        return value;
    }

    /**
     * Returns the echo family named by {@code --family}.
     *
     * @return the family
     * @throws UsageException if it is missing or unknown
     */
    EchoFamily family() throws UsageException {
        return EchoFamily.of(required("family"));
    }

    /**
     * Turns {@code --mixin} into a factory of fresh mix-ins (each server needs its own instance).
     *
     * @param fallback the value when {@code --mixin} is absent, or {@code null} if it is required
     * @return {@code MixIn::synchronous}, {@code ThreadingMixIn::new} or {@code VirtualThreadingMixIn::new}
     * @throws UsageException if it is missing or unknown
     */
    Supplier<MixIn> mixIn(String fallback) throws UsageException {
        String name = fallback == null ? required("mixin") : values.getOrDefault("mixin", fallback);
        return switch (name) {
            case "sync" -> MixIn::synchronous;
            case "threading" -> ThreadingMixIn::new;
            case "virtual" -> VirtualThreadingMixIn::new;
            default -> throw new UsageException("unknown mix-in '" + name + "' (expected sync, threading or virtual)");
        };
    }

    /**
     * Turns {@code --mixin} into a fresh thread-per-request mix-in, for samples whose handlers wait on
     * each other (a synchronous server would serve one client at a time).
     *
     * @param fallback the value when {@code --mixin} is absent
     * @param why the one-line problem when {@code sync} is asked for
     * @return a new {@code ThreadingMixIn} or {@code VirtualThreadingMixIn}
     * @throws UsageException for {@code sync} or an unknown mix-in
     */
    ThreadPerRequestMixIn<?> threadPerRequestMixIn(String fallback, String why) throws UsageException {
        if (mixIn(fallback).get() instanceof ThreadPerRequestMixIn<?> mixIn) {
            return mixIn;
        }
        throw new UsageException(why);
    }

    /**
     * Reads a {@code HOST:PORT} option.
     *
     * @param name the option's name without dashes
     * @param fallback the value when the option is absent, or {@code null} if it is required
     * @return the resolved address
     * @throws UsageException if it is missing or malformed
     */
    InetSocketAddress hostPortOption(String name, String fallback) throws UsageException {
        return hostPort(name, fallback == null ? required(name) : values.getOrDefault(name, fallback));
    }

    /**
     * Reads a Unix socket path option.
     *
     * @param name the option's name without dashes
     * @param fallback the value when the option is absent
     * @param forBind {@code true} for a server's socket file, which must not exist yet
     * @return the absolute path as a socket address
     * @throws UsageException if the path is unusable
     */
    UnixDomainSocketAddress socketPathOption(String name, String fallback, boolean forBind) throws UsageException {
        return socketPath(name, values.getOrDefault(name, fallback), forBind);
    }

    /**
     * Parses {@code HOST:PORT}, {@code [IPv6]:PORT} included.
     *
     * @param option the option's name, for messages
     * @param text what the user typed
     * @return the resolved address
     * @throws UsageException for a missing colon, a port outside 0 to 65535, or an unknown host
     */
    static InetSocketAddress hostPort(String option, String text) throws UsageException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new UsageException("--" + option + " needs HOST:PORT, not '" + text + "'");
        }
        String host = text.substring(0, colon).replaceAll("^\\[(.*)]$", "$1");
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new UsageException("bad port in --" + option + " " + text + " (expected 0 to 65535)");
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new UsageException("unknown host '" + host + "' in --" + option);
        }
        return address;
    }

    /**
     * Parses a Unix socket path. For a server it must not exist yet and its directory must be writable.
     *
     * @param option the option's name, for messages
     * @param text what the user typed
     * @param forBind {@code true} for a server's {@code --bind}, {@code false} for a client's {@code --connect}
     * @return the absolute path as a socket address
     * @throws UsageException if the path is unusable
     */
    static UnixDomainSocketAddress socketPath(String option, String text, boolean forBind) throws UsageException {
        Path path;
        try {
            path = Path.of(text).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new UsageException("bad path in --" + option + ": " + e.getMessage());
        }
        if (forBind) {
            Path dir = path.getParent();
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new UsageException("--" + option + " " + path + " already exists; remove it or pick another path");
            }
            if (dir == null || !Files.isDirectory(dir)) {
                throw new UsageException("--" + option + " " + path + ": directory " + dir + " does not exist");
            }
            if (!Files.isWritable(dir)) {
                throw new UsageException("--" + option + " " + path + ": directory " + dir + " is not writable");
            }
        }
        return UnixDomainSocketAddress.of(path);
    }
}
