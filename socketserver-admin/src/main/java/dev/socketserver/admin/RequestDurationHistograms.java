package dev.socketserver.admin;

import dev.socketserver.BaseServer;
import dev.socketserver.ServerRegistry;
import dev.socketserver.ServerState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A request-duration histogram per server: the timer {@code socketserver.request.latency}, shown by
 * Prometheus as {@code socketserver_request_latency_seconds_bucket} (with {@code le} from 50 µs to 10 s),
 * {@code _count}, {@code _sum} and {@code _max}, tagged {@code server} (see {@link ServerMeterBinder}),
 * {@code server.id}, {@code server.class} and {@code server.family}.
 *
 * <p>The timers follow the registry: registered (empty) when a server joins, removed when it leaves. Each
 * is fed by the server itself, through {@link dev.socketserver.ServerStats#addRequestTimer}, with the time
 * each request ran (handler, {@code handleError}, {@code shutdownRequest}). Thread-safe.
 */
public final class RequestDurationHistograms implements MeterBinder, AutoCloseable {

    /** The timer's name. */
    public static final String NAME = ServerMeterBinder.PREFIX + "request.latency";

    /** The bucket bounds: 50 µs to 10 s, about three per decade. */
    public static final Duration[] BUCKETS = {
            micros(50), micros(100), micros(250), micros(500),
            millis(1), millis(2.5), millis(5), millis(10), millis(25), millis(50), millis(100), millis(250),
            millis(500), Duration.ofSeconds(1), millis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final ServerRegistry servers;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, AutoCloseable> feeds = new ConcurrentHashMap<>(); // the servers' timer registrations
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
     * Creates the histograms for the servers of a registry.
     *
     * @param servers the registry to follow
     */
    public RequestDurationHistograms(ServerRegistry servers) {
        this.servers = Objects.requireNonNull(servers, "servers");
    }

    /**
     * Starts following the registry.
     *
     * @param registry where the timers go
     * @throws IllegalStateException if already bound or closed
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (closed || meters != null) {
            throw new IllegalStateException("a RequestDurationHistograms binds to one MeterRegistry, once");
        }
        meters = registry;
        servers.addListener(listener);
    }

    /** Stops following the registry and removes every timer. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        servers.removeListener(listener);
        timers.keySet().forEach(this::remove);
    }

    private void add(BaseServer<?> server) {
        MeterRegistry registry = meters;
        if (registry == null || closed) {
            return;
        }
        Timer timer = timers.computeIfAbsent(server.id(), id -> Timer.builder(NAME)
                .description("Time each request ran: handler, handleError and shutdownRequest")
                .tags(Tags.of("server", ServerLabel.of(server), "server.id", server.id(),
                        "server.class", server.info().serverClass(), "server.family", server.family().label()))
                .serviceLevelObjectives(BUCKETS)
                .minimumExpectedValue(BUCKETS[0])
                .maximumExpectedValue(BUCKETS[BUCKETS.length - 1])
                .register(registry));
        feeds.computeIfAbsent(server.id(), id -> server.stats().addRequestTimer(nanos -> timer.record(nanos, TimeUnit.NANOSECONDS)));
        if (closed || server.state() == ServerState.CLOSED) {
            remove(server.id());
        }
    }

    private void remove(String id) {
        AutoCloseable feed = feeds.remove(id);
        if (feed != null) {
            try {
                feed.close();
            } catch (Exception ignored) {
                // removing a timer from a server's list cannot fail
            }
        }
        Timer gone = timers.remove(id);
        MeterRegistry registry = meters;
        if (gone != null && registry != null) {
            registry.remove(gone);
        }
    }

    private static Duration micros(long n) {
        return Duration.ofNanos(n * 1_000);
    }

    private static Duration millis(double n) {
        return Duration.ofNanos(Math.round(n * 1_000_000));
    }
}
