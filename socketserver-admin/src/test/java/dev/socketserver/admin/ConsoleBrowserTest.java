package dev.socketserver.admin;

import dev.socketserver.ServerState;
import dev.socketserver.TCPServer;
import dev.socketserver.ThreadingTCPServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.JsonNode;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real headless Chromium against a live gateway with real echo servers. One browser
 * for the class, a new gateway (so a new origin and an empty {@code sessionStorage}) for each test.
 */
class ConsoleBrowserTest {

    /** A 4xx answer is logged by Chromium as "Failed to load resource"; the tests that expect one allow it. */
    private static final String HTTP_ERROR_LOG = "Failed to load resource: the server responded with a status of 4";

    private static Browser browser;
    private Fixture f;

    // Held here: java.util.logging keeps loggers weakly, and a collected logger forgets its level.
    private static final java.util.logging.Logger CDP_LOG =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    @BeforeAll
    static void startBrowser() {
        // Selenium warns that it has no DevTools bindings for this Chromium; the tests use WebDriver only
        CDP_LOG.setLevel(java.util.logging.Level.SEVERE);
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void startGateway() {
        f = new Fixture();
        browser.consoleLog(); // start each test with an empty log
    }

    @AfterEach
    void stopGatewayAndCheckTheConsole() {
        try {
            List<LogEntry> errors = browser.consoleLog().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                    .filter(e -> !e.getMessage().contains(HTTP_ERROR_LOG))
                    .toList();
            assertEquals(List.of(), errors, "script errors or CSP violations in the browser console");
        } finally {
            browser.driver.get("about:blank"); // stop the page's polling before its gateway goes
            f.close();
        }
    }

    @Test
    void listsEveryServerOfTheRunningGatewayAndKeepsTheTokenInSessionStorageOnly() {
        TCPServer idle = f.echoServer();
        TCPServer serving = f.echoServer();
        f.serveForever(serving);

        browser.login(f.gateway.uri(), Fixture.TOKEN);

        for (TCPServer s : List.of(idle, serving)) {
            browser.row(s.id());
            assertEquals(s.name(), browser.cell(s.id(), "name"));
            assertEquals("tcp", browser.cell(s.id(), "family"));
            assertEquals("TCPServer", browser.cell(s.id(), "serverClass"));
            assertEquals("sync", browser.cell(s.id(), "mixIn"));
            assertEquals(s.info().address(), browser.cell(s.id(), "address"));
            assertEquals(Integer.toString(s.fileno()), browser.cell(s.id(), "fileno"));
        }
        browser.awaitCell(idle.id(), "state", "IDLE");
        browser.awaitCell(serving.id(), "state", "SERVING");
        assertEquals(2, browser.driver.findElements(By.cssSelector("#servers-body tr")).size());

        assertEquals(Fixture.TOKEN, browser.script("return sessionStorage.getItem('socketserver-admin.token')"));
        assertEquals(null, browser.script("return localStorage.getItem('socketserver-admin.token')"));
        assertEquals(List.of(), List.copyOf(browser.driver.manage().getCookies()), "no cookie");
        assertTrue(!browser.driver.getCurrentUrl().contains(Fixture.TOKEN), browser.driver.getCurrentUrl());
    }

    @Test
    void countersMoveAfterRealEchoTraffic() {
        TCPServer s = f.echoServer();
        f.serveForever(s); // one echo ("ping") proves the loop serves
        browser.login(f.gateway.uri(), Fixture.TOKEN);
        browser.awaitCell(s.id(), "requestsHandled", "1");

        for (int i = 0; i < 5; i++) {
            Clients.assertEcho(s, "hello " + i);
        }

        browser.awaitCell(s.id(), "requestsHandled", "6");
        browser.awaitCell(s.id(), "received", "6");
        assertEquals("0", browser.cell(s.id(), "errors"));
    }

    @Test
    void theShutdownButtonStopsAServingLoop() throws Exception {
        TCPServer s = f.echoServer();
        Thread loop = f.serveForever(s);
        browser.login(f.gateway.uri(), Fixture.TOKEN);
        browser.awaitCell(s.id(), "state", "SERVING");

        String answer = browser.act(s.id(), "shutdown");

        assertTrue(answer.contains("→ 200"), answer);
        assertTrue(answer.contains("\"wasServing\": true") && answer.contains("\"loopEnded\": true"), answer);
        assertTrue(loop.join(Fixture.JOIN), "serveForever() returned");
        JsonNode server = Api.json(f.api.get("/api/servers/" + s.id()), 200);
        assertEquals("IDLE", server.path("state").asString());
        browser.awaitCell(s.id(), "state", "IDLE");
    }

    @Test
    void theHandleRequestButtonServesOneWaitingClient() throws Exception {
        TCPServer s = f.echoServer();
        browser.login(f.gateway.uri(), Fixture.TOKEN);
        browser.awaitCell(s.id(), "state", "IDLE");
        try (Socket first = Clients.connect(s); Socket second = Clients.connect(s)) {
            first.getOutputStream().write("from the browser test\n".getBytes());

            String answer = browser.act(s.id(), "handle-request");

            assertTrue(answer.contains("→ 200"), answer);
            assertTrue(answer.contains("\"handled\": true") && answer.contains("\"outcome\": \"handled\""), answer);
            assertEquals("from the browser test", Clients.readLine(first));
            assertEquals(1, s.stats().requestsHandled(), "only one request was taken; the second client still waits");
            assertTrue(second.isConnected() && !second.isClosed());
        }
        browser.awaitCell(s.id(), "requestsHandled", "1");
    }

    @Test
    void handleRequestOnAServingLoopShowsThe409Busy() {
        TCPServer s = f.echoServer();
        f.serveForever(s);
        browser.login(f.gateway.uri(), Fixture.TOKEN);
        browser.awaitCell(s.id(), "state", "SERVING");

        String answer = browser.act(s.id(), "handle-request");

        assertTrue(answer.contains("→ 409 busy"), answer);
        assertTrue(answer.contains("serveForever"), answer);
        browser.until("the error style", d -> d.findElement(By.id("result")).getAttribute("class").contains("http-error"));
    }

    @Test
    void theDrainButtonDrainsTheServerAndItsRowGoes() throws Exception {
        TCPServer s = f.echoServer();
        Thread loop = f.serveForever(s);
        browser.login(f.gateway.uri(), Fixture.TOKEN);
        browser.awaitCell(s.id(), "state", "SERVING");

        String answer = browser.act(s.id(), "drain");

        assertTrue(answer.contains("→ 200") && answer.contains("\"forced\": 0"), answer);
        assertEquals(ServerState.CLOSED, s.state());
        assertTrue(loop.join(Fixture.JOIN), "the drain ended serveForever()");
        browser.until("the drained server's row to go", d -> d.findElements(Browser.rowOf(s.id())).isEmpty());
    }

    @Test
    void theCloseButtonClosesTheServerAndItsRowGoes() {
        TCPServer s = f.echoServer();
        TCPServer other = f.echoServer();
        browser.login(f.gateway.uri(), Fixture.TOKEN);
        browser.row(other.id());

        String answer = browser.act(s.id(), "close");

        assertTrue(answer.contains("→ 200") && answer.contains("\"state\": \"CLOSED\""), answer);
        assertEquals(ServerState.CLOSED, s.state());
        browser.until("the closed server's row to go", d -> d.findElements(Browser.rowOf(s.id())).isEmpty());
        browser.row(other.id());
    }

    @Test
    void cancellingTheConfirmationDoesNothing() {
        TCPServer s = f.echoServer();
        browser.login(f.gateway.uri(), Fixture.TOKEN);
        browser.row(s.id()).findElement(By.cssSelector("button[data-action='close']")).click();
        browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-cancel"))).click();
        browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm")));

        assertEquals("none yet", browser.driver.findElement(By.id("result")).getText());
        assertEquals(ServerState.IDLE, s.state());
    }

    @Test
    void aWrongTokenShowsAClearErrorAndIsForgotten() {
        f.echoServer();
        browser.login(f.gateway.uri(), "not-the-token-0123456789");

        String error = browser.until("the auth error", d -> {
            var el = d.findElement(By.id("auth-error"));
            return el.isDisplayed() ? el.getText() : null;
        });
        assertTrue(error.contains("refused this token") && error.contains("401"), error);
        assertTrue(!browser.driver.findElement(By.id("console")).isDisplayed(), "no server table without a token");
        assertEquals(null, browser.script("return sessionStorage.getItem('socketserver-admin.token')"));

        // the right one then works
        browser.driver.findElement(By.id("token-input")).sendKeys(Fixture.TOKEN);
        browser.driver.findElement(By.id("token-submit")).click();
        browser.until("the table", d -> d.findElement(By.id("console")).isDisplayed());
    }

    @Test
    void theBrowserConsoleHasNoErrorsOrWarningsInANormalSession() {
        TCPServer s = f.echoServer();
        f.serveForever(s);
        browser.login(f.gateway.uri(), Fixture.TOKEN);
        browser.awaitCell(s.id(), "state", "SERVING");
        Clients.assertEcho(s, "one more");
        browser.awaitCell(s.id(), "requestsHandled", "2");
        browser.act(s.id(), "shutdown");
        browser.awaitCell(s.id(), "state", "IDLE");

        List<LogEntry> entries = browser.consoleLog().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                .toList();
        assertEquals(List.of(), entries, "the browser console");
    }

    @Test
    void writesAScreenshotOfTheConsoleForTheDocs() throws Exception {
        f.echoServer("orders");
        TCPServer billing = f.echoServer("billing");
        ThreadingTCPServer chat = new ThreadingTCPServer(new InetSocketAddress("127.0.0.1", 0), Fixture.Echo::new, false);
        chat.setName("chat");
        f.activate(chat);
        f.serveForever(chat);
        f.serveForever(billing);
        browser.login(f.gateway.uri(), Fixture.TOKEN);
        AtomicBoolean traffic = new AtomicBoolean(true);
        f.start("traffic", () -> {
            int i = 0;
            while (traffic.get()) {
                Clients.assertEcho(chat, "hi");
                if (i++ % 3 == 0) {
                    Clients.assertEcho(billing, "hi");
                }
                LockSupport.parkNanos(10_000_000); // pacing of the load, not a synchronisation
            }
        });
        byte[] png;
        try {
            browser.row(chat.id());
            // the row may be redrawn between two polls: read the canvas in one script, and 0 when absent
            browser.until("twelve chart samples", d -> ((Number) browser.script(
                    "const c = document.querySelector(\"tr[data-server-id='" + chat.id() + "'] canvas\");"
                            + " return c ? Number(c.dataset.points || 0) : 0;")).intValue() >= 12);
            String answer = browser.act(chat.id(), "handle-request");
            assertTrue(answer.contains("→ 409 busy"), answer);
            png = browser.driver.getScreenshotAs(OutputType.BYTES);
        } finally {
            traffic.set(false);
        }
        assertTrue(png.length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG");
        Path module = Path.of(System.getProperty("basedir", "."));
        Files.createDirectories(module.resolve("target"));
        Files.write(module.resolve("target/admin-console.png"), png);
        Path docs = module.resolve("../docs").normalize();
        if (Files.isDirectory(docs)) {
            Files.write(docs.resolve("admin-console.png"), png); // shown by docs/admin.md
        }
    }
}
