package io.automatix.oidc;

import java.io.File;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.testing.RunningRouter;
import io.automatix.testing.TestIssuer;
import io.automatix.testing.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-in with OIDC on a real router against a real OpenID provider over HTTP ({@link TestIssuer}:
 * Keycloak itself needs 100-200 s to start here). Bearer tokens at the API, key rotation, the
 * group-to-role mapping, and the authorization-code flow with PKCE in headless Chromium.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OidcIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private static TestIssuer issuer;
    private static RunningRouter router;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        issuer = new TestIssuer(Map.of(
                "alice", new TestIssuer.User(List.of("/lab-a"), List.of("offline_access")),
                "bob", new TestIssuer.User(List.of("/automatix-admins"), List.of()),
                "dave", new TestIssuer.User(List.of(), List.of("automatix-operators")),
                "erin", new TestIssuer.User(List.of("/lab-a", "/automatix-admins"), List.of()),
                "carol", new TestIssuer.User(List.of("/lab-z"), List.of("default-roles-automatix"))));
        int port = TestServices.freePort();
        base = "http://127.0.0.1:" + port;
        issuer.registerRedirectUri(base + "/auth/callback");
        router = RunningRouter.builder()
                .property("camel.server.port", String.valueOf(port))
                .property("camel.management.port", String.valueOf(port))
                .property("automatix.oidc.issuer", issuer.issuer())
                .property("automatix.oidc.audience", "automatix")
                .property("automatix.oidc.client-id", TestIssuer.CLIENT_ID)
                .property("automatix.oidc.client-secret", TestIssuer.CLIENT_SECRET)
                .property("automatix.oidc.redirect-uri", base + "/auth/callback")
                .property(
                        "automatix.oidc.role-map",
                        "automatix-admins:admin, lab-a:scientist, automatix-operators:operator")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (router != null) {
            router.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    @Order(1)
    void aValidBearerTokenIsAdmittedAndTheRoutersOwnTokensStillAre() throws Exception {
        assertThat(api("Bearer " + issuer.token("alice").sign()).statusCode()).isEqualTo(200);
        assertThat(api("Bearer " + TestServices.API_TOKEN).statusCode()).isEqualTo(200);
        assertThat(api("Bearer not-a-token").statusCode()).isEqualTo(401);
        assertThat(issuer.jwksFetches()).isEqualTo(1);
        // the JWKS is cached: a second token needs no fetch
        assertThat(api("Bearer " + issuer.token("bob").sign()).statusCode()).isEqualTo(200);
        assertThat(issuer.jwksFetches()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void wrongTokensAreRefusedWithWhatToDoAndWithoutTheToken() throws Exception {
        String expired = issuer.token("alice").expired(Duration.ofMinutes(2)).sign();
        assertRefused(expired, "expired", "sign in again");
        String audience = issuer.token("alice").audience("account").sign();
        assertRefused(audience, "audience", "account");
        String foreign =
                issuer.token("alice").issuer("http://127.0.0.1:1/realms/other").sign();
        assertRefused(foreign, "issued by", "realms/other");
        String good = issuer.token("alice").sign();
        String[] parts = good.split("\\.");
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        signature[10] ^= 0x01;
        String tampered = parts[0] + "." + parts[1] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        assertRefused(tampered, "signature is not valid");
        // the claims changed (a role claimed) under the old signature
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("/lab-a", "/automatix-admins");
        String forged = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "."
                + parts[2];
        assertRefused(forged, "signature is not valid");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes()) + "."
                + parts[1] + ".";
        assertRefused(none, "not signed");
        String hs256 =
                Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes())
                        + "." + parts[1] + "." + parts[2];
        assertRefused(hs256, "HS256", "RS256 and ES256");
        String idToken = signInWithoutBrowser("alice").idToken();
        assertRefused(idToken, "ID token");
    }

    @Test
    @Order(3)
    void aRotatedKeyIsFetchedAndAnUnknownOneRefused() throws Exception {
        int before = issuer.jwksFetches();
        String newKid = issuer.rotate();
        String rotated = issuer.token("alice").sign();
        assertThat(SignedJwtHeader.kid(rotated)).isEqualTo(newKid);
        assertThat(api("Bearer " + rotated).statusCode()).isEqualTo(200);
        assertThat(issuer.jwksFetches()).isEqualTo(before + 1);
        // tokens of the old key stay valid until they expire: the JWKS still lists it
        assertRefused(issuer.token("alice").unknownKey().sign(), "key id", "does not publish");
        // made-up key ids do not make the router hammer the issuer
        for (int i = 0; i < 5; i++) {
            assertRefused(issuer.token("alice").unknownKey().sign(), "key id");
        }
        assertThat(issuer.jwksFetches()).isLessThanOrEqualTo(before + 2);
    }

    @Test
    @Order(4)
    void groupsAndRealmRolesMapToTheHighestRoleAndNoMappingIsRefused() throws Exception {
        assertThat(session(signInWithoutBrowser("alice").cookie()))
                .containsEntry("user", "alice")
                .containsEntry("role", "scientist")
                .containsEntry("groups", "[\"lab-a\"]");
        assertThat(session(signInWithoutBrowser("bob").cookie())).containsEntry("role", "admin");
        assertThat(session(signInWithoutBrowser("dave").cookie())).containsEntry("role", "operator");
        assertThat(session(signInWithoutBrowser("erin").cookie())).containsEntry("role", "admin");
        HttpResponse<String> carol = api("Bearer " + issuer.token("carol").sign());
        assertThat(carol.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(carol.body()).get("error").asText())
                .contains("carol", "groups", "lab-z", "default-roles-automatix", "automatix.oidc.role-map");
    }

    @Test
    @Order(5)
    void theSessionCookieAdmitsApiRequestsAndPostsNeedTheCsrfValue() throws Exception {
        SignIn alice = signInWithoutBrowser("alice");
        assertThat(alice.setCookie())
                .startsWith(OidcAdmission.COOKIE + "=")
                .contains("HttpOnly", "SameSite=Lax", "Path=/")
                .doesNotContain("Secure");
        HttpResponse<String> status = send(HttpRequest.newBuilder(URI.create(base + "/api/status"))
                .header("Cookie", alice.cookie())
                .GET());
        assertThat(status.statusCode()).isEqualTo(200);
        String csrf = JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/auth/session"))
                                .header("Cookie", alice.cookie())
                                .GET())
                        .body())
                .get("csrf")
                .asText();
        HttpResponse<String> noCsrf = post(alice.cookie(), null);
        assertThat(noCsrf.statusCode()).isEqualTo(401);
        assertThat(noCsrf.body()).contains(OidcAdmission.CSRF_HEADER);
        assertThat(post(alice.cookie(), "wrong").statusCode()).isEqualTo(401);
        // admitted: the empty offer itself is what is refused
        assertThat(post(alice.cookie(), csrf).statusCode()).isEqualTo(400);

        HttpResponse<String> out = send(HttpRequest.newBuilder(URI.create(base + "/auth/logout"))
                .header("Cookie", alice.cookie())
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(out.statusCode()).isEqualTo(302);
        assertThat(out.headers().firstValue("Set-Cookie"))
                .hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));
        HttpResponse<String> ended = send(HttpRequest.newBuilder(URI.create(base + "/api/status"))
                .header("Cookie", alice.cookie())
                .GET());
        assertThat(ended.statusCode()).isEqualTo(401);
        assertThat(ended.body()).contains("sign in again");
    }

    @Test
    @Order(6)
    void aCallbackNotStartedInThisBrowserOrReplayedIsRefused() throws Exception {
        HttpResponse<String> login =
                send(HttpRequest.newBuilder(URI.create(base + "/auth/login")).GET());
        Map<String, String> q = query(login.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> forged =
                send(HttpRequest.newBuilder(URI.create(base + "/auth/callback?code=x&state=" + q.get("state")))
                        .GET());
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.body()).contains("not started in this browser");
        assertThat(forged.body()).doesNotContain(TestIssuer.CLIENT_SECRET);
    }

    @Test
    @Order(7)
    void aPersonSignsInOnTheStatusPageInChromium() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new AssertionError(
                    CHROMIUM + " and " + CHROMEDRIVER + " are needed for the browser test: run scripts/provision");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        WebDriver driver = new ChromeDriver(service, options);
        try {
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
            driver.get(base + "/status");
            wait.until(d -> d.findElement(By.id("signin")).isDisplayed());
            driver.findElement(By.id("signin")).click();
            wait.until(d -> d.getCurrentUrl().startsWith(issuer.issuer()));
            assertThat(driver.getCurrentUrl()).contains("code_challenge_method=S256", "code_challenge=", "nonce=");
            driver.findElement(By.id("username")).sendKeys("alice");
            driver.findElement(By.id("password")).sendKeys(TestIssuer.PASSWORD);
            driver.findElement(By.id("kc-login")).click();
            wait.until(d -> d.getCurrentUrl().equals(base + "/status"));
            wait.until(d -> d.findElement(By.id("user")).getText().equals("alice (scientist)"));
            wait.until(d -> d.findElement(By.id("runs")).getText().contains("runs in the database"));
            assertThat(driver.findElement(By.id("login")).isDisplayed()).isFalse();
            assertThat(driver.findElement(By.id("signout")).isDisplayed()).isTrue();
            // the cookie is out of the page's reach
            assertThat(((org.openqa.selenium.JavascriptExecutor) driver).executeScript("return document.cookie"))
                    .isEqualTo("");

            driver.findElement(By.cssSelector("#signout button")).click();
            wait.until(d -> d.findElement(By.id("signin")).isDisplayed()
                    && !d.findElement(By.id("signout")).isDisplayed());
            assertThat(driver.findElement(By.id("login")).isDisplayed()).isTrue();
        } finally {
            driver.quit();
        }
    }

    /** The result of a sign-in: the session cookie (name=value), its Set-Cookie line and the issuer's ID token. */
    private record SignIn(String cookie, String setCookie, String idToken) {}

    /** The authorization-code flow as a browser would follow it, with the issuer's form posted. */
    private static SignIn signInWithoutBrowser(String user) throws Exception {
        HttpResponse<String> login =
                send(HttpRequest.newBuilder(URI.create(base + "/auth/login")).GET());
        assertThat(login.statusCode()).isEqualTo(302);
        String loginCookie =
                login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String authorize = login.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> page =
                send(HttpRequest.newBuilder(URI.create(authorize)).GET());
        Matcher id = Pattern.compile("name=\"login\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(id.find()).as(page.body()).isTrue();
        HttpResponse<String> signedIn =
                send(HttpRequest.newBuilder(URI.create(issuer.issuer() + "/protocol/openid-connect/auth"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "login=" + id.group(1) + "&username=" + user + "&password=" + TestIssuer.PASSWORD)));
        assertThat(signedIn.statusCode()).isEqualTo(302);
        String callback = signedIn.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> back = send(HttpRequest.newBuilder(URI.create(callback))
                .header("Cookie", loginCookie)
                .GET());
        assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        assertThat(back.headers().firstValue("Location")).hasValue("/status");
        String setCookie = back.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(OidcAdmission.COOKIE + "="))
                .findFirst()
                .orElseThrow();
        // the code is used up
        assertThat(send(HttpRequest.newBuilder(URI.create(callback))
                                .header("Cookie", loginCookie)
                                .GET())
                        .statusCode())
                .isEqualTo(401);
        return new SignIn(setCookie.split(";")[0], setCookie, lastIdToken(user));
    }

    /** An ID token as the issuer hands them out (for the "ID token as bearer" case). */
    private static String lastIdToken(String user) throws Exception {
        return issuer.idToken(user);
    }

    private static Map<String, String> session(String cookie) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/auth/session"))
                .header("Cookie", cookie)
                .GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        return Map.of(
                "user", body.get("user").asText(),
                "role", body.get("role").asText(),
                "groups", body.get("groups").toString());
    }

    private static void assertRefused(String token, String... reason) throws Exception {
        HttpResponse<String> response = api("Bearer " + token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        String error = JSON.readTree(response.body()).get("error").asText();
        assertThat(error).contains(reason);
        assertThat(response.body()).doesNotContain(token.split("\\.")[1]);
    }

    private static HttpResponse<String> api(String authorization) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + "/api/status"))
                .header("Authorization", authorization)
                .GET());
    }

    private static HttpResponse<String> post(String cookie, String csrf) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                .header("Cookie", cookie)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (csrf != null) {
            request.header(OidcAdmission.CSRF_HEADER, csrf);
        }
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> query(String url) {
        Map<String, String> q = new java.util.HashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            q.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return q;
    }

    /** The kid of a JWT's header. */
    private static final class SignedJwtHeader {
        static String kid(String jwt) throws Exception {
            return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]))
                    .get("kid")
                    .asText();
        }
    }
}
