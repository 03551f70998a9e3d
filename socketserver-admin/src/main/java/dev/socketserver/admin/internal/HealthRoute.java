package dev.socketserver.admin.internal;

import dev.socketserver.BaseServer;
import dev.socketserver.ServerRegistry;
import dev.socketserver.admin.dto.Health;
import io.javalin.http.Context;

/**
 * {@code GET /health}: 200 {@code {"status":"UP"}} while the process serves, 503
 * {@code {"status":"draining"}} as soon as it is on its way out, so that a load balancer's health
 * check takes it out of rotation during the drain's grace period, before accepting stops.
 */
public final class HealthRoute {

    /** The status while serving. */
    public static final String UP = "UP";
    /** The status while draining. */
    public static final String DRAINING = "draining";

    private final ServerRegistry registry;
    private volatile boolean processDraining;

    /**
     * Creates the route.
     *
     * @param registry the servers whose {@link BaseServer#isDraining()} turns the answer to 503
     */
    public HealthRoute(ServerRegistry registry) {
        this.registry = registry;
    }

    /** The process drains as a whole (a launcher's SIGTERM): 503 from now on, whatever the servers do. */
    public void markDraining() {
        processDraining = true;
    }

    /**
     * Whether the answer is 503: the process was marked, or a server of the registry drains.
     *
     * @return {@code true} while draining
     */
    public boolean draining() {
        return processDraining || registry.servers().stream().anyMatch(BaseServer::isDraining);
    }

    /**
     * Answers a health check.
     *
     * @param ctx the request
     */
    public void answer(Context ctx) {
        if (draining()) {
            ctx.status(503).json(new Health(DRAINING));
        } else {
            ctx.json(new Health(UP));
        }
    }
}
