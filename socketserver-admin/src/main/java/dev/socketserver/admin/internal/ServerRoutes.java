package dev.socketserver.admin.internal;

import dev.socketserver.BaseServer;
import dev.socketserver.DrainReport;
import dev.socketserver.ServerRegistry;
import dev.socketserver.ServerState;
import dev.socketserver.admin.dto.CloseResult;
import dev.socketserver.admin.dto.DrainResult;
import dev.socketserver.admin.dto.HandleRequestResult;
import dev.socketserver.admin.dto.ServerView;
import dev.socketserver.admin.dto.ShutdownResult;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The {@code /api/servers} routes: list, show, and the four actions. Each action records a one-line
 * summary for the audit log ({@link Audit#detail}).
 */
public final class ServerRoutes {

    private static final Pattern PRINTABLE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final ServerRegistry registry;
    private final TimeoutInput timeouts;
    private final Duration handleRequestDefault;
    private final Duration waitDefault;
    private final Duration drainDeadlineDefault;

    /**
     * Creates the routes.
     *
     * @param registry the servers to serve
     * @param timeouts reads the optional timeout of the actions
     * @param handleRequestDefault how long handle-request waits when no timeout is given
     * @param waitDefault how long shutdown and close wait when no timeout is given
     * @param drainDeadlineDefault how long a drain may take when no deadline is given
     */
    public ServerRoutes(ServerRegistry registry, TimeoutInput timeouts, Duration handleRequestDefault,
                        Duration waitDefault, Duration drainDeadlineDefault) {
        this.registry = registry;
        this.timeouts = timeouts;
        this.handleRequestDefault = handleRequestDefault;
        this.waitDefault = waitDefault;
        this.drainDeadlineDefault = drainDeadlineDefault;
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
        routes.post("/api/servers/{id}/drain", this::drain);
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

    private void drain(Context ctx) {
        BaseServer<?> server = server(ctx);
        Duration grace = timeouts.query(ctx, "grace", Duration.ZERO);
        Duration deadline = timeouts.query(ctx, "deadline", drainDeadlineDefault);
        timeouts.requireNoBody(ctx, "give grace and deadline as query parameters, e.g. ?grace=PT5S&deadline=PT30S");
        DrainReport report;
        try {
            report = server.drain(grace, deadline); // blocks this virtual thread until the server is closed
        } catch (IllegalStateException e) {
            // a second drain, or a server closed since it was looked up: refused by BaseServer itself, so no race
            Audit.detail(ctx, "drain of " + server.id() + " refused: " + e.getMessage());
            ServerState state = server.state();
            throw state == ServerState.DRAINING ? new ApiException(409, "draining", "server " + server.id() + " is already draining")
                    : state == ServerState.CLOSED ? new ApiException(409, "closed", "server " + server.id() + " is closed")
                    : new ApiException(409, "not_drainable", e.getMessage());
        }
        Audit.detail(ctx, "drain of " + server.id() + " (grace " + grace + ", deadline " + deadline + "): " + report);
        ctx.json(new DrainResult(server.id(), report.finished(), report.forced(), report.duration().toMillis()));
    }

    private BaseServer<?> server(Context ctx) {
        String id = ctx.pathParam("id");
        return registry.find(id).orElseThrow(() -> ApiException.notFound(PRINTABLE_ID.matcher(id).matches()
                ? "no live server with id '" + id + "'"
                : "no live server with that id"));
    }
}
