package dev.socketserver.admin.internal;

import io.javalin.http.Context;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.List;

/**
 * Reads the optional timeout of an action from the query parameter {@code timeout} or a JSON body
 * {@code {"timeout": "PT2S"}} / {@code {"timeout": 2000}}; at most one of the two. Anything else in the
 * body is a 400, so a typo is not silently ignored.
 */
public final class TimeoutInput {

    private final Timeouts timeouts;
    private final ObjectMapper mapper;

    /**
     * Creates the reader.
     *
     * @param timeouts parses and bounds the values
     * @param mapper parses the body
     */
    public TimeoutInput(Timeouts timeouts, ObjectMapper mapper) {
        this.timeouts = timeouts;
        this.mapper = mapper;
    }

    /**
     * Reads the timeout of this request.
     *
     * @param ctx the request
     * @param byDefault what to use when none is given
     * @return the timeout
     * @throws ApiException (400) for a bad value, (413) for a body over the limit
     */
    public Duration read(Context ctx, Duration byDefault) {
        List<String> query = ctx.queryParams("timeout");
        if (query.size() > 1) {
            throw ApiException.badRequest("give the timeout query parameter once");
        }
        Duration fromQuery = query.isEmpty() ? null : timeouts.parse(query.getFirst());
        String body = ctx.body(); // enforces the body-size limit (413)
        Duration fromBody = body.isBlank() ? null : fromBody(body);
        if (fromQuery != null && fromBody != null) {
            throw ApiException.badRequest("timeout given both as a query parameter and in the body; give it once");
        }
        return fromQuery != null ? fromQuery : fromBody != null ? fromBody : byDefault;
    }

    /**
     * Reads a duration given only as the query parameter {@code name}, for an action whose durations
     * have no body form (drain's {@code grace} and {@code deadline}).
     *
     * @param ctx the request
     * @param name the query parameter
     * @param byDefault what to use when it is absent
     * @return the duration
     * @throws ApiException (400) for a bad or repeated value
     */
    public Duration query(Context ctx, String name, Duration byDefault) {
        List<String> values = ctx.queryParams(name);
        if (values.size() > 1) {
            throw ApiException.badRequest("give the " + name + " query parameter once");
        }
        return values.isEmpty() ? byDefault : timeouts.parse(name, values.getFirst());
    }

    /**
     * Refuses a request body where the action takes none, so that durations put there by mistake are
     * not silently ignored.
     *
     * @param ctx the request
     * @param hint what to do instead, for the message
     * @throws ApiException (400) if there is a body, (413) for one over the limit
     */
    public void requireNoBody(Context ctx, String hint) {
        if (!ctx.body().isBlank()) {
            throw ApiException.badRequest("this action takes no body; " + hint);
        }
    }

    private Duration fromBody(String body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest("body is not valid JSON; expected {\"timeout\": \"PT2S\"} or {\"timeout\": 2000}");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("body must be a JSON object like {\"timeout\": \"PT2S\"}");
        }
        for (String name : root.propertyNames()) {
            if (!name.equals("timeout")) {
                throw ApiException.badRequest("unknown field '" + Texts.clip(name) + "' in body; only \"timeout\" is accepted");
            }
        }
        JsonNode t = root.get("timeout");
        if (t == null || t.isNull()) {
            return null;
        }
        if (t.isString()) {
            return timeouts.parse(t.stringValue());
        }
        if (t.isIntegralNumber() && t.canConvertToLong()) {
            return timeouts.ofMillis(t.longValue());
        }
        throw ApiException.badRequest("timeout must be an ISO-8601 string like \"PT2S\" or whole milliseconds like 2000");
    }
}
