package io.gitcollector.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.spi.Secret;
import io.gitcollector.server.http.JwtAuthenticator;
import io.gitcollector.server.service.CollectionService;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in a real headless Chromium (Debian's {@code chromium} and {@code chromedriver}, which
 * {@code .ci/run} installs where they are missing), against a server collecting from the GitHub simulator: the
 * sign-in refuses a wrong token with a clear message, the tables fill, a running collection's progress moves, the
 * buttons trigger and unsubscribe, failures and budgets show, a token without the trigger scope is told so, and the
 * page fits a phone's width. It leaves the screenshot the README shows under {@code docs/}.
 */
class StatusPageIT {
  private static final String GITHUB_TOKEN = "ghp_statusPageTestToken";
  private static final Secret JWT_SECRET = Secret.of("a-status-page-secret-of-at-least-32-bytes");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String SMALL = "github:github.com/acme/small";
  private static final String BIG = "github:github.com/acme/big";

  @TempDir static Path data;
  @TempDir static Path browserProfile;
  private static GitHubSimulator simulator;
  private static InProcessServer server;
  private static CollectionService service;
  private static WebDriver browser;
  private static String base;

  @BeforeAll
  static void start() {
    // no silent skip: a machine without the browser fails here, saying what to install
    assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "the status page test needs"
        + " Debian's chromium and chromium-driver packages (apt-get install -y chromium chromium-driver; .ci/run"
        + " installs them)");
    Instant lately = Instant.now().minus(Duration.ofDays(20));
    simulator = GitHubSimulator.builder().token(GITHUB_TOKEN).start();
    simulator.addRepository("acme/small", RepositorySpec.of(40, 6, 1).startingAt(lately));
    simulator.addRepository("acme/big", RepositorySpec.of(12_000, 30, 1).startingAt(lately));
    Map<String, String> environment = new HashMap<>(Map.of("GITHUB_TOKEN", GITHUB_TOKEN, "GITHUB_API_URL",
        simulator.apiBaseUrl(), "COLLECTOR_DATA_DIR", data.toString(), "JWT_SECRET_KEY", JWT_SECRET.reveal(),
        "SCHEDULER_TICK", "1"));
    server = InProcessServer.start(environment);
    service = server.service();
    base = server.base();

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // as root in a closed network: no sandbox, and none of the browser's own background connections
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + browserProfile, "--window-size=1280,1000");
    ChromeDriverService driverService = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(driverService, options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (simulator != null) {
      simulator.close();
    }
  }

  private static String token(String... scopes) {
    return JwtAuthenticator.mint(JWT_SECRET, "status-page-test", Set.of(scopes), Duration.ofMinutes(10));
  }

  @Test
  void anOperatorSignsInWatchesCollectionsAndActsOnThem() throws Exception {
    service.subscribe("https://github.com/acme/small", Optional.of(Duration.ofHours(1)), Optional.empty());
    browser.get(base + "/");
    assertTrue(find("sign-in").isDisplayed(), "the page asks for a token first");

    // a wrong token: a clear message, and the token is asked for again
    signIn("not-a-token");
    await(() -> find("message").getText().contains("The token was refused"), "the refusal message");
    assertTrue(find("sign-in").isDisplayed());
    assertTrue(!find("board").isDisplayed(), "nothing is shown without a valid token");

    // a valid token: the tables fill, the subscribed repository collected with its activity charted
    signIn(token(JwtAuthenticator.READ, JwtAuthenticator.TRIGGER));
    await(() -> find("board").isDisplayed(), "the board");
    await(() -> cell(SMALL, 2).equals("completed"), "the subscribed repository collected");
    WebElement small = row("repositories", SMALL);
    assertTrue(small.getText().contains("every PT1H"), small.getText());
    assertTrue(small.getText().contains("commits 40"), "the last counts: " + small.getText());
    await(() -> !row("repositories", SMALL).findElements(By.cssSelector("svg.chart rect")).isEmpty(),
        "the activity chart");
    String legend = row("repositories", SMALL).findElement(By.cssSelector(".legend")).getText();
    assertTrue(legend.contains("commits 40") && legend.contains("PRs opened 6"), "activity over the last days: "
        + legend);
    await(() -> !find("budgets").findElements(By.cssSelector("tbody tr")).isEmpty(), "a rate-limit budget");
    assertTrue(find("budgets").getText().contains("graphql") || find("budgets").getText().contains("core"),
        find("budgets").getText());

    // the trigger form starts a collection; its progress moves while it runs
    // slow enough that the page, refreshing every 2 s, sees the collection run for a while
    simulator.setLatency(Duration.ofSeconds(1));
    find("trigger-url").sendKeys("https://github.com/acme/big");
    find("trigger-form").findElement(By.cssSelector("button[type=submit]")).click();
    await(() -> find("message").getText().contains("queued"), "the trigger's confirmation");
    long[] first = new long[1];
    await(() -> {
      first[0] = runningEntities(BIG);
      return first[0] > 0;
    }, "the running collection's first pages");
    await(() -> runningEntities(BIG) > first[0], "the progress moving past " + first[0]);
    // GitHub tells how long the history is: the running row has a percentage and an ETA
    await(() -> find("running").getText().matches("(?s).*\\d+ % · ETA .*"), "a percentage and an ETA");
    screenshot(Path.of("..", "docs", "status-page.png"));
    simulator.setLatency(Duration.ZERO);
    await(() -> cell(BIG, 2).equals("completed"), "the triggered collection completing");
    await(() -> find("running-empty").isDisplayed(), "nothing running any more");
    assertTrue(row("repositories", BIG).getText().contains("commits 12000"), row("repositories", BIG).getText());

    // a failure shows with its reason
    find("trigger-url").clear();
    find("trigger-url").sendKeys("https://github.com/acme/missing");
    find("trigger-form").findElement(By.cssSelector("button[type=submit]")).click();
    await(() -> find("failures").getText().contains("github:github.com/acme/missing"), "the failure listed");

    // the unsubscribe button
    row("repositories", SMALL).findElement(By.cssSelector("button[data-action=unsubscribe]")).click();
    await(() -> cell(SMALL, 4).equals("not subscribed"), "the subscription gone");
    assertTrue(service.subscription(SMALL).isEmpty());

    // readable on a phone: nothing wider than the screen but the tables, which scroll on their own
    browser.manage().window().setSize(new Dimension(390, 844));
    await(() -> ((Number) script("return document.documentElement.scrollWidth;")).longValue()
        <= ((Number) script("return window.innerWidth;")).longValue(), "the page fitting a phone's width");
    browser.manage().window().setSize(new Dimension(1280, 1000));

    // a token that may only read: the page says what it may not do
    find("sign-out").click();
    await(() -> find("sign-in").isDisplayed(), "signed out");
    signIn(token(JwtAuthenticator.READ));
    await(() -> find("board").isDisplayed() && !rows("repositories").isEmpty(), "the board for a reader");
    row("repositories", BIG).findElement(By.cssSelector("button[data-action=collect]")).click();
    await(() -> find("message").getText().contains("may not start a collection"), "the missing scope explained");
    assertEquals(List.of(), script("return Object.keys(localStorage);"), "the token is kept in the session only");
  }

  private static void signIn(String token) {
    WebElement field = find("token");
    field.clear();
    field.sendKeys(token);
    find("token-form").findElement(By.cssSelector("button[type=submit]")).click();
  }

  private static WebElement find(String id) {
    return browser.findElement(By.id(id));
  }

  private static List<WebElement> rows(String table) {
    return find(table).findElements(By.cssSelector("tbody tr"));
  }

  private static WebElement row(String table, String repositoryId) {
    return find(table).findElement(By.cssSelector("tbody tr[data-repository='" + repositoryId + "']"));
  }

  /** The text of a repository row's cell, 1-based; empty while the row is not there. */
  private static String cell(String repositoryId, int column) {
    List<WebElement> found = find("repositories").findElements(By.cssSelector("tbody tr[data-repository='"
        + repositoryId + "'] td:nth-child(" + column + ")"));
    return found.isEmpty() ? "" : found.get(0).getText();
  }

  private static long runningEntities(String repositoryId) {
    List<WebElement> found = find("running").findElements(By.cssSelector("tbody tr[data-repository='"
        + repositoryId + "'] td.entities"));
    return found.isEmpty() ? -1 : Long.parseLong(found.get(0).getText());
  }

  private static Object script(String code) {
    return ((JavascriptExecutor) browser).executeScript(code);
  }

  private static void await(java.util.function.BooleanSupplier condition, String what) {
    new WebDriverWait(browser, Duration.ofSeconds(60)).withMessage(what).ignoring(
        org.openqa.selenium.StaleElementReferenceException.class).until(driver -> condition.getAsBoolean());
  }

  private static void screenshot(Path target) throws java.io.IOException {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.createDirectories(target.getParent());
    Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
