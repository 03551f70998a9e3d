package dev.socketserver.admin;

import dev.socketserver.BaseServer;
import dev.socketserver.ErrorKind;
import dev.socketserver.ServerRegistry;
import dev.socketserver.ServerState;
import dev.socketserver.ServerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Exposes the {@link ServerStats} counters of every server in a {@link ServerRegistry} as Micrometer
 * meters. The api keeps plain {@code LongAdder}s; the meters only read them when scraped, so servers
 * pay nothing for metrics and applications that skip this module pay nothing at all.
 *
 * <p>Meters of one server carry the tags {@code server} (its name when one was set with
 * {@link BaseServer#setName}, else its id: give servers a name for a label that survives restarts),
 * {@code server.id}, {@code server.class} and {@code server.family}; they are registered when the server joins the registry (or at once for the
 * servers already live) and removed when it leaves. Names, with their Prometheus form:
 * <ul>
 *   <li>{@code socketserver.requests.received} ({@code socketserver_requests_received_total}):
 *       connections accepted or datagrams received</li>
 *   <li>{@code socketserver.requests.handled} ({@code _total}): requests that ran through their handler</li>
 *   <li>{@code socketserver.requests.active} (gauge): handlers running now</li>
 *   <li>{@code socketserver.requests.errors} ({@code _total}): calls to {@code handleError()}</li>
 *   <li>{@code socketserver.requests.dropped} ({@code _total}): requests received but never handled</li>
 *   <li>{@code socketserver.datagrams.truncated} ({@code _total}): datagrams cut to {@code maxPacketSize}</li>
 *   <li>{@code socketserver.request.duration} ({@code socketserver_request_duration_seconds_count} and
 *       {@code _sum}): time requests ran</li>
 *   <li>{@code socketserver.requests.open} (gauge): requests taken and not yet closed (open connections)</li>
 *   <li>{@code socketserver.received}, {@code socketserver.sent} ({@code socketserver_received_bytes_total},
 *       {@code socketserver_sent_bytes_total}): bytes through the handlers</li>
 *   <li>{@code socketserver.errors} ({@code socketserver_errors_total}, tag {@code kind}: {@code handler},
 *       {@code peer_gone}, {@code timeout}, {@code tls_handshake}, {@code proxy_header}): {@code handleError()} calls by kind</li>
 * </ul>
 *
 * <p>Bind it once: {@code new ServerMeterBinder(registry).bindTo(meterRegistry)}; {@link #close()} stops
 * listening and removes the meters. Thread-safe.
 */
public final class ServerMeterBinder implements MeterBinder, AutoCloseable {

    /** Prefix of every meter name. */
    public static final String PREFIX = "socketserver.";

    private final ServerRegistry servers;
    private final Map<String, List<Meter>> metersByServer = new ConcurrentHashMap<>();
    private final ServerRegistry.Listener listener = new ServerRegistry.Listener() {
        @Override
        public void joined(BaseServer<?> server) {
            add(server);
        }

        @Override
        public void left(BaseServer<?> server) {
            remove(server.id());
        }
    };
    private volatile MeterRegistry meters;
    private volatile boolean closed;

    /**
     * Creates a binder for the servers of a registry.
     *
     * @param servers the registry to follow, e.g. {@link ServerRegistry#defaultRegistry()}
     */
    public ServerMeterBinder(ServerRegistry servers) {
        this.servers = Objects.requireNonNull(servers, "servers");
    }

    /**
     * Starts following the registry and registers the meters of its live servers.
     *
     * @param registry where the meters go
     * @throws IllegalStateException if already bound or closed
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (closed || meters != null) {
            throw new IllegalStateException("a ServerMeterBinder binds to one MeterRegistry, once");
        }
        meters = registry;
        servers.addListener(listener);
    }

    /**
     * Stops following the registry and removes every meter this binder registered. Idempotent.
     */
    @Override
    public synchronized void close() {
        closed = true;
        servers.removeListener(listener);
        metersByServer.keySet().forEach(this::remove);
    }

    private void add(BaseServer<?> server) {
        MeterRegistry registry = meters;
        if (registry == null || closed) {
            return;
        }
        metersByServer.computeIfAbsent(server.id(), id -> register(registry, server));
        if (closed || server.state() == ServerState.CLOSED) {
            remove(server.id()); // it left (or we closed) while we were registering: do not leave meters behind
        }
    }

    private void remove(String id) {
        List<Meter> gone = metersByServer.remove(id);
        MeterRegistry registry = meters;
        if (gone != null && registry != null) {
            gone.forEach(registry::remove);
        }
    }

    private static List<Meter> register(MeterRegistry registry, BaseServer<?> server) {
        ServerStats s = server.stats();
        Tags tags = Tags.of("server", ServerLabel.of(server), "server.id", server.id(), "server.class", server.info().serverClass(),
                "server.family", server.family().label());
        List<Meter> meters = new java.util.ArrayList<>(List.of(
                counter(registry, "requests.received", "Connections accepted or datagrams received", tags, s,
                        ServerStats::received),
                counter(registry, "requests.handled", "Requests that ran through their handler", tags, s,
                        ServerStats::requestsHandled),
                counter(registry, "requests.errors", "Calls to handleError()", tags, s, ServerStats::errors),
                counter(registry, "requests.dropped", "Requests received but never given to a handler", tags, s,
                        ServerStats::dropped),
                counter(registry, "datagrams.truncated", "Datagrams cut to maxPacketSize", tags, s,
                        ServerStats::datagramsTruncated),
                Gauge.builder(PREFIX + "requests.active", s, ServerStats::activeRequests)
                        .description("Handlers running now").tags(tags).strongReference(true).register(registry),
                FunctionTimer.builder(PREFIX + "request.duration", s, ServerStats::requestsHandled,
                                ServerStats::totalRequestNanos, TimeUnit.NANOSECONDS)
                        .description("Time requests ran: handler, handleError and shutdownRequest").tags(tags).register(registry),
                Gauge.builder(PREFIX + "requests.open", s, ServerStats::openRequests)
                        .description("Requests taken and not yet closed: for a stream server, its open connections")
                        .tags(tags).strongReference(true).register(registry),
                FunctionCounter.builder(PREFIX + "received", s, ServerStats::bytesReceived).baseUnit("bytes")
                        .description("Bytes the handlers read (connections) or received (datagrams)").tags(tags).register(registry),
                FunctionCounter.builder(PREFIX + "sent", s, ServerStats::bytesSent).baseUnit("bytes")
                        .description("Bytes the handlers wrote (connections) or sent (datagrams)").tags(tags).register(registry)));
        for (ErrorKind kind : ErrorKind.values()) {
            meters.add(FunctionCounter.builder(PREFIX + "errors", s, stats -> stats.errors(kind))
                    .description("Calls to handleError() by kind: handler (its own exception), peer_gone, timeout, tls_handshake, proxy_header")
                    .tags(tags.and("kind", kind.name().toLowerCase(java.util.Locale.ROOT))).register(registry));
        }
        return List.copyOf(meters);
    }

    private static Meter counter(MeterRegistry registry, String name, String description, Tags tags, ServerStats s,
                                 ToDoubleFunction<ServerStats> f) {
        return FunctionCounter.builder(PREFIX + name, s, f).description(description).tags(tags).register(registry);
    }
}
