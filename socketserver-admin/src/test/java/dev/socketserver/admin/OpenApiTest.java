package dev.socketserver.admin;

import dev.socketserver.TCPServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /openapi.json} against the router and against real answers: every route Javalin has is
 * described and every described route exists, and real responses (successes and errors) match the schema
 * the description gives for their status.
 */
class OpenApiTest {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch", "head", "options");

    private final Fixture f = new Fixture();
    private final JsonNode doc = fetch();

    @AfterEach
    void tearDown() {
        f.close();
    }

    private JsonNode fetch() {
        try (Api anonymous = new Api(f.gateway.uri(), null)) {
            return Api.json(anonymous.get("/openapi.json"), 200); // no token needed
        }
    }

    @Test
    void isOpenApi31WithTheBearerScheme() {
        assertTrue(doc.path("openapi").asString().startsWith("3.1."), doc.path("openapi").toString());
        JsonNode scheme = doc.path("components").path("securitySchemes").path("bearer");
        assertEquals("http", scheme.path("type").asString());
        assertEquals("bearer", scheme.path("scheme").asString());
        assertEquals("bearer", doc.path("security").get(0).propertyNames().iterator().next());
        // the open routes say so
        for (String open : List.of("/health", "/", "/openapi.json", "/console/console.js", "/console/console.css")) {
            assertEquals(0, doc.path("paths").path(open).path("get").path("security").size(), open);
        }
    }

