package io.gitcollector.server;

import io.gitcollector.core.spi.WebhookSignatures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.gitlab.GitLabSimulator;
import io.gitcollector.testkit.reliability.ReliabilityLog;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook intake and the bearer tokens tried as an attacker would, against a server process started as an
 * operator would start it on a small machine ({@code -Xmx256m}, the default 25 MiB body limit): deliveries act only on
 * their own platform, unsigned and wrongly signed floods are refused without exhausting memory, signed but malformed
 * bodies are bad requests, and tokens are held to their times within the configured clock skew.
 */
class WebhookSecurityIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GITHUB_TOKEN = "ghp_webhookSecurityToken";
  private static final String GITLAB_TOKEN = "glpat-webhookSecurityToken";
  private static final Secret SECRET = Secret.of("webhook-security-secret");
  private static final Secret JWT = Secret.of("webhook-security-jwt-secret-of-32-bytes!");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path work;
  private static GitHubSimulator github;
  private static GitLabSimulator gitlab;
  private static ChildJvm server;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    github = GitHubSimulator.builder().token(GITHUB_TOKEN).start();
    github.addRepository("acme/target", RepositorySpec.of(20, 2, 1));
    gitlab = GitLabSimulator.start(GITLAB_TOKEN, Duration.ZERO);
    gitlab.addProject("acme/project", RepositorySpec.of(20, 2, 1));
    port = ServerTestSupport.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("JWT_SECRET_KEY", JWT.reveal());
    env.put("JWT_CLOCK_SKEW", "PT5S");
    env.put("PORT", Integer.toString(port));
    env.put("COLLECTOR_DATA_DIR", work.resolve("data").toString());
    env.put("GITHUB_API_URL", github.apiBaseUrl());
    env.put("GITHUB_TOKEN", GITHUB_TOKEN);
    env.put("GITLAB_URL", gitlab.url());
    env.put("GITLAB_TOKEN", GITLAB_TOKEN);
    env.put("GITHUB_WEBHOOK_SECRET", SECRET.reveal());
    env.put("GITLAB_WEBHOOK_TOKEN", SECRET.reveal());
    env.put("BITBUCKET_WEBHOOK_SECRET", SECRET.reveal());
    server = ChildJvm.start(work, env, List.of("-Xmx256m"), "serve", "--host", "127.0.0.1");
    ServerTestSupport.awaitTrue(() -> health() == 200, "the server to listen", server);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    server.kill();
    github.close();
    gitlab.close();
  }

  private static int health() {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return 0;
    }
  }

  private static HttpResponse<String> post(String path, Map<String, String> headers, byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> github(String event, String id, byte[] body) throws Exception {
    return post("/webhooks/github", Map.of("X-GitHub-Event", event, "X-GitHub-Delivery", id,
        "X-Hub-Signature-256", WebhookSignatures.sha256(body, SECRET)), body);
  }

  private static HttpResponse<String> gitlab(String event, String id, byte[] body) throws Exception {
    return post("/webhooks/gitlab", Map.of("X-Gitlab-Event", event, "X-Gitlab-Event-UUID", id, "X-Gitlab-Token",
        SECRET.reveal()), body);
  }

  private static HttpResponse<String> bitbucket(String event, String id, byte[] body) throws Exception {
    return post("/webhooks/bitbucket", Map.of("X-Event-Key", event, "X-Request-UUID", id, "X-Hub-Signature",
        WebhookSignatures.sha256(body, SECRET)), body);
  }

  private static ObjectNode fixture(String resource) throws Exception {
    try (InputStream in = WebhookSecurityIT.class.getResourceAsStream(resource)) {
      return (ObjectNode) JSON.readTree(in);
    }
  }

  private static String status(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body()).path("status").asText();
  }

  @Test
  void aDeliveryActsOnlyOnRepositoriesItsOwnPlatformServes() throws Exception {
    // GitLab's published push example, signed with GitLab's token, naming a GitHub repository
    ObjectNode gitlabNamingGithub = fixture("/gitlab-examples/webhooks/push-event.json");
    ((ObjectNode) gitlabNamingGithub.path("project")).put("web_url", "https://github.com/acme/target");
    ((ObjectNode) gitlabNamingGithub.path("repository")).put("homepage", "https://github.com/acme/target");
    // GitHub's published push example, signed with GitHub's secret, naming the configured GitLab's project
    ObjectNode githubNamingGitlab = fixture("/github-examples/webhooks/push.0.json");
    ((ObjectNode) githubNamingGitlab.path("repository")).put("html_url", gitlab.url() + "/acme/project");
    // and one naming a host no adapter serves
    ObjectNode githubNamingElsewhere = fixture("/github-examples/webhooks/push.0.json");
    ((ObjectNode) githubNamingElsewhere.path("repository")).put("html_url", "https://git.example.org/acme/x");

    long githubBefore = github.stats().requests();
    long gitlabBefore = gitlab.requests();
    List<HttpResponse<String>> answers = List.of(
        gitlab("Push Hook", "cross-1", JSON.writeValueAsBytes(gitlabNamingGithub)),
        github("push", "cross-2", JSON.writeValueAsBytes(githubNamingGitlab)),
        github("push", "cross-3", JSON.writeValueAsBytes(githubNamingElsewhere)));
    for (HttpResponse<String> answer : answers) {
      assertEquals(202, answer.statusCode(), answer.body());
      assertEquals("ignored", status(answer), answer.body());
    }
    // a delivery it does act on, as a witness that deliveries are processed at all
    ObjectNode own = fixture("/github-examples/webhooks/push.0.json");
    ((ObjectNode) own.path("repository")).put("html_url", "https://github.com/acme/target");
    assertEquals("accepted", status(github("push", "own-1", JSON.writeValueAsBytes(own))));
    ServerTestSupport.awaitTrue(() -> github.stats().requests() > githubBefore, "the accepted delivery to be acted on",
        server);
    // and for a second more, still no request to GitLab
    org.awaitility.Awaitility.await("no GitLab request").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
        .until(() -> gitlab.requests() == gitlabBefore);
    assertEquals(gitlabBefore, gitlab.requests(), "the GitHub-signed delivery made no GitLab request");
    String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertTrue(metrics.contains("git_collector_webhooks_ignored_total{platform=\"gitlab\",reason=\"other_platform\"}"),
        metrics.lines().filter(l -> l.contains("ignored")).toList().toString());
    assertTrue(metrics.contains("git_collector_webhooks_ignored_total{platform=\"github\",reason=\"unserved_host\"}"));
    ReliabilityLog.record(new ReliabilityLog.Row("security-2-cross-platform", "published push deliveries verified"
        + " for one platform naming another platform's repository (GitLab → github.com, GitHub → the configured"
        + " GitLab) or a host no adapter serves", 3, 3, "each answered 202 ignored, counted in"
        + " git_collector_webhooks_ignored_total, and no request made to the other platform"));
  }

  @Test
  void authenticButMalformedBodiesAreBadRequests() throws Exception {
    String deep = "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000);
    Map<String, byte[]> bodies = new TreeMap<>();
    bodies.put("invalid JSON", "{\"number\": ".getBytes(StandardCharsets.UTF_8));
    bodies.put("empty", new byte[0]);
    bodies.put("an array", "[1,2,3]".getBytes(StandardCharsets.UTF_8));
    bodies.put("trailing garbage", "{\"number\": 2} garbage".getBytes(StandardCharsets.UTF_8));
    bodies.put("nested 3,000 deep", deep.getBytes(StandardCharsets.UTF_8));
    ObjectNode huge = fixture("/github-examples/webhooks/pull_request.opened.0.json");
    java.math.BigInteger tooLarge = new java.math.BigInteger("9223372036854775808");
    // each platform's own field for the number: GitHub's, GitLab's iid, Bitbucket's id
    huge.put("number", tooLarge);
    ((ObjectNode) huge.path("pull_request")).put("number", tooLarge);
    huge.putObject("object_attributes").put("iid", tooLarge);
    huge.putObject("pullrequest").put("id", tooLarge);
    bodies.put("a pull-request number of 2^63", JSON.writeValueAsBytes(huge));
    int cases = 0;
    int held = 0;
    for (Map.Entry<String, byte[]> body : bodies.entrySet()) {
      for (Supplier<HttpResponse<String>> send : List.<Supplier<HttpResponse<String>>>of(
          () -> unchecked(() -> github("pull_request", "bad-" + body.getKey().hashCode(), body.getValue())),
          () -> unchecked(() -> gitlab("Merge Request Hook", "bad-" + body.getKey().hashCode(), body.getValue())),
          () -> unchecked(() -> bitbucket("pullrequest:updated", "bad-" + body.getKey().hashCode(),
              body.getValue())))) {
        HttpResponse<String> answer = send.get();
        cases++;
        JsonNode problem = JSON.readTree(answer.body());
        assertEquals(400, answer.statusCode(), body.getKey() + ": " + answer.body());
        assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").orElse(""));
        assertFalse(problem.path("detail").asText().isBlank());
        held++;
      }
    }
    ReliabilityLog.record(new ReliabilityLog.Row("security-3-malformed-signed", "correctly signed GitHub, GitLab"
        + " and Bitbucket deliveries whose body is " + String.join(", ", bodies.keySet()), cases, held,
        "each 400 problem+json (signature fine, body unreadable), never 401 or 500"));
  }

  private static HttpResponse<String> unchecked(java.util.concurrent.Callable<HttpResponse<String>> call) {
    try {
      return call.call();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void concurrentOversizedUnsignedAndWronglySignedBodiesLeaveTheServerHealthy() throws Exception {
    byte[] big = new byte[25 * 1024 * 1024];
    java.util.Arrays.fill(big, (byte) ' ');
    ExecutorService senders = Executors.newFixedThreadPool(20);
    List<CompletableFuture<String>> outcomes = new ArrayList<>();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (int i = 0; i < 20; i++) {
      boolean signed = i % 2 == 1;
      int n = i;
      outcomes.add(CompletableFuture.supplyAsync(() -> {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/webhooks/github")).header("X-GitHub-Event", "push").header("X-GitHub-Delivery", "flood-" + n)
            .POST(HttpRequest.BodyPublishers.ofByteArray(big));
        if (signed) {
          request.header("X-Hub-Signature-256", "sha256=" + "0".repeat(64));
        }
        try {
          return Integer.toString(client.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        } catch (java.io.IOException e) {
          // the server answered and closed the connection before the 25 MiB were sent
          return "closed";
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return "interrupted";
        }
      }, senders));
    }
    Map<String, Integer> statuses = new TreeMap<>();
    for (CompletableFuture<String> outcome : outcomes) {
      statuses.merge(outcome.get(), 1, Integer::sum);
    }
    senders.shutdown();
    assertFalse(statuses.containsKey("500"), statuses.toString());
    assertTrue(statuses.keySet().stream().allMatch(s -> s.equals("401") || s.equals("503") || s.equals("closed")),
        statuses.toString());
    assertEquals(200, health(), "healthy after the flood");
    assertTrue(server.isAlive());
    assertFalse(server.stderr().contains("OutOfMemoryError"), server.stderr());
    ObjectNode own = fixture("/github-examples/webhooks/push.0.json");
    ((ObjectNode) own.path("repository")).put("html_url", "https://github.com/acme/target");
    assertEquals("accepted", status(github("push", "after-flood", JSON.writeValueAsBytes(own))),
        "deliveries are still taken");
    ReliabilityLog.record(new ReliabilityLog.Row("security-4-flood", "20 concurrent 25 MiB deliveries, 10 unsigned"
        + " and 10 with a wrong signature, to a server started with -Xmx256m and the default limits", 20, 20,
        "answers " + statuses + " (unsigned refused before the body is read; signed bodies share a 64 MiB budget,"
        + " 503 past it); no 500, no OutOfMemoryError, healthy and taking deliveries after"));
  }

  private static String token(Instant notBefore, Instant expires) throws Exception {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("test").notBeforeTime(Date.from(notBefore))
        .expirationTime(Date.from(expires)).claim("scope", "collect:read").build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(JWT.reveal().getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  @Test
  void tokensAreHeldToTheirTimesWithinTheConfiguredSkew() throws Exception {
    Instant now = Instant.now();
    Map<String, Integer> expected = new TreeMap<>();
    Map<String, String> tokens = new TreeMap<>();
    tokens.put("expired 60 s ago", token(now.minusSeconds(600), now.minusSeconds(60)));
    expected.put("expired 60 s ago", 401);
    tokens.put("expired 15 s ago", token(now.minusSeconds(600), now.minusSeconds(15)));
    expected.put("expired 15 s ago", 401);
    tokens.put("expired 2 s ago (within the 5 s skew)", token(now.minusSeconds(600), now.minusSeconds(2)));
    expected.put("expired 2 s ago (within the 5 s skew)", 200);
    tokens.put("valid from 15 s from now", token(now.plusSeconds(15), now.plusSeconds(600)));
    expected.put("valid from 15 s from now", 401);
    tokens.put("valid from 2 s from now (within the skew)", token(now.plusSeconds(2), now.plusSeconds(600)));
    expected.put("valid from 2 s from now (within the skew)", 200);
    int held = 0;
    for (Map.Entry<String, String> entry : tokens.entrySet()) {
      HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
              + "/api/v1/repositories")).header("Authorization", "Bearer " + entry.getValue()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(expected.get(entry.getKey()), answer.statusCode(), entry.getKey() + ": " + answer.body());
      held++;
    }
    ReliabilityLog.record(new ReliabilityLog.Row("security-5-token-times", "bearer tokens around `exp` and `nbf`"
        + " with JWT_CLOCK_SKEW=PT5S: " + String.join("; ", tokens.keySet()), tokens.size(), held,
        "refused beyond the skew (Nimbus's own default would accept 60 s), accepted within it"));
  }

  private static HttpResponse<String> api(String method, String path, String body) throws Exception {
    String token = io.gitcollector.server.http.JwtAuthenticator.mint(JWT, "test",
        java.util.Set.of("collect:read", "collect:trigger"), Duration.ofMinutes(5));
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends raw bytes, for requests an HTTP client refuses to make; returns the status line and headers. */
  private static String raw(String request) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      byte[] answer = socket.getInputStream().readNBytes(4_096);
      return new String(answer, StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void longIdsOutOfRangeNumbersAndTraversalsAreBadRequestsNamingTheField() throws Exception {
    String longOwner = "o".repeat(200);
    Map<String, HttpResponse<String>> answers = new java.util.LinkedHashMap<>();
    answers.put("a 200-character repository id in a status path",
        api("GET", "/api/v1/collect/status/github:github.com/" + longOwner + "/r", null));
    answers.put("a 200-character repository id in an unsubscribe path",
        api("DELETE", "/api/v1/repositories/github:github.com/" + longOwner + "/r", null));
    answers.put("a subscription with a 200-character owner",
        api("POST", "/api/v1/repositories", "{\"url\":\"https://github.com/" + longOwner + "/r\"}"));
    answers.put("a trigger with a 200-character owner",
        api("POST", "/api/v1/collect/trigger", "{\"repository_url\":\"https://github.com/" + longOwner + "/r\"}"));
    answers.put("a trigger with a 10 kB URL", api("POST", "/api/v1/collect/trigger",
        "{\"repository_url\":\"https://github.com/acme/" + "r".repeat(10_000) + "\"}"));
    answers.put("an interval of 9000000000000000000 s", api("POST", "/api/v1/repositories",
        "{\"url\":\"https://github.com/acme/target\",\"interval\":9000000000000000000}"));
    answers.put("an interval of PT9999999999999H", api("POST", "/api/v1/repositories",
        "{\"url\":\"https://github.com/acme/target\",\"interval\":\"PT9999999999999H\"}"));
    answers.put("a repository id with '..' segments", api("GET",
        "/api/v1/collect/status/github:github.com/..%2F..%2Fetc/passwd", null));
    answers.put("a repository id of an unknown platform", api("GET", "/api/v1/collect/status/nope:h/o/r", null));
    byte[] push = JSON.writeValueAsBytes(fixture("/github-examples/webhooks/push.0.json"));
    answers.put("a 300-character X-GitHub-Delivery", github("push", "d".repeat(300), push));
    Map<String, String> fields = Map.of("status path", "'repository_id'", "unsubscribe path", "'repository_id'",
        "subscription", "'url'", "trigger", "'repository_url'", "interval", "'interval'", "'..'",
        "'repository_id'", "unknown platform", "'repository_id'", "X-GitHub-Delivery", "delivery id");
    for (Map.Entry<String, HttpResponse<String>> answer : answers.entrySet()) {
      assertEquals(400, answer.getValue().statusCode(), answer.getKey() + ": " + answer.getValue().body());
      assertEquals("application/problem+json", answer.getValue().headers().firstValue("Content-Type").orElse(""));
      String detail = JSON.readTree(answer.getValue().body()).path("detail").asText();
      fields.forEach((hint, field) -> {
        if (answer.getKey().contains(hint)) {
          assertTrue(detail.contains(field), answer.getKey() + " names " + field + ": " + detail);
        }
      });
    }
    // the state store keeps keys of any length (long ones under a hash): the longest valid names are fine
    String longest = "https://github.com/" + "o".repeat(100) + "/" + "r".repeat(100);
    HttpResponse<String> deep = api("POST", "/api/v1/collect/trigger", "{\"repository_url\":\"" + longest + "\"}");
    assertEquals(202, deep.statusCode(), deep.body());
    String longestId = JSON.readTree(deep.body()).path("repository_id").asText();
    ServerTestSupport.awaitTrue(() -> {
      try {
        return JSON.readTree(api("GET", "/api/v1/collect/status/" + longestId, null).body()).path("status").asText()
            .equals("failed");
      } catch (Exception e) {
        return false;
      }
    }, "the collection of the longest name to end (GitHub has no such repository)", server);
    // another port of a platform's host is not that platform; its own port written out is the same repository
    assertEquals(422, api("POST", "/api/v1/collect/trigger",
        "{\"repository_url\":\"https://github.com:1/acme/target\"}").statusCode());
    HttpResponse<String> explicitPort = api("POST", "/api/v1/collect/trigger",
        "{\"repository_url\":\"https://github.com:443/acme/target\"}");
    assertEquals("github:github.com/acme/target", JSON.readTree(explicitPort.body()).path("repository_id").asText());
    assertEquals(200, health(), "no input broke the server");
    assertFalse(server.stderr().contains("Internal Server Error") || server.stderr().contains("unexpected failure"),
        server.stderr());
    ReliabilityLog.record(new ReliabilityLog.Row("security-6-inputs", "long ids and values out of range: "
        + String.join("; ", answers.keySet()) + "; a repository URL with a 100-character owner and name; https://github.com:1/… and"
        + " https://github.com:443/…", answers.size() + 3, answers.size() + 3, "each out-of-range input a 400"
        + " problem+json naming its field; the longest names collected to their end (the file state store hashes long"
        + " keys);"
        + " another port of github.com is not GitHub (422), its own port the same repository id"));
  }

  @Test
  void errorsRaisedByTheHttpLayerAreProblemJson() throws Exception {
    Map<String, String> requests = new java.util.LinkedHashMap<>();
    requests.put("bad percent-encoding", "GET /api/v1/collect/status/%zz%G1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    requests.put("a 9,000-character path", "GET /" + "a".repeat(9_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    requests.put("a 64 KiB header", "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: " + "b".repeat(64 * 1024)
        + "\r\n\r\n");
    requests.put("an ambiguous path", "GET /api/v1/collect/status/%2e%2e/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    Map<String, String> statuses = new TreeMap<>();
    for (Map.Entry<String, String> request : requests.entrySet()) {
      String answer = raw(request.getValue());
      String statusLine = answer.lines().findFirst().orElse("");
      statuses.put(request.getKey(), statusLine.replace("HTTP/1.1 ", ""));
      assertTrue(statusLine.matches("HTTP/1.1 4\\d\\d.*"), request.getKey() + ": " + statusLine);
      assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/problem+json"),
          request.getKey() + ": " + answer);
      assertFalse(answer.contains("<html"), request.getKey() + ": " + answer);
    }
    ReliabilityLog.record(new ReliabilityLog.Row("security-7-http-layer", "requests the HTTP layer refuses: "
        + String.join("; ", requests.keySet()), requests.size(), requests.size(), statuses.toString()
        + ", each application/problem+json, never HTML"));
  }

  private static int apiStatus(String method, String path, String bearer) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString(
            "{\"repository_url\":\"https://github.com/acme/target\"}") : HttpRequest.BodyPublishers.noBody())
        .header("Content-Type", "application/json");
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void forgedUnsignedWrongAlgorithmAndWrongScopeTokensAreRefused() throws Exception {
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("mallory").notBeforeTime(Date.from(now.minusSeconds(60)))
        .expirationTime(Date.from(now.plusSeconds(600))).claim("scope", "collect:read collect:trigger").build();
    SignedJWT forged = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    forged.sign(new MACSigner("another-secret-that-is-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8)));
    SignedJWT otherAlgorithm = new SignedJWT(new JWSHeader(JWSAlgorithm.HS512), claims);
    otherAlgorithm.sign(new MACSigner((JWT.reveal() + JWT.reveal()).getBytes(StandardCharsets.UTF_8)));
    String header = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        "{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
    String unsigned = header + "." + forged.serialize().split("\\.")[1] + ".";
    String readOnly = io.gitcollector.server.http.JwtAuthenticator.mint(JWT, "reader",
        java.util.Set.of("collect:read"), Duration.ofMinutes(5));
    Map<String, Integer> cases = new java.util.LinkedHashMap<>();
    cases.put("no token", apiStatus("GET", "/api/v1/repositories", null));
    cases.put("signed with another secret", apiStatus("GET", "/api/v1/repositories", forged.serialize()));
    cases.put("alg none", apiStatus("GET", "/api/v1/repositories", unsigned));
    cases.put("HS512 instead of the pinned HS256", apiStatus("GET", "/api/v1/repositories",
        otherAlgorithm.serialize()));
    cases.put("not a JWT", apiStatus("GET", "/api/v1/repositories", "definitely.not.a-jwt"));
    cases.put("collect:read used to trigger", apiStatus("POST", "/api/v1/collect/trigger", readOnly));
    Map<String, Integer> expected = new java.util.LinkedHashMap<>();
    cases.keySet().forEach(name -> expected.put(name, 401));
    expected.put("collect:read used to trigger", 403);
    assertEquals(expected, cases);
    ReliabilityLog.record(new ReliabilityLog.Row("security-5a-token-forgery", "bearer tokens: none, signed with"
        + " another secret, alg none, another algorithm (HS512), not a JWT, a read-only token used to trigger",
        cases.size(), cases.size(), "401 for each forgery, 403 for the wrong scope"));
  }

  @Test
  void publishedDeliveriesAreTakenSignedAndRefusedTampered() throws Exception {
    byte[] github = JSON.writeValueAsBytes(fixture("/github-examples/webhooks/pull_request.opened.0.json"));
    byte[] gitlabBody = JSON.writeValueAsBytes(fixture("/gitlab-examples/webhooks/push-event.json"));
    byte[] bitbucketBody = JSON.writeValueAsBytes(fixture("/bitbucket-examples/webhooks/repo-push.json"));
    Map<String, Integer> cases = new java.util.LinkedHashMap<>();
    cases.put("GitHub pull_request, signed", github("pull_request", "pub-1", github).statusCode());
    cases.put("GitLab Push Hook, with its token", gitlab("Push Hook", "pub-2", gitlabBody).statusCode());
    cases.put("Bitbucket repo:push, signed", bitbucket("repo:push", "pub-3", bitbucketBody).statusCode());
    byte[] tampered = new String(github, StandardCharsets.UTF_8).replace("Codertocat", "Mallory")
        .getBytes(StandardCharsets.UTF_8);
    cases.put("GitHub body changed after signing", post("/webhooks/github", Map.of("X-GitHub-Event", "pull_request",
        "X-GitHub-Delivery", "pub-4", "X-Hub-Signature-256", WebhookSignatures.sha256(github, SECRET)), tampered)
        .statusCode());
    cases.put("GitLab with a guessed token", post("/webhooks/gitlab", Map.of("X-Gitlab-Event", "Push Hook",
        "X-Gitlab-Event-UUID", "pub-5", "X-Gitlab-Token", "guessed"), gitlabBody).statusCode());
    byte[] bitbucketTampered = new String(bitbucketBody, StandardCharsets.UTF_8).replace("repo_name", "other")
        .getBytes(StandardCharsets.UTF_8);
    cases.put("Bitbucket body changed after signing", post("/webhooks/bitbucket", Map.of("X-Event-Key",
        "repo:push", "X-Request-UUID", "pub-6", "X-Hub-Signature", WebhookSignatures.sha256(bitbucketBody, SECRET)),
        bitbucketTampered).statusCode());
    Map<String, Integer> expected = new java.util.LinkedHashMap<>();
    cases.keySet().forEach(name -> expected.put(name, name.contains("signed,") || name.endsWith("signed")
        || name.contains("with its token") ? 202 : 401));
    assertEquals(expected, cases);
    ReliabilityLog.record(new ReliabilityLog.Row("security-2a-published-deliveries", "the platforms' published"
        + " delivery examples (GitHub pull_request, GitLab Push Hook, Bitbucket repo:push), signed, then tampered or"
        + " with a guessed token", cases.size(), cases.size(), "202 when signed, 401 when tampered"));
  }
}
