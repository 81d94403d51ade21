package io.gitcollector.server;

import io.gitcollector.core.spi.WebhookSignatures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.gitcollector.core.engine.EnvironmentSettings;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.testkit.bitbucket.BitbucketSimulator;
import io.gitcollector.server.config.ServerConfig;
import io.gitcollector.server.http.ApiServer;
import io.gitcollector.server.http.JwtAuthenticator;
import io.gitcollector.server.service.CollectionService;
import io.gitcollector.testkit.envelopes.EnvelopeFiles;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint over real HTTP: success, bad input, unknown repository, and each way a token can be wrong. */
class ApiServerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GITHUB_TOKEN = "ghp_serverTestToken";
  private static final Secret JWT_SECRET = Secret.of("a-test-secret-that-is-at-least-32-bytes-long!");
  private static final Secret WEBHOOK_SECRET = Secret.of("webhook-secret-of-the-test");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path data;
  private static GitHubSimulator simulator;
  private static BitbucketSimulator bitbucket;
  private static final String BITBUCKET_TOKEN = "bitbucket-token-of-the-server-test";
  private static GitCollector collector;
  private static CollectionService service;
  private static ApiServer api;
  private static String base;

  @BeforeAll
  static void start() {
    simulator = GitHubSimulator.builder().token(GITHUB_TOKEN).start();
    simulator.addRepository("acme/served", RepositorySpec.of(400, 20, 1));
    simulator.addRepository("acme/scheduled", RepositorySpec.of(50, 2, 0));
    simulator.addRepository("acme/some-kinds", RepositorySpec.of(20, 2, 0));
    simulator.addRepository("acme/only-repository", RepositorySpec.of(5, 0, 0));
    simulator.addRepository("Codertocat/Hello-World", RepositorySpec.of(30, 3, 1).withIssues(4, 1));
    simulator.addRepository("acme/short-lived", RepositorySpec.of(1, 0, 0));
    bitbucket = BitbucketSimulator.start(BITBUCKET_TOKEN, Duration.ZERO);
    bitbucket.addRepository("team_name/repo_name", RepositorySpec.of(40, 2, 1));
    Map<String, String> environment = new java.util.HashMap<>(Map.of("GITHUB_TOKEN", GITHUB_TOKEN, "GITHUB_API_URL",
        simulator.apiBaseUrl(), "COLLECTOR_DATA_DIR", data.toString(), "JWT_SECRET_KEY", JWT_SECRET.reveal(),
        "GITHUB_WEBHOOK_SECRET", WEBHOOK_SECRET.reveal(), "WEBHOOK_MAX_BYTES", "65536", "SYNC_INTERVAL", "PT1S",
        "SCHEDULER_TICK", "1"));
    environment.putAll(Map.of("BITBUCKET_API_URL", bitbucket.apiBaseUrl(), "BITBUCKET_TOKEN", BITBUCKET_TOKEN,
        "BITBUCKET_WEBHOOK_SECRET", WEBHOOK_SECRET.reveal(), "GITLAB_WEBHOOK_TOKEN", WEBHOOK_SECRET.reveal()));
    ServerConfig config = ServerConfig.load(environment, Optional.empty());
    PrometheusMeterRegistry metrics = io.gitcollector.server.http.ServerMetrics.registry();
    collector = EnvironmentSettings.of(config.collectorSettings())
        .applyTo(GitCollector.builder(), ApiServerIT.class.getClassLoader()).meterRegistry(metrics).build();
    service = new CollectionService(collector, config.webhookSecrets(), config.syncInterval(),
        config.fullSyncInterval(), config.schedulerTick(), config.workers(), config.shutdownGrace());
    api = new ApiServer(collector, service, metrics, JwtAuthenticator.hs256(config.jwtSecret().orElseThrow()),
        config.metricsPublic(), new ApiServer.WebhookLimits(config.maxWebhookBytes(), config.webhookInflightBytes()),
        "127.0.0.1", 0).start();
    base = "http://127.0.0.1:" + api.port();
  }

  @AfterAll
  static void stop() {
    api.close();
    service.close();
    collector.close();
    simulator.close();
    bitbucket.close();
  }

  static String token(String... scopes) {
    return JwtAuthenticator.mint(JWT_SECRET, "test", Set.of(scopes), Duration.ofMinutes(5));
  }

  static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }

  static String statusOf(String repositoryId) {
    try {
      HttpResponse<String> response = send("GET", "/api/v1/collect/status/" + repositoryId, token(
          JwtAuthenticator.READ), null);
      return response.statusCode() == 200 ? json(response).path("status").asText() : "http-" + response.statusCode();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static void assertProblem(HttpResponse<String> response, int status, String detailFragment) throws IOException {
    assertEquals(status, response.statusCode(), response::body);
    assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    JsonNode problem = json(response);
    assertEquals(status, problem.path("status").asInt());
    assertTrue(problem.path("detail").asText().contains(detailFragment), problem.toString());
  }

  @Test
  void healthMetricsAndOpenApiArePublic() throws Exception {
    HttpResponse<String> health = send("GET", "/health", null, null);
    assertEquals(200, health.statusCode());
    JsonNode body = json(health);
    assertEquals("ok", body.path("status").asText());
    assertTrue(body.path("sink").path("description").asText().startsWith("jsonl:"));
    assertEquals("up", body.path("state_store").path("status").asText());
    assertTrue(body.path("version").asText().matches("\\d+\\.\\d+\\.\\d+.*") && body.has("timestamp"),
        "the build's version: " + body);
    send("POST", "/api/v1/collect/trigger", token(JwtAuthenticator.TRIGGER),
        "{\"repository_url\":\"https://github.com/acme/served\"}");
    awaitTrue(() -> statusOf("github:github.com/acme/served").equals("completed"), "the collection");
    HttpResponse<String> metrics = send("GET", "/metrics", null, null);
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("git_collector_requests_total"), metrics.body());
    assertTrue(metrics.body().contains("git_collector_collections_total"));
    assertTrue(metrics.body().contains("git_collector_processing_duration_seconds"));
    JsonNode openApi = json(send("GET", "/openapi.json", null, null));
    assertEquals("3.1.0", openApi.path("openapi").asText());
    assertTrue(openApi.path("paths").has("/api/v1/collect/trigger"));
    assertTrue(openApi.path("paths").has("/api/v1/organizations/{organization_id}"));
    // every route the server answers is described with each of its methods, and only those
    ApiServer.routes().forEach((route, methods) -> {
      JsonNode described = openApi.path("paths").path(route);
      assertTrue(described.isObject(), route + " is not in the OpenAPI document");
      List<String> expected = methods.stream().filter(m -> !m.equals("HEAD")).map(m -> m.toLowerCase(
          java.util.Locale.ROOT)).sorted().toList();
      List<String> documented = new java.util.ArrayList<>();
      described.fieldNames().forEachRemaining(documented::add);
      assertEquals(expected, documented.stream().filter(m -> !m.equals("parameters")).sorted().toList(), route);
    });
    assertEquals(ApiServer.routes().size(), openApi.path("paths").size(), "paths the server does not answer");
  }

  @Test
  void theOverviewGivesWhatTheStatusPageShowsAndThePageIsServedFromTheJar() throws Exception {
    send("POST", "/api/v1/collect/trigger", token(JwtAuthenticator.TRIGGER),
        "{\"repository_url\":\"https://github.com/acme/only-repository\"}");
    awaitTrue(() -> statusOf("github:github.com/acme/only-repository").equals("completed"), "the collection");
    HttpResponse<String> overview = send("GET", "/api/v1/overview", token(JwtAuthenticator.READ), null);
    assertEquals(200, overview.statusCode(), overview.body());
    JsonNode body = json(overview);
    assertEquals(30, body.path("activity_days").size());
    JsonNode repository = null;
    for (JsonNode node : body.path("repositories")) {
      if (node.path("repository_id").asText().equals("github:github.com/acme/only-repository")) {
        repository = node;
      }
    }
    assertTrue(repository != null, body.toString());
    assertEquals("completed", repository.path("status").asText());
    assertEquals(5, repository.path("last_counts").path("commits").asLong());
    assertTrue(body.path("budgets").size() > 0, "the budgets the simulator announced: " + body);
    for (JsonNode budget : body.path("budgets")) {
      assertEquals(Secret.of(GITHUB_TOKEN).fingerprint(), budget.path("token").asText());
    }
    assertFalse(overview.body().contains(GITHUB_TOKEN), "the token itself never appears");
    assertEquals(401, send("GET", "/api/v1/overview", null, null).statusCode());

    HttpResponse<String> page = send("GET", "/", null, null);
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElseThrow().contains("script-src 'self'"));
    assertTrue(page.body().contains("/ui/app.js"));
    assertEquals(200, send("GET", "/ui/app.js", null, null).statusCode());
    HttpResponse<String> outside = send("GET", "/ui/..%2Fopenapi.json", null, null);
    assertEquals(404, outside.statusCode(), "only the page's own files are served");
    assertEquals("application/problem+json", outside.headers().firstValue("Content-Type").orElseThrow());
  }

  @Test
  void theHttpSurfaceAnswersMethodsHeadNoContentAndChallengesAsTheRfcsSay() throws Exception {
    HttpResponse<String> head = send("HEAD", "/health", null, null);
    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
    assertEquals(Optional.of("application/json"), head.headers().firstValue("Content-Type"));

    for (String[] wrong : new String[][] {{"PUT", "/health", "GET, HEAD"}, {"DELETE", "/api/v1/collect/trigger",
        "POST"}, {"GET", "/webhooks/github", "POST"}, {"POST", "/api/v1/organizations/github:github.com/x", "GET, HEAD,"
        + " DELETE"}}) {
      HttpResponse<String> refused = send(wrong[0], wrong[1], token(JwtAuthenticator.TRIGGER), null);
      assertEquals(405, refused.statusCode(), wrong[0] + " " + wrong[1]);
      assertEquals(Optional.of(wrong[2]), refused.headers().firstValue("Allow"), wrong[0] + " " + wrong[1]);
      assertEquals(Optional.of("application/problem+json"), refused.headers().firstValue("Content-Type"));
    }
    assertProblem(send("GET", "/nowhere", null, null), 404, "no route for GET /nowhere");

    HttpResponse<String> anonymous = send("GET", "/api/v1/repositories", null, null);
    assertEquals(401, anonymous.statusCode());
    assertEquals(Optional.of("Bearer realm=\"git-collector\""), anonymous.headers().firstValue("WWW-Authenticate"),
        "no error code when no token was sent");
    HttpResponse<String> garbage = send("GET", "/api/v1/repositories", "not-a-jwt", null);
    assertEquals(401, garbage.statusCode());
    assertTrue(garbage.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""));
    HttpResponse<String> readOnly = send("POST", "/api/v1/collect/trigger", token(JwtAuthenticator.READ),
        "{\"repository_url\":\"https://github.com/acme/served\"}");
    assertEquals(403, readOnly.statusCode());
    assertEquals(Optional.of("Bearer realm=\"git-collector\", error=\"insufficient_scope\", scope=\"collect:trigger\""),
        readOnly.headers().firstValue("WWW-Authenticate"));

    String trigger = token(JwtAuthenticator.TRIGGER);
    HttpResponse<String> created = send("POST", "/api/v1/repositories", trigger,
        "{\"url\":\"https://github.com/acme/short-lived\",\"interval\":\"PT1H\"}");
    assertEquals(201, created.statusCode(), created.body());
    HttpResponse<String> removed = send("DELETE", "/api/v1/repositories/github:github.com/acme/short-lived",
        trigger, null);
    assertEquals(204, removed.statusCode(), removed.body());
    assertEquals(Optional.empty(), removed.headers().firstValue("Content-Type"), "a 204 has no content type");
  }

  @Test
  void metricsCoverTheJvmTheHttpServerAndEveryMeterTheDeployFilesName() throws Exception {
    send("POST", "/api/v1/collect/trigger", token(JwtAuthenticator.TRIGGER),
        "{\"repository_url\":\"https://github.com/acme/served\"}");
    awaitTrue(() -> statusOf("github:github.com/acme/served").equals("completed"), "the collection");
    System.gc(); // the GC meters appear with the first collection the JVM reports
    String[] scrape = new String[1];
    java.util.Set<String> names = new java.util.HashSet<>();
    awaitTrue(() -> {
      try {
        scrape[0] = send("GET", "/metrics", null, null).body();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      names.clear();
      scrape[0].lines().filter(line -> !line.startsWith("#") && !line.isBlank())
          .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
      return names.contains("jvm_gc_pause_seconds_sum");
    }, "the GC meters");
    for (String meter : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
        "process_cpu_usage", "process_uptime_seconds", "jetty_threads_busy", "jetty_server_requests_seconds_bucket",
        "git_collector_request_duration_seconds_bucket", "git_collector_processing_duration_seconds_bucket",
        "git_collector_rate_limit_remaining", "git_collector_rate_limit_limit", "git_collector_tokens_refused",
        "git_collector_sink_up", "git_collector_state_store_up", "git_collector_webhook_in_flight_bytes")) {
      assertTrue(names.contains(meter), meter + " is missing from /metrics");
    }
    // requests are tagged with their route, never with the ids in their path
    assertTrue(scrape[0].contains("uri=\"/api/v1/collect/status/{repository_id}\""), scrape[0]);
    assertFalse(java.util.regex.Pattern.compile("uri=\"[^\"]*github:").matcher(scrape[0]).find(), scrape[0]);
    assertFalse(scrape[0].contains(GITHUB_TOKEN), "no token in /metrics");
    // a platform's meters exist from start-up: GitLab collected nothing here, its failures are a 0
    assertTrue(scrape[0].contains("git_collector_collections_total{mode=\"full\",outcome=\"failure\",platform=\"gitlab\"} 0.0"),
        scrape[0]);
    scrape[0].lines().filter(line -> line.startsWith("# HELP git_collector_") || line.startsWith("# HELP jetty_server_"))
        .forEach(line -> assertTrue(line.split(" ", 4).length == 4 && !line.split(" ", 4)[3].isBlank(),
            "no description: " + line));

    java.nio.file.Path deploy = java.nio.file.Path.of("..", "deploy");
    JsonNode rules = new com.fasterxml.jackson.databind.ObjectMapper(
        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
        .readTree(deploy.resolve("prometheus/git-collector-alerts.yml").toFile());
    StringBuilder expressions = new StringBuilder();
    int alerts = 0;
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        assertFalse(rule.path("alert").asText().isBlank(), rule::toString);
        assertFalse(rule.path("labels").path("severity").asText().isBlank(), rule::toString);
        assertFalse(rule.path("annotations").path("summary").asText().isBlank(), rule::toString);
        expressions.append(rule.path("expr").asText()).append('\n');
        alerts++;
      }
    }
    assertTrue(alerts >= 5, "alert rules: " + alerts);
    JsonNode dashboard = JSON.readTree(deploy.resolve("grafana/git-collector-dashboard.json").toFile());
    dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target ->
        expressions.append(target.path("expr").asText()).append('\n')));
    java.util.regex.Matcher referenced = java.util.regex.Pattern.compile(
        "\\b((?:git_collector|jvm|process|jetty)_[a-z_]+)").matcher(expressions);
    int checked = 0;
    while (referenced.find()) {
      assertTrue(names.contains(referenced.group(1)), referenced.group(1) + " (deploy/) is not a meter the server has");
      checked++;
    }
    assertTrue(checked > 20, "meters referenced by deploy/: " + checked);
  }

  @Test
  void triggerQueuesAndStatusFollowsTheCollectionWithSlashesPlainOrEncoded() throws Exception {
    HttpResponse<String> response = send("POST", "/api/v1/collect/trigger", token(JwtAuthenticator.TRIGGER),
        "{\"repository_url\":\"git@github.com:acme/served.git\",\"full_sync\":true}");
    assertEquals(202, response.statusCode(), response.body());
    JsonNode body = json(response);
    assertEquals("queued", body.path("status").asText());
    assertEquals("github:github.com/acme/served", body.path("repository_id").asText());
    assertEquals("git@github.com:acme/served.git", body.path("repository_url").asText());
    awaitTrue(() -> statusOf("github:github.com/acme/served").equals("completed"), "the collection");
    for (String id : new String[] {"github:github.com/acme/served", "github%3Agithub.com%2Facme%2Fserved"}) {
      HttpResponse<String> status = send("GET", "/api/v1/collect/status/" + id, token(JwtAuthenticator.READ), null);
      assertEquals(200, status.statusCode(), id + ": " + status.body());
      JsonNode json = json(status);
      assertEquals("github:github.com/acme/served", json.path("repository_id").asText());
      assertTrue(json.path("last_sync").isTextual());
      assertTrue(json.has("next_sync") && json.has("last_error"));
      assertTrue(json.path("last_counts").has("commits"), json.toString());
    }
  }

  @Test
  void badBodiesAndUnknownRepositoriesGetPreciseProblems() throws Exception {
    String trigger = token(JwtAuthenticator.TRIGGER);
    assertProblem(send("POST", "/api/v1/collect/trigger", trigger, "not json"), 400, "not valid JSON");
    assertProblem(send("POST", "/api/v1/collect/trigger", trigger, "{}"), 400, "'repository_url' is required");
    assertProblem(send("POST", "/api/v1/collect/trigger", trigger, "{\"repository_url\":\"github.com/x\"}"), 400,
        "malformed repository URL");
    assertProblem(send("POST", "/api/v1/collect/trigger", trigger,
        "{\"repository_url\":\"https://git.example.org/a/b\",\"full_sync\":\"yes\"}"), 400, "'full_sync'");
    assertProblem(send("POST", "/api/v1/collect/trigger", trigger,
        "{\"repository_url\":\"https://git.example.org/a/b\"}"), 422, "no platform adapter accepts host");
    assertProblem(send("GET", "/api/v1/collect/status/github:github.com/acme/never", token(JwtAuthenticator.READ),
        null), 404, "was never collected");
    assertProblem(send("POST", "/api/v1/repositories", trigger, "{\"url\":\"https://github.com/acme/served\","
        + "\"interval\":\"soon\"}"), 400, "'interval'");
    assertProblem(send("DELETE", "/api/v1/repositories/github:github.com/acme/never", trigger, null), 404,
        "no subscription");
    assertProblem(send("GET", "/api/v1/nothing-here", token(JwtAuthenticator.READ), null), 404, "no route");
  }

  @Test
  void missingExpiredForgedWrongAlgorithmAndPrematureTokensAre401WrongScopeIs403() throws Exception {
    String path = "/api/v1/repositories";
    assertProblem(send("GET", path, null, null), 401, "missing bearer token");
    assertProblem(send("GET", path, "not-a-jwt", null), 401, "not a JWT");
    Instant now = Instant.now();
    JWTClaimsSet expired = new JWTClaimsSet.Builder().subject("x").claim("scope", "collect:read")
        .expirationTime(Date.from(now.minusSeconds(120))).build();
    assertProblem(send("GET", path, sign(expired, JWSAlgorithm.HS256, JWT_SECRET), null), 401, "xpired");
    JWTClaimsSet valid = new JWTClaimsSet.Builder().subject("x").claim("scope", "collect:read")
        .expirationTime(Date.from(now.plusSeconds(300))).build();
    assertProblem(send("GET", path, sign(valid, JWSAlgorithm.HS512,
        Secret.of(JWT_SECRET.reveal() + JWT_SECRET.reveal())), null), 401, "refused");
    assertProblem(send("GET", path, new PlainJWT(valid).serialize(), null), 401, "refused");
    assertProblem(send("GET", path, sign(valid, JWSAlgorithm.HS256,
        Secret.of("another-secret-that-is-at-least-32-bytes")), null), 401, "refused");
    JWTClaimsSet premature = new JWTClaimsSet.Builder().subject("x").claim("scope", "collect:read")
        .notBeforeTime(Date.from(now.plusSeconds(600))).expirationTime(Date.from(now.plusSeconds(900))).build();
    assertProblem(send("GET", path, sign(premature, JWSAlgorithm.HS256, JWT_SECRET), null), 401, "refused");
    JWTClaimsSet noExpiry = new JWTClaimsSet.Builder().subject("x").claim("scope", "collect:read").build();
    assertProblem(send("GET", path, sign(noExpiry, JWSAlgorithm.HS256, JWT_SECRET), null), 401, "refused");
    assertProblem(send("POST", "/api/v1/collect/trigger", token(JwtAuthenticator.READ),
        "{\"repository_url\":\"https://github.com/acme/served\"}"), 403, "collect:trigger");
    assertProblem(send("GET", path, token(JwtAuthenticator.TRIGGER), null), 403, "collect:read");
    assertEquals(200, send("GET", path, sign(valid, JWSAlgorithm.HS256, JWT_SECRET), null).statusCode());
  }

  static String sign(JWTClaimsSet claims, JWSAlgorithm algorithm, Secret secret) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
    jwt.sign(new MACSigner(secret.reveal().getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  @Test
  void subscriptionsAreListedSyncedOnTheirScheduleAndRemoved() throws Exception {
    // the scheduler tells its passes that queued work at info
    ch.qos.logback.classic.Logger schedulerLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
        "io.gitcollector.server.service.SubscriptionScheduler");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> passes =
        new ch.qos.logback.core.read.ListAppender<>();
    passes.start();
    ch.qos.logback.classic.Level level = schedulerLog.getLevel();
    schedulerLog.setLevel(ch.qos.logback.classic.Level.INFO);
    schedulerLog.addAppender(passes);
    String trigger = token(JwtAuthenticator.TRIGGER);
    HttpResponse<String> created = send("POST", "/api/v1/repositories", trigger,
        "{\"url\":\"https://github.com/acme/scheduled\"}");
    assertEquals(201, created.statusCode(), created.body());
    assertEquals("PT1S", json(created).path("interval").asText());
    JsonNode list = json(send("GET", "/api/v1/repositories", token(JwtAuthenticator.READ), null));
    assertTrue(list.path("repositories").toString().contains("github:github.com/acme/scheduled"));
    String id = "github:github.com/acme/scheduled";
    awaitTrue(() -> statusOf(id).equals("completed"), "the first sync");
    String firstSync = json(send("GET", "/api/v1/collect/status/" + id, token(JwtAuthenticator.READ), null))
        .path("last_sync").asText();
    awaitTrue(() -> {
      try {
        JsonNode status = json(send("GET", "/api/v1/collect/status/" + id, token(JwtAuthenticator.READ), null));
        return !status.path("last_sync").asText().equals(firstSync) && status.path("next_sync").isTextual();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }, "a scheduled incremental sync");
    schedulerLog.detachAppender(passes);
    schedulerLog.setLevel(level);
    assertTrue(passes.list.stream().anyMatch(event -> event.getLevel() == ch.qos.logback.classic.Level.INFO
        && event.getFormattedMessage().matches("scheduler pass: \\d+ of \\d+ subscriptions due, queued \\(\\d+ full\\)")),
        "a pass that queued the subscription: " + passes.list);
    assertEquals(204, send("DELETE", "/api/v1/repositories/github%3Agithub.com%2Facme%2Fscheduled", trigger, null)
        .statusCode());
    assertFalse(json(send("GET", "/api/v1/repositories", token(JwtAuthenticator.READ), null)).toString()
        .contains(id));
  }

  @Test
  void anOrganizationIsFollowedAsItChanges() throws Exception {
    simulator.addOrganization("orgfollow");
    List<io.gitcollector.testkit.github.SimulatedRepository> created = new java.util.ArrayList<>();
    for (int i = 0; i < 120; i++) {
      var repository = simulator.addRepository(String.format(java.util.Locale.ROOT, "orgfollow/r-%03d", i),
          RepositorySpec.of(2, 0, 0));
      if (i % 10 == 3) {
        repository.markFork();
      }
      created.add(repository);
    }
    String trigger = token(JwtAuthenticator.TRIGGER);
    String body = "{\"url\":\"https://github.com/orgfollow\",\"filter\":{\"forks\":false,\"exclude\":[\"r-11*\"]},"
        + "\"kinds\":[\"commits\"]}";
    HttpResponse<String> followed = send("POST", "/api/v1/organizations", trigger, body);
    assertEquals(202, followed.statusCode(), followed.body());
    String id = "github:github.com/orgfollow";
    assertEquals(id, json(followed).path("organization_id").asText());
    assertEquals("/api/v1/organizations/" + id, followed.headers().firstValue("Location").orElse(""));
    JsonNode first = awaitPass(id, Optional.empty());
    // 120 repositories, 12 forks, r-110…r-119 excluded (r-113 among the forks)
    assertEquals(120, first.path("last_discovery").path("listed").asInt(), first::toString);
    assertEquals(99, first.path("last_discovery").path("selected").asInt(), first::toString);
    assertEquals(99, first.path("last_discovery").path("subscribed").asInt(), first::toString);
    assertEquals(99, first.path("repositories").asInt());
    String renamedOld = "github:github.com/orgfollow/r-000";
    awaitTrue(() -> statusOf(renamedOld).equals("completed"), "the first sync of a followed repository");
    // the first pass planned the 99 first syncs: commits only, one stream and one request per MB (100 KB each)
    JsonNode plan = first.path("plan");
    assertEquals(99, plan.path("repositories").asInt(), plan::toString);
    assertEquals(99, plan.path("basis").path("defaulted").asInt(), plan::toString);
    assertEquals(198, plan.path("requests").asLong(), plan::toString);
    assertEquals(1, plan.path("tokens").size(), plan::toString);
    assertEquals(198, plan.path("tokens").get(0).path("points").asLong(), plan::toString);
    assertTrue(plan.path("tokens").get(0).path("budget").path("limit").asLong() > 0,
        "the listing announced the token's budget: " + plan);
    assertFalse(plan.path("rate_limited").asBoolean(), plan::toString);
    assertFalse(plan.toString().contains(GITHUB_TOKEN), "tokens appear by fingerprint only");
    JsonNode[] progress = new JsonNode[1];
    awaitTrue(() -> {
      try {
        progress[0] = json(send("GET", "/api/v1/organizations/" + id, token(JwtAuthenticator.READ), null))
            .path("progress");
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return progress[0].path("state").asText().equals("finished");
    }, "every planned repository synced");
    assertEquals(99, progress[0].path("done").asInt(), progress[0]::toString);
    assertEquals(0, progress[0].path("left").asInt(), progress[0]::toString);

    simulator.addRepository("orgfollow/r-new", RepositorySpec.of(1, 0, 0));
    simulator.renameRepository("orgfollow/r-000", "orgfollow/r-renamed");
    created.get(1).archive();
    simulator.deleteRepository("orgfollow/r-002");
    // following again lists at once (and keeps the settings it is given)
    assertEquals(202, send("POST", "/api/v1/organizations", trigger, body).statusCode());
    JsonNode changed = awaitPass(id, Optional.of(first.path("last_discovery").path("at").asText()));
    JsonNode pass = changed.path("last_discovery");
    assertEquals(1, pass.path("added").asInt(), changed::toString);
    assertEquals(1, pass.path("renamed").asInt(), changed::toString);
    assertEquals(1, pass.path("archived").asInt(), changed::toString);
    assertEquals(1, pass.path("departed").asInt(), changed::toString);
    assertEquals(2, pass.path("subscribed").asInt(), changed::toString);
    assertEquals(2, pass.path("unsubscribed").asInt(), changed::toString);
    // the new plan: the renamed one's cursors followed it (incremental), the new one is sized by what the others cost
    assertEquals("{\"measured\":0,\"sized\":1,\"defaulted\":0,\"incremental\":98}",
        changed.path("plan").path("basis").toString(), changed::toString);

    JsonNode subscriptions = json(send("GET", "/api/v1/repositories", token(JwtAuthenticator.READ), null));
    Map<String, JsonNode> ofOrganization = new java.util.TreeMap<>();
    subscriptions.path("repositories").forEach(s -> {
      if (s.path("organization_id").asText().equals(id)) {
        ofOrganization.put(s.path("repository_id").asText(), s);
      }
    });
    assertEquals(99, ofOrganization.size(), "99 - r-000 - r-002 + r-renamed + r-new");
    assertTrue(ofOrganization.containsKey("github:github.com/orgfollow/r-renamed"), ofOrganization::toString);
    assertTrue(ofOrganization.containsKey("github:github.com/orgfollow/r-new"));
    assertFalse(ofOrganization.containsKey(renamedOld));
    assertFalse(ofOrganization.containsKey("github:github.com/orgfollow/r-002"));
    assertEquals("PT168H", ofOrganization.get("github:github.com/orgfollow/r-001").path("interval").asText());

    List<JsonNode> repositoryEvents = EnvelopeFiles.read(data, "git.repositories");
    assertTrue(repositoryEvents.stream().anyMatch(e -> e.path("event_type").asText().equals("repository_renamed")
        && e.path("data").path("previous_repository_id").asText().equals(renamedOld)
        && e.path("repository_id").asText().equals("github:github.com/orgfollow/r-renamed")));
    assertTrue(repositoryEvents.stream().anyMatch(e -> e.path("event_type").asText().equals("repository_deleted")
        && e.path("repository_id").asText().equals("github:github.com/orgfollow/r-002")));
    awaitTrue(() -> statusOf("github:github.com/orgfollow/r-renamed").equals("completed"), "the renamed one's sync");
    assertEquals(0, EnvelopeFiles.read(data, "git.commits").stream().filter(e -> e.path("repository_id").asText()
        .equals("github:github.com/orgfollow/r-renamed")).count(), "its cursors followed it: nothing again");

    assertProblem(send("POST", "/api/v1/organizations", trigger, "{\"url\":\"https://github.com/orgfollow\","
        + "\"filter\":{\"visibility\":[\"secret\"]}}"), 400, "'filter': visibility: 'secret'");
    assertProblem(send("POST", "/api/v1/organizations", trigger, "{\"url\":\"https://github.com/orgfollow\","
        + "\"filter\":{\"fork\":false}}"), 400, "'filter.fork' is not a filter");
    assertProblem(send("POST", "/api/v1/organizations", trigger, "{\"url\":\"https://github.com/a/b\"}"), 422,
        "no platform adapter lists organizations");
    assertProblem(send("POST", "/api/v1/organizations", trigger, "{\"url\":\"https://github.com/orgfollow\","
        + "\"discovery_interval\":\"PT1S\"}"), 400, "'discovery_interval' must be from PT1M");
    assertProblem(send("GET", "/api/v1/organizations/github:github.com/nobody", token(JwtAuthenticator.READ), null),
        404, "is not followed");
    assertEquals(204, send("DELETE", "/api/v1/organizations/" + id, trigger, null).statusCode());
    assertFalse(json(send("GET", "/api/v1/repositories", token(JwtAuthenticator.READ), null)).toString()
        .contains(id), "its repositories are no longer subscribed");
  }

  /** The organization once a pass later than {@code after} (if given) has been recorded. */
  private static JsonNode awaitPass(String organizationId, Optional<String> after) throws Exception {
    JsonNode[] latest = new JsonNode[1];
    awaitTrue(() -> {
      try {
        latest[0] = json(send("GET", "/api/v1/organizations/" + organizationId, token(JwtAuthenticator.READ), null));
        JsonNode pass = latest[0].path("last_discovery");
        return pass.isObject() && after.map(at -> !at.equals(pass.path("at").asText())).orElse(true);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }, "a pass over " + organizationId);
    assertTrue(latest[0].path("last_discovery").path("error").isNull(), latest[0]::toString);
    return latest[0];
  }

  @Test
  void subscriptionsAndTriggersCollectTheKindsTheyName() throws Exception {
    String trigger = token(JwtAuthenticator.TRIGGER);
    HttpResponse<String> created = send("POST", "/api/v1/repositories", trigger,
        "{\"url\":\"https://github.com/acme/some-kinds\",\"kinds\":[\"commits\",\"PULL_REQUEST\"]}");
    assertEquals(201, created.statusCode(), created.body());
    assertEquals("[\"commits\",\"pull_requests\"]", json(created).path("kinds").toString());
    String id = "github:github.com/acme/some-kinds";
    awaitTrue(() -> statusOf(id).equals("completed"), "the first sync");
    JsonNode counts = json(send("GET", "/api/v1/collect/status/" + id, token(JwtAuthenticator.READ), null))
        .path("last_counts");
    assertEquals(Set.of("commits", "pull_requests"), Set.copyOf(iterable(counts.fieldNames())),
        "only the subscribed kinds were collected: " + counts);
    assertTrue(json(send("GET", "/api/v1/repositories", token(JwtAuthenticator.READ), null)).toString()
        .contains("\"kinds\":[\"commits\",\"pull_requests\"]"), "the listing shows the kinds");
    assertEquals(204, send("DELETE", "/api/v1/repositories/" + id, trigger, null).statusCode());

    assertProblem(send("POST", "/api/v1/repositories", trigger,
        "{\"url\":\"https://github.com/acme/some-kinds\",\"kinds\":[\"comits\"]}"), 400,
        "'kinds': 'comits' is no kind; kinds: [repository, commits, pull_requests, contributors");
    assertProblem(send("POST", "/api/v1/collect/trigger", trigger,
        "{\"repository_url\":\"https://github.com/acme/some-kinds\",\"kinds\":\"commits\"}"), 400,
        "'kinds' must be a non-empty array");
    assertProblem(send("POST", "/api/v1/collect/trigger", trigger,
        "{\"repository_url\":\"https://github.com/acme/some-kinds\",\"kinds\":[]}"), 400,
        "'kinds' must be a non-empty array");
    HttpResponse<String> triggered = send("POST", "/api/v1/collect/trigger", trigger,
        "{\"repository_url\":\"https://github.com/acme/only-repository\",\"kinds\":[\"repository\"]}");
    assertEquals(202, triggered.statusCode(), triggered.body());
    awaitTrue(() -> statusOf("github:github.com/acme/only-repository").equals("completed"), "the triggered sync");
    assertEquals(List.of("repository"), List.copyOf(iterable(json(send("GET",
        "/api/v1/collect/status/github:github.com/acme/only-repository", token(JwtAuthenticator.READ), null))
        .path("last_counts").fieldNames())));
  }

  private static <T> List<T> iterable(java.util.Iterator<T> iterator) {
    List<T> all = new java.util.ArrayList<>();
    iterator.forEachRemaining(all::add);
    return all;
  }

  static byte[] fixture(String name) throws IOException {
    try (InputStream in = ApiServerIT.class.getResourceAsStream("/github-examples/webhooks/" + name)) {
      return in.readAllBytes();
    }
  }

  static HttpResponse<String> deliver(String event, String deliveryId, byte[] body, String signature)
      throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/webhooks/github"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", "application/json")
        .header("X-GitHub-Event", event)
        .header("X-GitHub-Delivery", deliveryId)
        .header("X-Hub-Signature-256", signature)
        .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void webhooksAreVerifiedDeduplicatedSizeLimitedAndActedOn() throws Exception {
    byte[] push = fixture("push.0.json");
    HttpResponse<String> accepted = deliver("push", "delivery-push-1", push,
        WebhookSignatures.sha256(push, WEBHOOK_SECRET));
    assertEquals(202, accepted.statusCode(), accepted.body());
    assertEquals("accepted", json(accepted).path("status").asText());
    awaitTrue(() -> statusOf("github:github.com/codertocat/hello-world").equals("completed"),
        "the sync the push triggered");
    HttpResponse<String> again = deliver("push", "delivery-push-1", push,
        WebhookSignatures.sha256(push, WEBHOOK_SECRET));
    assertEquals("duplicate", json(again).path("status").asText());

    byte[] tampered = new String(push, StandardCharsets.UTF_8).replace("Codertocat", "Mallory")
        .getBytes(StandardCharsets.UTF_8);
    assertProblem(deliver("push", "delivery-push-2", tampered, WebhookSignatures.sha256(push, WEBHOOK_SECRET)), 401,
        "does not match");

    byte[] pull = fixture("pull_request.opened.0.json");
    assertEquals("accepted", json(deliver("pull_request", "delivery-pr-1", pull,
        WebhookSignatures.sha256(pull, WEBHOOK_SECRET))).path("status").asText());
    awaitTrue(() -> EnvelopeFiles.read(data, "git.pull_requests").stream().anyMatch(e ->
        e.path("repository_id").asText().equals("github:github.com/codertocat/hello-world")
            && e.path("data").path("number").asLong() == 2), "the refreshed pull request #2");

    // GitHub's example names issue #1; the simulator numbers its issues from 100001
    byte[] issue = new String(fixture("issues.opened.15.json"), StandardCharsets.UTF_8)
        .replace("\"number\": 1,", "\"number\": 100003,").getBytes(StandardCharsets.UTF_8);
    assertEquals("accepted", json(deliver("issues", "delivery-issue-1", issue,
        WebhookSignatures.sha256(issue, WEBHOOK_SECRET))).path("status").asText());
    awaitTrue(() -> EnvelopeFiles.read(data, "git.issues").stream().anyMatch(e ->
        e.path("repository_id").asText().equals("github:github.com/codertocat/hello-world")
            && e.path("data").path("number").asLong() == 100_003), "the refetched issue #100003");

    byte[] star = fixture("star.created.0.json");
    assertEquals("ignored", json(deliver("star", "delivery-star-1", star,
        WebhookSignatures.sha256(star, WEBHOOK_SECRET))).path("status").asText());

    byte[] oversized = new byte[100_000];
    java.util.Arrays.fill(oversized, (byte) ' ');
    assertProblem(deliver("push", "delivery-big", oversized, WebhookSignatures.sha256(oversized, WEBHOOK_SECRET)), 413,
        "limited to 65536 bytes");
    byte[] bitbucketPush;
    try (InputStream in = ApiServerIT.class.getResourceAsStream("/bitbucket-examples/webhooks/repo-push.json")) {
      bitbucketPush = in.readAllBytes();
    }
    HttpRequest.Builder bitbucketDelivery = HttpRequest.newBuilder(URI.create(base + "/webhooks/bitbucket"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(bitbucketPush)).header("X-Event-Key", "repo:push")
        .header("X-Request-UUID", "bb-delivery-1");
    HttpResponse<String> bitbucketAccepted = HTTP.send(bitbucketDelivery.copy().header("X-Hub-Signature",
        WebhookSignatures.sha256(bitbucketPush, WEBHOOK_SECRET)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals("accepted", json(bitbucketAccepted).path("status").asText(), bitbucketAccepted.body());
    awaitTrue(() -> statusOf("bitbucket:bitbucket.org/team_name/repo_name").equals("completed"),
        "the sync the Bitbucket push triggered");
    assertProblem(HTTP.send(bitbucketDelivery.copy().header("X-Request-UUID", "bb-delivery-2")
        .header("X-Hub-Signature", WebhookSignatures.sha256(bitbucketPush, Secret.of("not-the-secret"))).build(),
        HttpResponse.BodyHandlers.ofString()), 401, "does not match");

    byte[] gitlabPush;
    try (InputStream in = ApiServerIT.class.getResourceAsStream("/gitlab-examples/webhooks/push-event.json")) {
      gitlabPush = in.readAllBytes();
    }
    HttpRequest.Builder gitlabDelivery = HttpRequest.newBuilder(URI.create(base + "/webhooks/gitlab"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(gitlabPush)).header("X-Gitlab-Event", "Push Hook");
    HttpResponse<String> gitlabAccepted = HTTP.send(gitlabDelivery.copy().header("X-Gitlab-Event-UUID", "gl-1")
        .header("X-Gitlab-Token", WEBHOOK_SECRET.reveal()).build(), HttpResponse.BodyHandlers.ofString());
    // verified, but it names a host no adapter serves (the fixture's example.com): acknowledged, never fetched
    assertEquals("ignored", json(gitlabAccepted).path("status").asText(), gitlabAccepted.body());
    assertProblem(HTTP.send(gitlabDelivery.copy().header("X-Gitlab-Event-UUID", "gl-2")
        .header("X-Gitlab-Token", "a-guessed-token").build(), HttpResponse.BodyHandlers.ofString()), 401,
        "does not match");

    HttpRequest unknown = HttpRequest.newBuilder(URI.create(base + "/webhooks/gitea"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(push)).build();
    assertProblem(HTTP.send(unknown, HttpResponse.BodyHandlers.ofString()), 404, "no platform 'gitea' is installed");
  }
}
