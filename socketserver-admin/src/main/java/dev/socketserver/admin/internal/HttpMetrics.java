package dev.socketserver.admin.internal;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/**
 * The gateway's own HTTP metrics: a timer {@code socketserver.admin.http.requests} tagged with the
 * method (unusual ones as {@code OTHER}), the route template (never the raw path, so ids do not explode the label set) and the status.
 * Micrometer's Javalin plugin stops at Javalin 6, so this hooks Javalin's request logger the same way.
 */
public final class HttpMetrics {

    /** The timer's name; Prometheus shows it as {@code socketserver_admin_http_requests_seconds}. */
    public static final String NAME = "socketserver.admin.http.requests";

    private final MeterRegistry registry;

    /**
     * Creates the recorder.
     *
     * @param registry where the timer lives
     */
    public HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Records one finished request.
     *
     * @param ctx the request
     * @param millis how long it took
     */
    public void record(Context ctx, float millis) {
        Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        Timer.builder(NAME)
                .description("HTTP requests served by the socketserver admin gateway")
                .tag("method", HandlerType.commonHttp().contains(ctx.method()) ? ctx.method().name() : "OTHER")
                .tag("uri", endpoint == null ? "UNMATCHED" : endpoint.path)
                .tag("status", Integer.toString(ctx.status().getCode()))
                .register(registry)
                .record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
    }
}
