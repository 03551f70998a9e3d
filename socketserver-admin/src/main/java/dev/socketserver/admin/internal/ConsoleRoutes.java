package dev.socketserver.admin.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * The browser console and the API description: {@code GET /} (the page), {@code GET /console/console.js},
 * {@code GET /console/console.css} and {@code GET /openapi.json}, all static files from this module's jar,
 * read once at start (a route rather than Jetty's static handler, so it works in a jlink image too).
 * None of them needs the token: they hold no data, and the page asks the operator for the token.
 *
 * <p>{@link #securityHeaders(Context)} runs before every request and sets a Content-Security-Policy that
 * allows scripts, styles and API calls from the gateway's own origin only (no inline script, no
 * framing), {@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy: no-referrer} and
 * {@code Cache-Control: no-store}.
 */
public final class ConsoleRoutes {

    /** The console page. */
    public static final String PAGE = "/";
    /** The console's script. */
    public static final String SCRIPT = "/console/console.js";
    /** The console's style sheet. */
    public static final String STYLE = "/console/console.css";
    /** The OpenAPI 3.1 description of the gateway. */
    public static final String OPENAPI = "/openapi.json";
    /** Every path this class serves; none needs a token. */
    public static final List<String> PATHS = List.of(PAGE, SCRIPT, STYLE, OPENAPI);

    /** The policy: the gateway's own origin only; no inline script or style, no plugins, no framing. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final byte[] page = load("/admin-ui/index.html");
    private final byte[] script = load("/admin-ui/console.js");
    private final byte[] style = load("/admin-ui/console.css");
    private final byte[] openapi = load("/admin-ui/openapi.json");

    /** Loads the files from the jar. */
    public ConsoleRoutes() {
    }

    /**
     * Declares the routes.
     *
     * @param routes Javalin's route table
     */
    public void addTo(RoutesConfig routes) {
        routes.get(PAGE, ctx -> serve(ctx, page, "text/html; charset=utf-8"));
        routes.get(SCRIPT, ctx -> serve(ctx, script, "text/javascript; charset=utf-8"));
        routes.get(STYLE, ctx -> serve(ctx, style, "text/css; charset=utf-8"));
        routes.get(OPENAPI, ctx -> serve(ctx, openapi, "application/json"));
    }

    /**
     * The before-handler that sets the security headers on every answer, errors included.
     *
     * @param ctx the request
     */
    public static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    private static void serve(Context ctx, byte[] body, String type) {
        ctx.contentType(type).result(body);
    }

    private static byte[] load(String resource) {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream(resource)) {
            return Objects.requireNonNull(in, () -> "missing resource " + resource + " in the admin jar").readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
