package dev.socketserver.samples;

import dev.socketserver.BaseServer;
import dev.socketserver.MixIn;
import dev.socketserver.ServerFamily;
import dev.socketserver.ThreadPerRequestMixIn;
import dev.socketserver.VirtualThreadingMixIn;

import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The limits {@code samples echo} sets on its server: {@code --backlog N} (the listen queue,
 * {@link BaseServer#setRequestQueueSize}), {@code --read-timeout D} (how long a stream handler waits
 * for input, {@code StreamRequestHandler.timeout()}) and {@code --max-concurrent N} (requests in
 * flight, {@link ThreadPerRequestMixIn#setMaxConcurrentRequests}).
 *
 * <p>The launcher faces real clients, so its defaults are not the library's (which stay CPython's:
 * backlog 5, no timeout, no limit): a backlog of {@value #BACKLOG} (a burst of connects is queued,
 * not refused into 1 s SYN retries), a read timeout of 30 s (an idle or stalled client cannot hold
 * a connection for ever) and at most {@value #PLATFORM_THREADS} requests at once on platform
 * threads, {@value #VIRTUAL_THREADS} on virtual ones (the serving loop then leaves further clients
 * in the backlog, and a datagram flood cannot queue work without bound).
 *
 * <p>It also carries the one socket option the launcher sets before bind, {@code --reuse-port}
 * ({@link BaseServer#setAllowReusePort}), since {@link #bindAndActivate} is where every launcher
 * server is bound.
 *
 * @param backlog the listen backlog of a stream server; ignored by datagram servers
 * @param readTimeout the stream handlers' read timeout, or {@code null} for none
 * @param maxConcurrent the mix-in's limit, or 0 for none; a synchronous server has no use for one
 * @param reusePort whether to bind with {@code SO_REUSEPORT}, so that several processes share the port
 */
record ServerLimits(int backlog, Duration readTimeout, int maxConcurrent, boolean reusePort) {

    static final int BACKLOG = 1024;
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    static final int PLATFORM_THREADS = 1_000;
    static final int VIRTUAL_THREADS = 10_000;

    /** The library's own defaults, CPython's: what a sample started directly runs with. */
    static final ServerLimits LIBRARY = new ServerLimits(BaseServer.DEFAULT_REQUEST_QUEUE_SIZE, null, 0);

    /**
     * Limits without {@code SO_REUSEPORT}.
     *
     * @param backlog the listen backlog
     * @param readTimeout the read timeout, or {@code null}
     * @param maxConcurrent the mix-in's limit, or 0
     */
    ServerLimits(int backlog, Duration readTimeout, int maxConcurrent) {
        this(backlog, readTimeout, maxConcurrent, false);
    }

    /**
     * The same limits, binding with {@code SO_REUSEPORT} or not.
     *
     * @param reuse {@code --reuse-port}
     * @return the limits
     */
    ServerLimits withReusePort(boolean reuse) {
        return new ServerLimits(backlog, readTimeout, maxConcurrent, reuse);
    }

    /**
     * Reads the three options of {@code echo}, with the launcher's defaults where one is not given.
     *
     * @param line the command line
     * @param family the server's family: the stream options make no sense for a datagram one
     * @param mixIn the mix-in chosen
     * @return the limits
     * @throws UsageException for a bad value or an option that does not apply
     */
    static ServerLimits of(CommandLine line, EchoFamily family, MixIn mixIn) throws UsageException {
        String backlogText = line.get("backlog");
        String timeoutText = line.get("read-timeout");
        String maxText = line.get("max-concurrent");
        if (!family.stream() && (backlogText != null || timeoutText != null)) {
            throw new UsageException("--" + (backlogText != null ? "backlog" : "read-timeout") + " applies to tcp and unix-stream only");
        }
        boolean threadPerRequest = mixIn instanceof ThreadPerRequestMixIn<?>;
        if (maxText != null && !threadPerRequest) {
            throw new UsageException("--max-concurrent needs --mixin threading or virtual (sync handles one request at a time)");
        }
        int backlog = backlogText == null ? BACKLOG : count("backlog", backlogText, 1);
        Duration timeout = timeoutText == null ? READ_TIMEOUT : duration("read-timeout", timeoutText);
        int max = maxText != null ? count("max-concurrent", maxText, 0)
                : !threadPerRequest ? 0 : mixIn instanceof VirtualThreadingMixIn ? VIRTUAL_THREADS : PLATFORM_THREADS;
        boolean reusePort = line.flag("reuse-port");
        if (reusePort && family != EchoFamily.TCP && family != EchoFamily.UDP) {
            throw new UsageException("--reuse-port applies to tcp and udp only (SO_REUSEPORT is an IP socket option)");
        }
        return new ServerLimits(backlog, family.stream() ? timeout : null, max, reusePort);
    }

    /**
     * Sets the mix-in's limit, before the server that will own it is bound.
     *
     * @param mixIn the mix-in
     * @return the same mix-in
     */
    MixIn apply(MixIn mixIn) {
        if (maxConcurrent > 0 && mixIn instanceof ThreadPerRequestMixIn<?> perRequest) {
            perRequest.setMaxConcurrentRequests(maxConcurrent);
        }
        return mixIn;
    }

    /**
     * Sets the backlog, {@code SO_REUSEPORT} and (launcher, TCP) {@code SO_REUSEADDR}, then binds and activates: the server is made with
     * {@code bindAndActivate = false}, as Python sets options. Closes it if either step fails.
     *
     * @param server the unbound server
     * @param <S> its type
     * @return the server, bound and activated
     * @throws IOException if binding fails
     */
    <S extends BaseServer<?>> S bindAndActivate(S server) throws IOException {
        try {
            server.setRequestQueueSize(backlog);
            server.setAllowReusePort(reusePort);
            if (this != LIBRARY && server.family() == ServerFamily.TCP) {
                // A launcher restarted on its port must bind at once, while the connections its drain
                // closed sit in TIME_WAIT on that port (Python's http.server sets it for the same reason;
                // the library's default stays CPython's False)
                server.setAllowReuseAddress(true);
            }
            server.serverBind();
            server.serverActivate();
            return server;
        } catch (IOException | RuntimeException e) {
            server.serverClose();
            throw e;
        }
    }

    private static int count(String option, String text, int least) throws UsageException {
        try {
            int n = Integer.parseInt(text);
            if (n >= least) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new UsageException("--" + option + " needs a whole number of at least " + least + ", not '" + text + "'");
    }

    /**
     * Reads {@code 30s}, {@code 500ms}, {@code 2m}, an ISO-8601 duration ({@code PT30S}), or {@code 0} or
     * {@code none} for no timeout.
     */
    static Duration duration(String option, String text) throws UsageException {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("0") || t.equals("none")) {
            return null;
        }
        try {
            Duration d;
            if (t.startsWith("p")) {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                d = null;
            }
            if (d != null && d.isPositive()) {
                return d;
            }
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            // said below
        }
        throw new UsageException("--" + option + " needs a duration such as 30s, 500ms, 2m or PT30S (0 or none: no timeout), not '"
                + text + "'");
    }
}
