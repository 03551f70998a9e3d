package dev.socketserver.admin.internal;

import dev.socketserver.admin.dto.ErrorBody;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.EndpointNotFound;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Turns every failure into {@code {"error": code, "message": text}} with the right status and never a
 * stack trace: the gateway's own {@link ApiException}s, Javalin's (unknown route 404, wrong method 405,
 * body too large 413), Jetty's refusals of a malformed body met while a handler reads it (a bad chunk:
 * 400, in the audit line only), unexpected exceptions (500, logged here with their stack trace), and the
 * errors Jetty answers before Javalin sees the request (a URI or headers too long, a malformed request line).
 */
public final class ErrorMapping {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);
    private static final Map<Integer, String> CODES = Map.ofEntries(
            Map.entry(400, "bad_request"), Map.entry(401, "unauthorized"), Map.entry(403, "forbidden"),
            Map.entry(404, "not_found"), Map.entry(405, "method_not_allowed"), Map.entry(408, "request_timeout"),
            Map.entry(409, "conflict"), Map.entry(413, "payload_too_large"), Map.entry(414, "uri_too_long"),
            Map.entry(415, "unsupported_media_type"), Map.entry(431, "headers_too_large"),
            Map.entry(500, "internal"), Map.entry(503, "unavailable"), Map.entry(505, "http_version_not_supported"));

    private final ObjectMapper mapper;

    /**
     * Creates the mapping.
     *
     * @param mapper renders the Jetty-level errors
     */
    public ErrorMapping(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Registers the exception handlers with Javalin.
     *
     * @param routes Javalin's route table
     */
    public void addTo(RoutesConfig routes) {
        routes.exception(ApiException.class, (e, ctx) -> render(ctx, e.status(), e.code(), e.getMessage()));
        routes.exception(EndpointNotFound.class, (e, ctx) ->
                render(ctx, 404, "not_found", "no route " + ctx.method() + " " + Texts.clip(ctx.path())));
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            String message = switch (status) {
                case 405 -> ctx.method() + " is not allowed on " + Texts.clip(ctx.path()) + "; allowed: "
                        + String.join(", ", e.getDetails().values());
                case 413 -> "request body too large";
                default -> e.getMessage();
            };
            render(ctx, status, codeOf(status), message);
        });
        routes.exception(Exception.class, (e, ctx) -> {
            HttpException bad = jettyRefusal(e);
            if (bad != null) {
                // a malformed request (a bad chunk size, an overlong chunk extension) that Jetty found
                // while the handler read the body: the client's fault, told in the audit line alone
                int status = bad.getCode() >= 400 && bad.getCode() < 500 ? bad.getCode() : 400;
                ctx.header("Connection", "close"); // Jetty cannot read on past the bad bytes
                render(ctx, status, codeOf(status), "malformed request: " + Texts.clip(bad.getReason()));
                return;
            }
            LOG.error("unexpected failure on {} {}", ctx.method(), Texts.clip(ctx.path()), e);
            render(ctx, 500, "internal", "internal error; see the gateway's log");
        });
    }

    /**
     * Returns the Jetty error handler that writes the same JSON for errors raised outside Javalin.
     *
     * @return the handler, for {@code Server.setErrorHandler}
     */
    public ErrorHandler jettyErrorHandler() {
        return new JsonErrorHandler();
    }

    private static void render(Context ctx, int status, String code, String message) {
        Audit.failure(ctx, code + ": " + message);
        ctx.status(status);
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"socketserver-admin\"");
        }
        ctx.json(new ErrorBody(code, message));
    }

    /** Jetty's refusal of a malformed request, wherever it sits among the causes; {@code null} if none. */
    static HttpException jettyRefusal(Throwable e) {
        for (int depth = 0; e != null && depth < 16; e = e.getCause(), depth++) {
            if (e instanceof HttpException http) {
                return http;
            }
        }
        return null;
    }

    static String codeOf(int status) {
        return CODES.getOrDefault(status, "http_" + status);
    }

    private byte[] body(int status, String message) {
        String text = message == null || message.isBlank() ? "HTTP " + status : Texts.clip(message);
        return mapper.writeValueAsBytes(new ErrorBody(codeOf(status), text));
    }

    /** Jetty's error handler, answering JSON instead of an HTML page; never shows stacks or causes. */
    private final class JsonErrorHandler extends ErrorHandler {

        JsonErrorHandler() {
            setShowStacks(false);
            setShowCauses(false);
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                        Callback callback) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            // Jetty closes the connection after such a request (a bad URI, headers too large) without
            // saying so; say it, so that a client does not reuse the connection and fail its next call.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            response.write(true, ByteBuffer.wrap(body(code, message)), callback);
        }
    }
}
