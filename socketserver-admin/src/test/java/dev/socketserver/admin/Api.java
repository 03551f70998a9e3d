package dev.socketserver.admin;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small {@link HttpClient} wrapper for the gateway: bounded timeouts, the token, JSON parsing. */
final class Api implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final JsonMapper JSON = JsonMapper.builder().build();

    final URI base;
    final String token;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    Api(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    HttpResponse<String> post(String path) {
        return post(path, "");
    }

    HttpResponse<String> post(String path, String body) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    CompletableFuture<HttpResponse<String>> postAsync(String path) {
        return client.sendAsync(request(path).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT);
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Asserts the status and a JSON body, and returns the body parsed. */
    static JsonNode json(HttpResponse<String> response, int status) {
        assertEquals(status, response.statusCode(), () -> "status of " + response.request().method() + " "
                + response.request().uri() + ", body: " + response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                () -> "content type " + response.headers().firstValue("Content-Type") + ", body: " + response.body());
        return JSON.readTree(response.body());
    }

    /** Asserts a JSON error with the given status and code, and that no stack trace leaked. */
    static JsonNode error(HttpResponse<String> response, int status, String code) {
        JsonNode body = json(response, status);
        assertEquals(code, body.path("error").asString(), () -> "error code in " + response.body());
        assertTrue(body.path("message").isString() && !body.path("message").asString().isBlank(),
                () -> "message in " + response.body());
        assertEquals(2, body.size(), () -> "only error and message in " + response.body());
        assertTrue(!response.body().contains("\tat ") && !response.body().contains("Exception:"),
                () -> "no stack trace in " + response.body());
        return body;
    }

    @Override
    public void close() {
        client.close();
    }
}
