package io.automatix.hawtio;

import java.io.File;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.automatix.testing.RunningRouter;
import io.automatix.testing.TestHome;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code automatix hawtio}: the Hawtio 4 console in its own process (built into target/hawtio/),
 * logged into in Debian's headless Chromium, shows the routes of a real router through Hawtio's proxy
 * to the router's read-only Jolokia; a wrong password is refused.
 */
class HawtioIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Path.of("target", "hawtio-camel.png");
    private static final List<String> ROUTES =
            List.of("process-sweep", "transfer-sweep", "workflow-drive", "supervise-detect", "ingest-amqp");
    private static final String USER = "operator";
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void consoleLogsInAndShowsTheRoutersCamelRoutes() throws Exception {
        requireBrowser();
        String password = "pw-" + UUID.randomUUID();
        Path log = Path.of("target", "hawtio-console.log");
        Files.createDirectories(log.getParent());
        int consolePort = TestServices.freePort();
        Process console = null;
        WebDriver browser = null;
        try (RunningRouter router =
                RunningRouter.builder().home(TestHome.copyOfProject().path()).start()) {
            int routerPort = URI.create(router.url("/")).getPort();
            console = HawtioConsole.launch(
                    HawtioConsole.home(),
                    consolePort,
                    URI.create(router.url(HawtioConsole.JOLOKIA_PATH)),
                    USER,
                    password,
                    ProcessBuilder.Redirect.to(log.toFile()));
            String base = "http://127.0.0.1:" + consolePort;
            awaitUp(console, base + "/", log); // the bootstrap page; Jetty opens its port once all is started

            // the server side: wrong password refused, no proxy without a login, proxy to the router with one
            assertThat(login(base, USER, "wrong-" + password)).isEqualTo(403);
            assertThat(login(base, "nobody", password)).isEqualTo(403);
            String proxy = base + "/hawtio/proxy/http/127.0.0.1/" + routerPort + HawtioConsole.JOLOKIA_PATH + "/";
            assertThat(send(http, proxy, "{\"type\":\"version\"}").statusCode()).isIn(401, 403);
            HttpClient session =
                    HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            assertThat(send(session, base + "/hawtio/auth/login", credentials(USER, password))
                            .statusCode())
                    .isEqualTo(200);
            HttpResponse<String> read = send(
                    session,
                    proxy,
                    "{\"type\":\"read\",\"mbean\":"
                            + "\"org.apache.camel:context=automatix,type=routes,name=\\\"process-sweep\\\"\",\"attribute\":\"State\"}");
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).contains("\"value\":\"Started\"");
            // the console's own Jolokia (its JVM) is read-only too
            HttpResponse<String> gc = send(
                    session,
                    base + "/hawtio/jolokia/",
                    "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}");
            assertThat(gc.body()).contains("\"status\":403");

            browser = chromium();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            browser.get(base + "/");
            // the bootstrap page stores the connection and opens Hawtio, which asks for the login
            wait.until(d -> d.getCurrentUrl().contains("/hawtio/login"));
            logIn(browser, wait, USER, "wrong-" + password);
            wait.until(text("Invalid login credentials"));
            assertThat(browser.getCurrentUrl()).contains("/hawtio/login");

            browser.navigate().refresh();
            logIn(browser, wait, USER, password);
            WebElement camel = wait.until(d -> d.findElements(By.cssSelector("nav a, nav button")).stream()
                    .filter(e -> e.isDisplayed() && e.getText().trim().equals("Camel"))
                    .findFirst()
                    .orElse(null));
            // connected to the router, not to the console's own JVM: the Camel tab exists only there
            assertThat(browser.getCurrentUrl()).doesNotContain("/login");
            assertThat(body(browser)).contains("Automatix router"); // the connection, in the masthead
            camel.click();
            wait.until(text("automatix"));
            expandRoutes(browser, wait);
            for (String route : ROUTES) {
                wait.until(text(route));
            }
            screenshot(browser);
            assertThat(body(browser)).contains(ROUTES);
        } catch (AssertionError | TimeoutException e) {
            if (browser != null) {
                screenshot(browser);
                throw new AssertionError(
                        e.getMessage() + "\n--- page " + browser.getCurrentUrl() + ":\n" + body(browser)
                                + "\n--- console log:\n" + tail(log),
                        e);
            }
            throw e;
        } finally {
            if (browser != null) {
                browser.quit();
            }
            if (console != null) {
                console.destroy();
                if (!console.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    console.destroyForcibly();
                }
            }
        }
    }

    @Test
    void launchSaysInOneLineWhatIsMissing() {
        Path empty = Path.of("target", "no-such-hawtio");
        try {
            HawtioConsole.launch(
                    empty,
                    TestServices.freePort(),
                    URI.create("http://127.0.0.1:1/observe/jolokia"),
                    USER,
                    "x",
                    ProcessBuilder.Redirect.DISCARD);
            throw new AssertionError("launch started without the console's files");
        } catch (IllegalStateException | IOException e) {
            assertThat(e).isInstanceOf(IllegalStateException.class);
            assertThat(e.getMessage())
                    .startsWith("automatix hawtio: ")
                    .contains("mvn package")
                    .doesNotContain("\n");
        }
    }

    /** Opens the Routes folder of the context in Hawtio's Camel tree if the routes are not shown yet. */
    private static void expandRoutes(WebDriver browser, WebDriverWait wait) {
        if (body(browser).contains(ROUTES.get(0))) {
            return;
        }
        WebElement routes =
                wait.until(d -> d
                        .findElements(
                                By.xpath("//*[normalize-space(text())='Routes' or normalize-space(text())='routes']"))
                        .stream()
                        .filter(WebElement::isDisplayed)
                        .findFirst()
                        .orElse(null));
        routes.click();
        try {
            new WebDriverWait(browser, Duration.ofSeconds(10)).until(text(ROUTES.get(0)));
        } catch (TimeoutException e) {
            // a tree node opens with its toggle button
            WebElement node = routes.findElement(By.xpath("./ancestor::*[contains(@class,'tree-view__node')][1]"));
            node.findElement(By.cssSelector("button")).click();
        }
    }

    private static void logIn(WebDriver browser, WebDriverWait wait, String user, String password) {
        WebElement name = wait.until(d -> d.findElements(By.id("pf-login-username-id")).stream()
                .filter(WebElement::isDisplayed)
                .findFirst()
                .orElse(null));
        WebElement secret = browser.findElement(By.id("pf-login-password-id"));
        name.clear();
        name.sendKeys(user);
        secret.clear();
        secret.sendKeys(password);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
    }

    private static ExpectedCondition<Boolean> text(String text) {
        return d -> body(d).contains(text);
    }

    private static String body(WebDriver browser) {
        Object text =
                ((JavascriptExecutor) browser).executeScript("return document.body ? document.body.innerText : ''");
        return text == null ? "" : text.toString();
    }

    private static void screenshot(WebDriver browser) {
        try {
            File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.createDirectories(SCREENSHOT.getParent());
            Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            System.err.println("no screenshot: " + e);
        }
    }

    private static void requireBrowser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new AssertionError(CHROMIUM + " or " + CHROMEDRIVER + " is missing; run scripts/provision");
        }
    }

    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private void awaitUp(Process console, String url, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!console.isAlive()) {
                throw new AssertionError("the console exited with " + console.exitValue() + ":\n" + tail(log));
            }
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the console did not answer within 60 s:\n" + tail(log));
    }

    private int login(String base, String user, String password) throws Exception {
        return send(http, base + "/hawtio/auth/login", credentials(user, password))
                .statusCode();
    }

    private static String credentials(String user, String password) {
        return "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
    }

    private static HttpResponse<String> send(HttpClient client, String url, String json) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