    @Test
    void everyRouteOfTheRouterIsDescribedAndTheReverse() {
        Set<String> router = new TreeSet<>(f.gateway.routes());
        Set<String> described = new TreeSet<>();
        doc.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (METHODS.contains(op.getKey())) {
                described.add(op.getKey().toUpperCase() + " " + path.getKey());
            }
        }));
        assertTrue(router.size() >= 11, router.toString());
        assertEquals(router, described);
    }

    @Test
    void everyOperationDescribesItsAnswersAndEveryRefResolves() {
        doc.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            String where = op.getKey() + " " + path.getKey();
            assertTrue(op.getValue().path("responses").has("200"), where);
            assertFalse(op.getValue().path("operationId").asString().isBlank(), where);
            if (path.getKey().contains("{id}")) {
                assertTrue(op.getValue().path("parameters").toString().contains("ServerId"), where);
            }
        }));
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertFalse(refs.isEmpty());
        refs.forEach(ref -> assertFalse(resolve(ref).isMissingNode(), ref));
    }

    @Test
    void realAnswersMatchTheirSchemas() throws Exception {
        TCPServer idle = f.echoServer("orders");
        TCPServer serving = f.echoServer();
        f.serveForever(serving);
        try (Api anonymous = new Api(f.gateway.uri(), null)) {
            check("get", "/api/servers", f.api.get("/api/servers"), 200);
            check("get", "/api/servers/{id}", f.api.get("/api/servers/" + idle.id()), 200);
            check("get", "/api/servers/{id}", f.api.get("/api/servers/nope-1"), 404);
            check("get", "/api/servers", anonymous.get("/api/servers"), 401);
            check("get", "/health", anonymous.get("/health"), 200);
            check("post", "/api/servers/{id}/handle-request",
                    f.api.post("/api/servers/" + idle.id() + "/handle-request?timeout=PT0.05S"), 200);
            try (Socket client = Clients.connect(idle)) {
                client.getOutputStream().write("x\n".getBytes());
                check("post", "/api/servers/{id}/handle-request",
                        f.api.post("/api/servers/" + idle.id() + "/handle-request", "{\"timeout\": \"PT5S\"}"), 200);
            }
            check("post", "/api/servers/{id}/handle-request", f.api.post("/api/servers/" + serving.id() + "/handle-request"), 409);
            check("post", "/api/servers/{id}/handle-request",
                    f.api.post("/api/servers/" + idle.id() + "/handle-request?timeout=PT-1S"), 400);
            check("post", "/api/servers/{id}/shutdown", f.api.post("/api/servers/" + serving.id() + "/shutdown"), 200);
            check("post", "/api/servers/{id}/shutdown", f.api.post("/api/servers/" + idle.id() + "/shutdown",
                    "x".repeat(AdminGateway.MAX_BODY_BYTES + 1)), 413);
            check("post", "/api/servers/{id}/close", f.api.post("/api/servers/" + idle.id() + "/close"), 200);
            check("post", "/api/servers/{id}/close", f.api.post("/api/servers/" + idle.id() + "/close"), 404);
            TCPServer drained = f.echoServer();
            check("post", "/api/servers/{id}/drain", f.api.post("/api/servers/" + drained.id() + "/drain?grace=nope"), 400);
            check("post", "/api/servers/{id}/drain", f.api.post("/api/servers/" + drained.id() + "/drain?deadline=PT5S"), 200);
            check("post", "/api/servers/{id}/drain", f.api.post("/api/servers/" + drained.id() + "/drain"), 404);
            f.gateway.markDraining();
            check("get", "/health", anonymous.get("/health"), 503);
            HttpResponse<String> metrics = f.api.get("/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(doc.path("paths").path("/metrics").path("get").path("responses").path("200").path("content")
                    .has("text/plain"));
        }
    }

    /** A wrong document must fail the check: the validator itself is tested. */
    @Test
    void theSchemaCheckRejectsWhatItShould() {
        JsonNode server = resolve("#/components/schemas/Server");
        JsonNode good = Api.json(f.api.get("/api/servers"), 200);
        assertFalse(Schema.errors(server, Api.JSON.readTree("{}"), this::resolve).isEmpty());
        assertFalse(Schema.errors(server, Api.JSON.readTree("{\"id\": 1}"), this::resolve).isEmpty());
        assertFalse(Schema.errors(resolve("#/components/schemas/Error"),
                Api.JSON.readTree("{\"error\": \"x\", \"message\": \"y\", \"extra\": 1}"), this::resolve).isEmpty());
        assertFalse(Schema.errors(resolve("#/components/schemas/State"), Api.JSON.readTree("\"RUNNING\""), this::resolve).isEmpty());
        assertEquals(List.of(), Schema.errors(Api.JSON.readTree("{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Server\"}}"),
                good, this::resolve));
    }

    private void check(String method, String path, HttpResponse<String> response, int status) {
        assertEquals(status, response.statusCode(), () -> method + " " + path + ": " + response.body());
        JsonNode answer = doc.path("paths").path(path).path(method).path("responses").path(Integer.toString(status));
        assertFalse(answer.isMissingNode(), () -> method + " " + path + " does not describe " + status);
        answer = deref(answer);
        JsonNode schema = answer.path("content").path("application/json").path("schema");
        assertFalse(schema.isMissingNode(), () -> method + " " + path + " " + status + " has no JSON schema");
        JsonNode body = Api.JSON.readTree(response.body());
        List<String> errors = Schema.errors(schema, body, this::resolve);
        assertEquals(List.of(), errors, () -> method + " " + path + " " + status + ": " + response.body());
    }

    private JsonNode deref(JsonNode node) {
        return node.has("$ref") ? deref(resolve(node.path("$ref").asString())) : node;
    }

    private JsonNode resolve(String ref) {
        assertTrue(ref.startsWith("#/"), ref);
        return doc.at(ref.substring(1));
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asString());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, refs));
        }
    }

    /**
     * The part of JSON Schema (2020-12, as OpenAPI 3.1 uses it) that this description uses: {@code $ref},
     * {@code type} (one or a list), {@code enum}, {@code required}, {@code properties},
     * {@code additionalProperties: false}, {@code items}, {@code minimum} and {@code format: date-time}.
     * Anything else in a schema fails the check, so the description cannot outgrow the validator unseen.
     */
    static final class Schema {

        private static final Set<String> KNOWN = Set.of("$ref", "type", "enum", "required", "properties",
                "additionalProperties", "items", "minimum", "format", "description");
        private static final Pattern DATE_TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d)");

        interface Resolver {
            JsonNode resolve(String ref);
        }

        static List<String> errors(JsonNode schema, JsonNode value, Resolver resolver) {
            List<String> errors = new ArrayList<>();
            check(schema, value, "$", resolver, errors);
            return errors;
        }

        private static void check(JsonNode schema, JsonNode value, String at, Resolver r, List<String> errors) {
            schema.propertyNames().forEach(k -> {
                if (!KNOWN.contains(k)) {
                    errors.add(at + ": the check does not know the keyword " + k);
                }
            });
            if (schema.has("$ref")) {
                check(r.resolve(schema.path("$ref").asString()), value, at, r, errors);
                return;
            }
            if (schema.has("type")) {
                List<String> types = new ArrayList<>();
                if (schema.path("type").isArray()) {
                    schema.path("type").forEach(t -> types.add(t.asString()));
                } else {
                    types.add(schema.path("type").asString());
                }
                if (types.stream().noneMatch(t -> is(t, value))) {
                    errors.add(at + ": " + value + " is not " + types);
                    return;
                }
            }
            if (schema.has("enum")) {
                boolean found = false;
                for (JsonNode e : schema.path("enum")) {
                    found |= e.equals(value);
                }
                if (!found) {
                    errors.add(at + ": " + value + " not in " + schema.path("enum"));
                }
            }
            if (schema.has("minimum") && value.isNumber() && value.asDouble() < schema.path("minimum").asDouble()) {
                errors.add(at + ": " + value + " < " + schema.path("minimum"));
            }
            if ("date-time".equals(schema.path("format").asString()) && value.isString()
                    && !DATE_TIME.matcher(value.asString()).matches()) {
                errors.add(at + ": " + value + " is not a date-time");
            }
            if (value.isObject()) {
                for (JsonNode req : schema.path("required")) {
                    if (!value.has(req.asString())) {
                        errors.add(at + ": missing " + req.asString());
                    }
                }
                JsonNode props = schema.path("properties");
                for (Map.Entry<String, JsonNode> e : value.properties()) {
                    if (props.has(e.getKey())) {
                        check(props.path(e.getKey()), e.getValue(), at + "." + e.getKey(), r, errors);
                    } else if (schema.path("additionalProperties").isBoolean() && !schema.path("additionalProperties").asBoolean()) {
                        errors.add(at + ": unexpected property " + e.getKey());
                    }
                }
            }
            if (value.isArray() && schema.has("items")) {
                int i = 0;
                for (JsonNode item : value) {
                    check(schema.path("items"), item, at + "[" + i++ + "]", r, errors);
                }
            }
        }

        private static boolean is(String type, JsonNode v) {
            return switch (type) {
                case "object" -> v.isObject();
                case "array" -> v.isArray();
                case "string" -> v.isString();
                case "integer" -> v.isIntegralNumber();
                case "number" -> v.isNumber();
                case "boolean" -> v.isBoolean();
                case "null" -> v.isNull();
                default -> false;
            };
        }
    }
}
