package dev.socketserver.admin.internal;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every state-changing call (every method but GET, HEAD and OPTIONS), whatever its outcome, with
 * the caller's address, the status and what the handler did. Logger {@code dev.socketserver.admin.audit}.
 * Query strings are redacted and header values never written: either may carry the token.
 */
public final class Audit {

    private static final Logger LOG = LoggerFactory.getLogger("dev.socketserver.admin.audit");
    private static final String DETAIL = "dev.socketserver.admin.audit.detail";

    private Audit() {
    }

    /**
     * Records what a handler did, for the audit line written when the request ends.
     *
     * @param ctx the request
     * @param detail one line, e.g. {@code "shutdown of tcp-1: ... now IDLE"}
     */
    public static void detail(Context ctx, String detail) {
        ctx.attribute(DETAIL, detail);
    }

    /**
     * Records why a request failed, unless the handler already recorded what it did.
     *
     * @param ctx the request
     * @param detail one line, e.g. {@code "bad_request: timeout 'PT-5S' is negative"}
     */
    static void failure(Context ctx, String detail) {
        if (ctx.attribute(DETAIL) == null) {
            detail(ctx, detail);
        }
    }

    /**
     * Writes the audit line of a finished request, if it was state-changing.
     *
     * @param ctx the request
     * @param millis how long it took
     */
    public static void log(Context ctx, float millis) {
        if (!audited(ctx)) {
            return;
        }
        HandlerType method = ctx.method();
        String detail = ctx.attribute(DETAIL);
        LOG.info("{} {}{} from {} -> {} in {} ms{}", Texts.clip(method.name()), Texts.clip(ctx.path()),
                redactedQuery(ctx.queryString()), caller(ctx),
                ctx.status().getCode(), String.format(java.util.Locale.ROOT, "%.1f", millis), detail == null ? "" : ": " + Texts.clip(detail, 400));
    }

    /**
     * Tells whether a request gets an audit line: every method but GET, HEAD and OPTIONS.
     *
     * @param ctx the request
     * @return whether {@link #log} writes a line for it
     */
    static boolean audited(Context ctx) {
        HandlerType method = ctx.method();
        return !(HandlerType.GET.equals(method) || HandlerType.HEAD.equals(method) || HandlerType.OPTIONS.equals(method));
    }

    /**
     * Returns what the audit line says of a query string: its parameter count, never its text, since a
     * client may put the token there ({@code ?token=...}) and the log must not keep it. Header values
     * are never logged either.
     *
     * @param query the raw query string, or {@code null}
     * @return {@code ""} without a query, else e.g. {@code "?[2 query parameters redacted]"}
     */
    static String redactedQuery(String query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        long parameters = query.chars().filter(c -> c == '&').count() + 1;
        return "?[" + parameters + (parameters == 1 ? " query parameter" : " query parameters") + " redacted]";
    }

    /**
     * Returns the caller's address as {@code ip:port} (the socket's peer; forwarding headers are not trusted).
     *
     * @param ctx the request
     * @return the address
     */
    public static String caller(Context ctx) {
        String ip = ctx.req().getRemoteAddr();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + ctx.req().getRemotePort();
    }
}
