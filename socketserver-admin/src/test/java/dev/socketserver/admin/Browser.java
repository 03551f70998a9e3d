package dev.socketserver.admin;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's headless Chromium driven by Selenium through Debian's chromedriver, both at fixed paths
 * (overridable with {@code -Dchromium.binary} and {@code -Dchromedriver.binary}), so Selenium Manager never
 * runs and nothing is downloaded. Where they are missing the browser tests are skipped with a message,
 * except under CI ({@code CI=true}), where that is a failure.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));
    /** The bound of every explicit wait. */
    static final Duration WAIT = Duration.ofSeconds(20);

    final ChromeDriver driver;
    final WebDriverWait wait;
    private final ChromeDriverService service;
    private final Path profile;

    private Browser(ChromeDriverService service, ChromeDriver driver, Path profile) {
        this.service = service;
        this.driver = driver;
        this.profile = profile;
        this.wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(50));
    }

    /** Skips (locally) or fails (under CI) when Chromium or chromedriver is not installed. */
    static void requireInstalled() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String message = "browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                + "): apt-get install chromium chromium-driver (.ci/run does)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true and " + message);
        }
        Assumptions.abort("skipped: " + message);
    }

    /** Starts a headless Chromium with a fresh profile. */
    static Browser start() {
        requireInstalled();
        Path profile;
        try {
            profile = Files.createTempDirectory("admin-console-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1680,600", "--user-data-dir=" + profile);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(OutputStream.nullOutputStream())
                .build();
        try {
            return new Browser(service, new ChromeDriver(service, options), profile);
        } catch (RuntimeException e) {
            service.stop();
            delete(profile);
            throw e;
        }
    }

    /** Opens the console and pastes a token into its form. */
    void login(URI gateway, String token) {
        driver.get(gateway.toString());
        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
        input.sendKeys(token);
        driver.findElement(By.id("token-submit")).click();
    }

    WebElement row(String serverId) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(rowOf(serverId)));
    }

    static By rowOf(String serverId) {
        return By.cssSelector("tr[data-server-id='" + serverId + "']");
    }

    /** The text of one cell of a server's row, e.g. {@code requestsHandled}. */
    String cell(String serverId, String field) {
        return row(serverId).findElement(By.cssSelector("td[data-field='" + field + "']")).getText();
    }

    /** Waits until a cell shows a value. */
    void awaitCell(String serverId, String field, String expected) {
        wait.withMessage(() -> field + " of " + serverId + " to show " + expected)
                .until(d -> {
                    try {
                        return expected.equals(cell(serverId, field));
                    } catch (org.openqa.selenium.StaleElementReferenceException e) {
                        return false; // the table was redrawn between finding the row and reading it
                    }
                });
    }

    /** Clicks an action button of a server, confirms it, and returns the result panel once it shows the answer. */
    String act(String serverId, String action) {
        WebElement button = row(serverId).findElement(By.cssSelector("button[data-action='" + action + "']"));
        button.click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-ok"))).click();
        String prefix = "POST /api/servers/" + serverId + "/" + action + " →";
        return wait.withMessage(() -> "the answer of " + action + " on " + serverId)
                .until(d -> {
                    String text = d.findElement(By.id("result")).getText();
                    return text.startsWith(prefix) ? text : null;
                });
    }

    Object script(String js) {
        return ((JavascriptExecutor) driver).executeScript(js);
    }

    <T> T until(String what, Function<WebDriver, T> condition) {
        return wait.withMessage(what).until(condition);
    }

    /** The browser console's entries since the last call. */
    List<LogEntry> consoleLog() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            delete(profile);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary profile is harmless
        }
    }
}
