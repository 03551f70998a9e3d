package dev.socketserver.admin.internal;

import dev.socketserver.BaseServer;
import dev.socketserver.ServerRegistry;
import dev.socketserver.ServerState;
import dev.socketserver.admin.dto.CloseResult;
import dev.socketserver.admin.dto.HandleRequestResult;
import dev.socketserver.admin.dto.ServerView;
import dev.socketserver.admin.dto.ShutdownResult;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The {@code /api/servers} routes: list, show, and the three actions. Each action records a one-line
 * summary for the audit log ({@link Audit#detail}).
 */
public final class ServerRoutes {

    private static final Pattern PRINTABLE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final ServerRegistry registry;
    private final TimeoutInput timeouts;
    private final Duration handleRequestDefault;
    private final Duration waitDefault;

    /**
     * Creates the routes.
     *
     * @param registry the servers to serve
     * @param timeouts reads the optional timeout of the actions
     * @param handleRequestDefault how long handle-request waits when no timeout is given
     * @param waitDefault how long shutdown and close wait when no timeout is given
     */
    public ServerRoutes(ServerRegistry registry, TimeoutInput timeouts, Duration handleRequestDefault,
                        Duration waitDefault) {
        this.registry = registry;
        this.timeouts = timeouts;
        this.handleRequestDefault = handleRequestDefault;
        this.waitDefault = waitDefault;
    }

    /**
     * Declares the routes.
     *
     * @param routes Javalin's route table
     */
    public void addTo(RoutesConfig routes) {
        routes.get("/api/servers", this::list);
        routes.get("/api/servers/{id}", this::show);
        routes.post("/api/servers/{id}/handle-request", this::handleRequest);
        routes.post("/api/servers/{id}/shutdown", this::shutdown);
        routes.post("/api/servers/{id}/close", this::close);
    }

    private void list(Context ctx) {
        ctx.json(registry.servers().stream().map(ServerView::of).toList());
    }

    private void show(Context ctx) {
        ctx.json(ServerView.of(server(ctx)));
    }

    private void handleRequest(Context ctx) {
        BaseServer<?> server = server(ctx);
        Duration timeout = timeouts.read(ctx, handleRequestDefault);
        long start = System.nanoTime();
        boolean handled;
        try {
            handled = server.handleRequest(timeout);
        } catch (IllegalStateException e) {
            // closed, or already inside serveForever()/handleRequest(): the server is not free for us
            Audit.detail(ctx, "handle-request on " + server.id() + " refused: " + e.getMessage());
            if (server.state() == ServerState.CLOSED) {
                throw new ApiException(409, "closed", "server " + server.id() + " is closed");
            }
            throw new ApiException(409, "busy", e.getMessage());
        } catch (IOException e) {
            Audit.detail(ctx, "handle-request on " + server.id() + " failed: " + e);
            throw new ApiException(500, "io_error", "handleRequest on " + server.id() + " failed: " + e.getMessage());
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        ServerState state = server.state();
        String outcome = handled ? "handled"
                : state == ServerState.CLOSED ? "closed"
                : elapsed.compareTo(timeout) >= 0 ? "timed_out"
                : "no_request";
        Audit.detail(ctx, "handle-request on " + server.id() + " (timeout " + timeout + "): " + outcome);
        ctx.json(new HandleRequestResult(server.id(), handled, outcome, timeout.toString(), elapsed.toString(),
                state.name()));
    }

    private void shutdown(Context ctx) {
        BaseServer<?> server = server(ctx);
        Duration wait = timeouts.read(ctx, waitDefault);
        ServerState before = server.state();
        // Only a running loop is asked to stop: on an idle server BaseServer.shutdown() would be remembered
        // and make the next serveForever() return at once, which an operator asking "stop it" does not mean.
        boolean wasServing = before == ServerState.SERVING || before == ServerState.SHUTTING_DOWN;
        boolean loopEnded = !wasServing || server.shutdown(wait);
        ServerState after = server.state();
        Audit.detail(ctx, "shutdown of " + server.id() + ": was " + before + ", loop ended " + loopEnded + ", now " + after);
        ctx.json(new ShutdownResult(server.id(), wasServing, loopEnded, after.name()));
    }

    private void close(Context ctx) {
        BaseServer<?> server = server(ctx);
        Duration wait = timeouts.read(ctx, waitDefault);
        boolean finished = server.serverClose(wait);
        ServerState after = server.state();
        Audit.detail(ctx, "close of " + server.id() + ": handlers finished " + finished + ", now " + after);
        ctx.json(new CloseResult(server.id(), finished, after.name()));
    }

    private BaseServer<?> server(Context ctx) {
        String id = ctx.pathParam("id");
        return registry.find(id).orElseThrow(() -> ApiException.notFound(PRINTABLE_ID.matcher(id).matches()
                ? "no live server with id '" + id + "'"
                : "no live server with that id"));
    }
}
