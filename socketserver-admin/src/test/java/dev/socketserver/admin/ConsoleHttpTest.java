package dev.socketserver.admin;

import dev.socketserver.admin.internal.ConsoleRoutes;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's files and the security headers, over plain HTTP (the browser tests are in ConsoleBrowserTest). */
class ConsoleHttpTest {

    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern EVENT_ATTRIBUTE = Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
    private static final Pattern STYLE_ATTRIBUTE = Pattern.compile("\\sstyle\\s*=", Pattern.CASE_INSENSITIVE);

    @Test
    void thePageIsServedWithoutATokenWithCspAndNosniffAndHasNoInlineScript() {
        try (Fixture f = new Fixture(); Api anonymous = new Api(f.gateway.uri(), null)) {
            HttpResponse<String> page = anonymous.get("/");
            assertEquals(200, page.statusCode());
            assertTrue(header(page, "Content-Type").startsWith("text/html"), header(page, "Content-Type"));
            assertSecurityHeaders(page);
            String html = page.body();
            assertTrue(html.contains("<script src=\"/console/console.js\" defer></script>"), html);
            assertFalse(INLINE_SCRIPT.matcher(html).find(), "inline script in the page");
            assertFalse(EVENT_ATTRIBUTE.matcher(html).find(), "inline event handler in the page");
            assertFalse(STYLE_ATTRIBUTE.matcher(html).find(), "inline style in the page (the CSP blocks it)");
            assertFalse(html.contains("javascript:"), "javascript: URL in the page");

            HttpResponse<String> js = anonymous.get("/console/console.js");
            assertEquals(200, js.statusCode());
            assertTrue(header(js, "Content-Type").startsWith("text/javascript"), header(js, "Content-Type"));
            assertSecurityHeaders(js);
            assertTrue(js.body().contains("sessionStorage") && js.body().contains("'Authorization'"), "token handling");
            assertFalse(js.body().contains("localStorage") || js.body().contains("document.cookie"), "token only in sessionStorage");
            assertFalse(js.body().contains("eval(") || js.body().contains("new Function"), "no eval (the CSP forbids it)");

            HttpResponse<String> css = anonymous.get("/console/console.css");
            assertEquals(200, css.statusCode());
            assertTrue(header(css, "Content-Type").startsWith("text/css"), header(css, "Content-Type"));
        }
    }

    @Test
    void apiAnswersAndErrorsCarryTheSecurityHeadersToo() {
        try (Fixture f = new Fixture(); Api anonymous = new Api(f.gateway.uri(), null)) {
            HttpResponse<String> refused = anonymous.get("/api/servers");
            Api.error(refused, 401, "unauthorized");
            assertSecurityHeaders(refused);
            HttpResponse<String> ok = f.api.get("/api/servers");
            assertEquals(200, ok.statusCode());
            assertSecurityHeaders(ok);
            assertSecurityHeaders(f.api.get("/no/such/route"));
        }
    }

    @Test
    void metricsNeedTheTokenByDefault() {
        try (Fixture f = new Fixture(); Api anonymous = new Api(f.gateway.uri(), null)) {
            Api.error(anonymous.get("/metrics"), 401, "unauthorized");
            assertEquals(200, anonymous.get("/health").statusCode());
            assertEquals(200, f.api.get("/metrics").statusCode());
        }
    }

    @Test
    void metricsWithoutTokenOpensMetricsOnlyNotTheApi() {
        try (Fixture f = new Fixture(AdminGateway.builder().token(Fixture.TOKEN).metricsWithoutToken(true));
             Api anonymous = new Api(f.gateway.uri(), null)) {
            f.echoServer();
            HttpResponse<String> metrics = anonymous.get("/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("socketserver_requests_handled_total{"), metrics.body());
            assertEquals(200, anonymous.get("/health").statusCode());
            Api.error(anonymous.get("/api/servers"), 401, "unauthorized");
            Api.error(anonymous.post("/api/servers/tcp-1/close"), 401, "unauthorized");
        }
    }

    private static void assertSecurityHeaders(HttpResponse<String> r) {
        assertEquals(ConsoleRoutes.CONTENT_SECURITY_POLICY, header(r, "Content-Security-Policy"), r.uri().toString());
        assertTrue(!header(r, "Content-Security-Policy").contains("unsafe-inline")
                && !header(r, "Content-Security-Policy").contains("unsafe-eval"));
        assertEquals("nosniff", header(r, "X-Content-Type-Options"), r.uri().toString());
    }

    private static String header(HttpResponse<String> r, String name) {
        return r.headers().firstValue(name).orElse("");
    }
}
