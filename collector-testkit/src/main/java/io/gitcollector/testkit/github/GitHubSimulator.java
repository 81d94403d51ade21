package io.gitcollector.testkit.github;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.gitcollector.testkit.http.LoopbackHttp;
import io.gitcollector.testkit.http.SimulatorTraffic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GitHub that runs on 127.0.0.1: REST endpoints for repositories, commits, pull requests, reviews and contributors
 * with {@code Link} pagination, ETags and 304s; the GraphQL queries the collector uses; primary rate-limit budgets
 * announced in {@code x-ratelimit-*} headers; secondary limits; injected latency and faults; and ground truth for
 * tests to compare against.
 *
 * <p>REST bodies are built from the example responses in GitHub's OpenAPI description (bundled as templates), so every
 * field a real response has is there; only the values of the synthetic entities change.
 */
public final class GitHubSimulator implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = JSON.getFactory();
  private static final Pattern REPO_PATH =
      Pattern.compile("^/repos/([^/]+)/([^/]+)(/.*)?$");
  private static final Pattern REPO_BY_ID = Pattern.compile("^/repositories/(\\d+)(/.*)?$");
  private static final Pattern OWNER_REPOS = Pattern.compile("^/(orgs|users)/([^/]+)/repos$");
  private static final String DOCS = "https://docs.github.com/rest";

  private final LoopbackHttp http;
  private final Map<String, SimulatedRepository> repositories = new ConcurrentHashMap<>();
  private final Map<Long, SimulatedRepository> repositoriesById = new ConcurrentHashMap<>();
  private final Map<String, Long> renamed = new ConcurrentHashMap<>();
  private final java.util.Set<String> organizations = ConcurrentHashMap.newKeySet();
  private volatile App app;
  private final AtomicLong nextInstallationId = new AtomicLong(7_000_001);
  private final java.util.Set<String> denied = ConcurrentHashMap.newKeySet();
  private final AtomicLong nextRepositoryId = new AtomicLong(1_296_269);
  private final String token;
  /** The primary token's budgets (the figures stats report are every token's). */
  private final Budget core;
  private final Budget graphql;
  /** Every token the simulator honours, each with its own budgets: the primary one and those added. */
  private final Map<String, Caller> callers = new ConcurrentHashMap<>();
  private final int coreLimitPerToken;
  private final Duration coreWindowPerToken;
  private final int graphqlLimitPerToken;
  private final Duration graphqlWindowPerToken;
  /** GitHub's budget for callers without a token: 60 REST requests an hour (per address). */
  private final Budget anonymous;
  /** Latency, injected faults and request counts, as the other simulators keep them. */
  private final SimulatorTraffic traffic;
  private volatile int secondaryEvery;
  private volatile int maxConcurrent = Integer.MAX_VALUE;
  private final AtomicLong concurrencyRefusals = new AtomicLong();
  private volatile Duration secondaryRetryAfter = Duration.ofSeconds(1);
  private volatile long secondaryBlockedUntilNanos;
  private volatile long secondaryBlockedSinceNanos;
  private static final Duration SECONDARY_GRACE = Duration.ofMillis(250);
  private final AtomicLong secondaryCounter = new AtomicLong();

  private final AtomicInteger smallestPageSize = new AtomicInteger(Integer.MAX_VALUE);
  private final AtomicLong notModified = new AtomicLong();
  private final AtomicLong rateLimitViolations = new AtomicLong();
  private final AtomicLong secondaryViolations = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peakInFlight = new AtomicInteger();

  private final JsonNode repositoryTemplate;
  private final JsonNode commitListTemplate;
  private final JsonNode commitTemplate;
  private final JsonNode pullTemplate;
  private final JsonNode reviewTemplate;
  private final ObjectNode issueTemplate;
  private final ObjectNode issueCommentTemplate;
  private final ObjectNode releaseTemplate;
  private final ObjectNode tagTemplate;
  private final ObjectNode runTemplate;
  private final ObjectNode deploymentTemplate;
  private final ObjectNode deploymentStatusTemplate;
  private final JsonNode contributorTemplate;

  private GitHubSimulator(Builder builder) throws IOException {
    this.token = builder.token;
    this.traffic = new SimulatorTraffic(builder.latency);
    this.core = new Budget("core", builder.coreLimit, builder.coreWindow);
    this.graphql = new Budget("graphql", builder.graphqlLimit, builder.graphqlWindow);
    this.anonymous = new Budget("core", builder.anonymousLimit, builder.anonymousWindow);
    this.coreLimitPerToken = builder.coreLimit;
    this.coreWindowPerToken = builder.coreWindow;
    this.graphqlLimitPerToken = builder.graphqlLimit;
    this.graphqlWindowPerToken = builder.graphqlWindow;
    if (token != null) {
      callers.put(token, new Caller(token, core, graphql, null));
    }
    this.repositoryTemplate = template("repos-get.200.default-response.json");
    this.commitListTemplate = template("repos-list-commits.200.default.json").get(0);
    this.commitTemplate = template("repos-get-commit.200.default.json");
    this.pullTemplate = template("pulls-list.200.default.json").get(0);
    this.reviewTemplate = template("pulls-list-reviews.200.default.json").get(0);
    this.issueTemplate = (ObjectNode) template("issues-list-for-repo.200.default.json").get(0);
    this.issueCommentTemplate = (ObjectNode) template("issues-list-comments.200.default.json").get(0);
    this.releaseTemplate = (ObjectNode) template("repos-list-releases.200.default.json").get(0);
    this.tagTemplate = (ObjectNode) template("repos-list-tags.200.default.json").get(0);
    this.runTemplate = (ObjectNode) template("actions-list-workflow-runs-for-repo.200.default.json")
        .path("workflow_runs").get(0);
    this.deploymentTemplate = (ObjectNode) template("repos-list-deployments.200.default.json").get(0);
    this.deploymentStatusTemplate = (ObjectNode) template("repos-list-deployment-statuses.200.default.json").get(0);
    this.contributorTemplate = template("repos-list-contributors.200.response-if-repository-contains-content.json")
        .get(0);
    this.http = LoopbackHttp.start("github-simulator", builder.port, builder.threads, this::handle);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts a simulator with no latency, no token and generous budgets. */
  public static GitHubSimulator start() {
    return builder().start();
  }

  /** The REST base URL, to use as {@code GITHUB_API_URL}; GraphQL is at {@code /graphql} below it. */
  public String apiBaseUrl() {
    return "http://127.0.0.1:" + http.port();
  }

  public int port() {
    return http.port();
  }

  /** Adds a repository; its web URL is {@code https://github.com/<fullName>}. */
  public SimulatedRepository addRepository(String fullName, RepositorySpec spec) {
    String[] parts = fullName.split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("a GitHub repository name is owner/name, was " + fullName);
    }
    SimulatedRepository repository =
        new SimulatedRepository(nextRepositoryId.getAndIncrement(), parts[0], parts[1], spec);
    repositories.put(fullName.toLowerCase(Locale.ROOT), repository);
    repositoriesById.put(repository.databaseId(), repository);
    return repository;
  }

  /** Renames a repository: its old path answers 301 to {@code /repositories/<id>}, as GitHub does. */
  public SimulatedRepository renameRepository(String fullName, String newFullName) {
    SimulatedRepository old = repositories.remove(fullName.toLowerCase(Locale.ROOT));
    if (old == null) {
      throw new IllegalArgumentException("no repository " + fullName);
    }
    String[] parts = newFullName.split("/");
    SimulatedRepository moved = old.renamedTo(parts[0], parts[1]);
    repositories.put(newFullName.toLowerCase(Locale.ROOT), moved);
    repositoriesById.put(moved.databaseId(), moved);
    renamed.put(fullName.toLowerCase(Locale.ROOT), moved.databaseId());
    return moved;
  }

  /**
   * Declares an organization: {@code GET /orgs/<name>/repos} lists its repositories (every repository whose owner it
   * is), while an owner not declared is a user, listed at {@code /users/<name>/repos}.
   */
  public void addOrganization(String name) {
    organizations.add(name.toLowerCase(Locale.ROOT));
  }

  /** Deletes a repository: it answers 404 and leaves its owner's listing. */
  public void deleteRepository(String fullName) {
    SimulatedRepository gone = repositories.remove(fullName.toLowerCase(Locale.ROOT));
    if (gone == null) {
      throw new IllegalArgumentException("no repository " + fullName);
    }
    repositoriesById.remove(gone.databaseId());
  }

  /**
   * Honours another token from now on, with budgets of its own (the sizes the builder gave): a second account's
   * token, or another installation's. Its ETags are its own: GitHub's vary with the credentials.
   */
  public void addToken(String value) {
    callers.put(value, new Caller(value, new Budget("core", coreLimitPerToken, coreWindowPerToken),
        new Budget("graphql", graphqlLimitPerToken, graphqlWindowPerToken), null));
  }

  /**
   * Registers a GitHub App: requests signed with the private key matching {@code publicKey} as app {@code appId} get
   * installations and installation tokens, which expire after {@code tokenLifetime} (GitHub: an hour).
   */
  public void registerApp(long appId, java.security.PublicKey publicKey, Duration tokenLifetime) {
    this.app = new App(appId, publicKey, tokenLifetime);
  }

  /** Installs the registered app on an organization or user account; returns the installation id. */
  public long installApp(String account) {
    long id = nextInstallationId.getAndIncrement();
    app.installations.put(account.toLowerCase(Locale.ROOT), id);
    return id;
  }

  /** Installation tokens the registered app was issued. */
  public long installationTokensIssued() {
    return app == null ? 0 : app.issued.get();
  }

  /** Revokes a token: from now on it gets 401 "Bad credentials". */
  public void revokeToken(String value) {
    callers.remove(value);
  }

  /** Primary (REST) points the token spent since the simulator started or its stats were reset. */
  public long primaryPointsSpentBy(String value) {
    Caller caller = callers.get(value);
    return caller == null ? 0 : caller.core.spent.get();
  }

  /** Requests for this repository get 403 "Resource not accessible", as for a token without the permission. */
  public void denyAccess(String fullName) {
    denied.add(fullName.toLowerCase(Locale.ROOT));
  }

  public void setLatency(Duration value) {
    traffic.setLatency(value);
  }

  /**
   * Refuses, with a secondary limit, any request that arrives while {@code n} others are in flight: a GitHub that
   * tolerates {@code n} concurrent requests of one token.
   */
  public void maxConcurrentRequests(int n) {
    this.maxConcurrent = n;
  }

  /** Requests refused because too many were in flight at once. */
  public long concurrencyRefusals() {
    return concurrencyRefusals.get();
  }

  /** Injects {@code fault} into the next {@code times} requests whose route contains {@code routeFragment}. */
  public void injectFault(Fault fault, String routeFragment, int times) {
    traffic.injectFault(fault, routeFragment, times);
  }

  /** Every {@code n}th request (of any route) gets {@code fault}, for good; 0 turns it off. */
  public void injectEvery(Fault fault, int n) {
    traffic.injectEvery(fault, n);
  }

  /** Every {@code n}th request is refused with a secondary rate limit and {@code Retry-After}; 0 turns it off. */
  public void secondaryLimitEvery(int n, Duration retryAfter) {
    this.secondaryEvery = n;
    this.secondaryRetryAfter = retryAfter;
  }

  /** Changes every token's primary (REST) budget, starting a fresh window. */
  public void setCoreRateLimit(int limit, Duration window) {
    core.reconfigure(limit, window);
    callers.values().forEach(caller -> caller.core.reconfigure(limit, window));
  }

  public void setGraphqlRateLimit(int limit, Duration window) {
    graphql.reconfigure(limit, window);
    callers.values().forEach(caller -> caller.graphql.reconfigure(limit, window));
  }

  public SimulatorStats stats() {
    Map<String, Long> routes = traffic.routes();
    long corePoints = core.spent.get() + callers.values().stream().filter(c -> c.core != core)
        .mapToLong(c -> c.core.spent.get()).sum();
    long graphqlPoints = graphql.spent.get() + callers.values().stream().filter(c -> c.graphql != graphql)
        .mapToLong(c -> c.graphql.spent.get()).sum();
    return new SimulatorStats(traffic.requests(), notModified.get(), corePoints, graphqlPoints,
        rateLimitViolations.get(), secondaryViolations.get(), peakInFlight.get(), routes);
  }

  /** The smallest {@code first} a GraphQL query asked for since the last reset. */
  public int smallestGraphqlPageSize() {
    return smallestPageSize.get();
  }

  public void resetStats() {
    smallestPageSize.set(Integer.MAX_VALUE);
    traffic.reset();
    notModified.set(0);
    core.spent.set(0);
    graphql.spent.set(0);
    callers.values().forEach(caller -> {
      caller.core.spent.set(0);
      caller.graphql.spent.set(0);
    });
    rateLimitViolations.set(0);
    secondaryViolations.set(0);
    peakInFlight.set(0);
  }

  @Override
  public void close() {
    http.close();
  }

  // ---------------------------------------------------------------- request handling

  private void handle(HttpExchange exchange) throws IOException {
    int now = inFlight.incrementAndGet();
    peakInFlight.accumulateAndGet(now, Math::max);
    try {
      traffic.arrive();
      Response response = respond(exchange);
      send(exchange, response);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      send(exchange, error(500, "simulator failure: " + e, Map.of()));
    } finally {
      inFlight.decrementAndGet();
      exchange.close();
    }
  }

  private Response respond(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    Map<String, String> query = parseQuery(exchange.getRequestURI().getRawQuery());
    byte[] requestBody = exchange.getRequestBody().readAllBytes();
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    boolean authenticated = false;
    Caller caller = null;
    if (authorization != null) {
      String presented = authorization.replaceFirst("(?i)^(bearer|token)\\s+", "");
      Response app = appRoute(method, path, presented);
      if (app != null) {
        return app;
      }
      caller = callers.get(presented);
      if (caller == null || caller.expired()) {
        count(method + " (bad credentials)");
        return error(401, "Bad credentials", Map.of());
      }
      authenticated = true;
    }
    // each token spends its own budgets; ETags differ between tokens, as GitHub's vary with the credentials
    Budget core = caller != null ? caller.core : this.core;
    Budget graphql = caller != null ? caller.graphql : this.graphql;
    long credentials = caller != null ? caller.token.hashCode() : 0;

    if (method.equals("POST") && path.equals("/graphql")) {
      JsonNode body = JSON.readTree(requestBody);
      String operation = body.path("operationName").asText("");
      String route = "POST /graphql " + operation;
      count(route);
      if (!authenticated) {
        // GitHub's GraphQL API has no anonymous access
        return error(401, "This endpoint requires you to be authenticated.", Map.of());
      }
      Response refused = refusals(route);
      if (refused != null) {
        return refused;
      }
      if (!graphql.trySpend()) {
        rateLimitViolations.incrementAndGet();
        return withRateHeaders(error(403, "API rate limit exceeded for user ID 1.", Map.of()), graphql);
      }
      return withRateHeaders(graphqlResponse(operation, body.path("variables"), authenticated), graphql);
    }
    if (method.equals("GET") && path.equals("/rate_limit")) {
      count("GET /rate_limit");
      return json(200, rateLimitBody());
    }
    if (!method.equals("GET")) {
      count(method + " " + path);
      return error(404, "Not Found", Map.of());
    }

    Matcher ownerRepos = OWNER_REPOS.matcher(path);
    if (ownerRepos.matches()) {
      return ownerListing(ownerRepos.group(1).equals("orgs"), decode(ownerRepos.group(2)), query, path,
          exchange.getRequestHeaders().getFirst("If-None-Match"), authenticated, core, credentials);
    }
    SimulatedRepository repository;
    String rest;
    Matcher byId = REPO_BY_ID.matcher(path);
    Matcher byName = REPO_PATH.matcher(path);
    if (byId.matches()) {
      repository = repositoriesById.get(Long.parseLong(byId.group(1)));
      rest = byId.group(2) == null ? "" : byId.group(2);
    } else if (byName.matches()) {
      String fullName = (decode(byName.group(1)) + "/" + decode(byName.group(2))).toLowerCase(Locale.ROOT);
      rest = byName.group(3) == null ? "" : byName.group(3);
      Long movedTo = renamed.get(fullName);
      if (movedTo != null && !repositories.containsKey(fullName)) {
        count("GET /repos/{o}/{r} (moved)");
        String location = apiBaseUrl() + "/repositories/" + movedTo + rest
            + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        ObjectNode moved = JSON.createObjectNode();
        moved.put("message", "Moved Permanently");
        moved.put("url", location);
        moved.put("documentation_url", DOCS);
        Response response = json(301, moved);
        response.headers.put("Location", location);
        return response;
      }
      repository = repositories.get(fullName);
    } else {
      count("GET " + path);
      return error(404, "Not Found", Map.of());
    }
    String route = "GET /repos/{o}/{r}" + routeSuffix(rest);
    count(route);
    if (repository == null || (repository.isPrivate() && !authenticated)
        || (caller != null && !caller.sees(repository.owner()))) {
      return withRateHeaders(error(404, "Not Found", Map.of()), core);
    }
    Response refused = refusals(route);
    if (refused != null) {
      return refused;
    }
    if (denied.contains(repository.fullName().toLowerCase(Locale.ROOT))) {
      core.trySpend();
      return withRateHeaders(error(403, "Resource not accessible by personal access token", Map.of()), core);
    }
    String etag = etag(repository, rest, exchange.getRequestURI().getRawQuery(), credentials);
    String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
    if (etag != null && etag.equals(ifNoneMatch)) {
      notModified.incrementAndGet();
      Response response = new Response(304, new LinkedHashMap<>(), new byte[0]);
      response.headers.put("ETag", etag);
      return withRateHeaders(response, core);
    }
    Budget budget = authenticated ? core : anonymous;
    if (!budget.trySpend()) {
      rateLimitViolations.incrementAndGet();
      return withRateHeaders(error(403, authenticated ? "API rate limit exceeded for user ID 1. If you reach out to"
          + " GitHub Support for help, please include the request ID." : "API rate limit exceeded for 127.0.0.1."
          + " (But here's the good news: Authenticated requests get a higher rate limit.)", Map.of()), budget);
    }
    Response response = restResponse(repository, rest, query, path);
    if (etag != null && response.status == 200) {
      response.headers.put("ETag", etag);
    }
    return withRateHeaders(response, budget);
  }

  /**
   * {@code GET /orgs/{org}/repos} (every repository of the organization the caller can see, private ones with a token)
   * or {@code GET /users/{user}/repos} (a user's public repositories), newest first as GitHub's default
   * {@code sort=created} has it, with {@code Link} pagination and an ETag over the page's body: an unchanged page is
   * answered 304 and costs no point.
   */
  private Response ownerListing(boolean organization, String owner, Map<String, String> query, String path,
      String ifNoneMatch, boolean authenticated, Budget core, long credentials) throws IOException {
    String route = organization ? "GET /orgs/{org}/repos" : "GET /users/{user}/repos";
    count(route);
    String wanted = owner.toLowerCase(Locale.ROOT);
    List<SimulatedRepository> owned = repositories.values().stream()
        .filter(r -> r.owner().toLowerCase(Locale.ROOT).equals(wanted))
        .filter(r -> !r.isPrivate() || (organization && authenticated))
        .sorted(java.util.Comparator.comparingLong(SimulatedRepository::databaseId).reversed())
        .toList();
    if (organization != organizations.contains(wanted) || (!organization && owned.isEmpty())) {
      return withRateHeaders(error(404, "Not Found", Map.of()), core);
    }
    Response refused = refusals(route);
    if (refused != null) {
      return refused;
    }
    int perPage = perPage(query);
    int page = page(query);
    ArrayNode items = JSON.createArrayNode();
    for (int k = (page - 1) * perPage; k < Math.min(owned.size(), page * perPage); k++) {
      items.add(repositoryJson(owned.get(k)));
    }
    byte[] body = JSON.writeValueAsBytes(items);
    String etag = "W/\"" + String.format(Locale.ROOT, "%016x", SimulatedRepository.mix(
        java.util.Arrays.hashCode(body) * 31L + (path + "?" + page + "&" + perPage).hashCode() + credentials * 17))
        + "\"";
    if (etag.equals(ifNoneMatch)) {
      notModified.incrementAndGet();
      Response response = new Response(304, new LinkedHashMap<>(), new byte[0]);
      response.headers.put("ETag", etag);
      return withRateHeaders(response, core);
    }
    Budget budget = authenticated ? core : anonymous;
    if (!budget.trySpend()) {
      rateLimitViolations.incrementAndGet();
      return withRateHeaders(error(403, "API rate limit exceeded for user ID 1.", Map.of()), budget);
    }
    Response response = json(200, items);
    response.headers.put("ETag", etag);
    link(response, path, query, page, perPage, owned.size());
    return withRateHeaders(response, budget);
  }

  /** Secondary limits and injected faults, checked before any budget is spent. */
  private Response refusals(String route) {
    long nowNanos = System.nanoTime();
    if (secondaryBlockedUntilNanos != 0 && nowNanos < secondaryBlockedUntilNanos) {
      // requests already on their way when the limit was announced are not the client ignoring it
      if (nowNanos - secondaryBlockedSinceNanos > SECONDARY_GRACE.toNanos()) {
        secondaryViolations.incrementAndGet();
      }
      return secondaryLimit();
    }
    if (inFlight.get() > maxConcurrent) {
      // GitHub's secondary limit on concurrent requests: refused with Retry-After, nothing spent
      concurrencyRefusals.incrementAndGet();
      secondaryBlockedSinceNanos = nowNanos;
      secondaryBlockedUntilNanos = nowNanos + secondaryRetryAfter.toNanos();
      return secondaryLimit();
    }
    int every = secondaryEvery;
    if (every > 0 && secondaryCounter.incrementAndGet() % every == 0) {
      secondaryBlockedSinceNanos = nowNanos;
      secondaryBlockedUntilNanos = nowNanos + secondaryRetryAfter.toNanos();
      return secondaryLimit();
    }
    Fault fault = traffic.dueFault(route).orElse(null);
    if (fault == null) {
      return null;
    }
    return switch (fault) {
      case SERVER_ERROR -> error(500, "Server Error", Map.of());
      case BAD_GATEWAY -> error(502, "Bad Gateway", Map.of());
      case SECONDARY_RATE_LIMIT -> {
        secondaryBlockedSinceNanos = nowNanos;
        secondaryBlockedUntilNanos = nowNanos + secondaryRetryAfter.toNanos();
        yield secondaryLimit();
      }
      case TOO_MANY_REQUESTS -> error(429, "Too Many Requests", Map.of());
      case TRUNCATED_BODY -> {
        Response truncated = new Response(200, new LinkedHashMap<>(), null);
        truncated.truncate = true;
        yield truncated;
      }
      case CONNECTION_CLOSED -> {
        Response closed = new Response(200, new LinkedHashMap<>(), null);
        closed.closeWithoutAnswer = true;
        yield closed;
      }
      case MALFORMED_JSON -> {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        yield new Response(200, headers, "<html><body>502 upstream hiccup</body></html>"
            .getBytes(StandardCharsets.UTF_8));
      }
      case SLOW_RESPONSE -> {
        try {
          Thread.sleep(Fault.SLOW_RESPONSE_DELAY.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        yield error(500, "Server Error", Map.of());
      }
    };
  }

  private Response secondaryLimit() {
    Map<String, String> headers = Map.of("Retry-After",
        Long.toString(Math.max(1, (secondaryRetryAfter.toMillis() + 999) / 1000)));
    return error(403, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        headers);
  }

  // ---------------------------------------------------------------- REST

  private Response restResponse(SimulatedRepository repository, String rest, Map<String, String> query,
      String path) {
    if (rest.isEmpty()) {
      return json(200, repositoryJson(repository));
    }
    if (rest.equals("/commits")) {
      int total = repository.commitCount();
      if (total == 0) {
        return error(409, "Git Repository is empty.", Map.of());
      }
      int head = total - 1;
      String sha = query.get("sha");
      if (sha != null && !sha.equals("main") && !sha.equals("HEAD")) {
        head = repository.indexOf(sha);
        if (head < 0) {
          return error(404, "No commit found for SHA: " + sha, Map.of());
        }
      }
      int perPage = perPage(query);
      int page = page(query);
      int available = head + 1;
      ArrayNode items = JSON.createArrayNode();
      for (int k = (page - 1) * perPage; k < Math.min(available, page * perPage); k++) {
        items.add(commitListItem(repository, head - k));
      }
      Response response = json(200, items);
      link(response, path, query, page, perPage, available);
      return response;
    }
    if (rest.startsWith("/commits/")) {
      int index = repository.indexOf(rest.substring("/commits/".length()));
      if (index < 0) {
        return error(422, "No commit found for SHA: " + rest.substring("/commits/".length()), Map.of());
      }
      return json(200, singleCommit(repository, index));
    }
    if (rest.equals("/pulls")) {
      String state = query.getOrDefault("state", "open");
      List<Long> numbers = new ArrayList<>();
      boolean byUpdated = "updated".equals(query.get("sort"));
      boolean ascending = "asc".equals(query.get("direction"));
      if (byUpdated) {
        for (Integer n : repository.numbersByUpdatedDescending()) {
          numbers.add((long) n);
        }
        if (ascending) {
          java.util.Collections.reverse(numbers);
        }
      } else {
        int count = repository.pullRequestCount();
        for (long n = count; n >= 1; n--) {
          numbers.add(n);
        }
        if (ascending) {
          java.util.Collections.reverse(numbers);
        }
      }
      if (!state.equals("all")) {
        numbers.removeIf(n -> state.equals("open") != repository.pullState(n).equals("open"));
      }
      int perPage = perPage(query);
      int page = page(query);
      ArrayNode items = JSON.createArrayNode();
      for (int k = (page - 1) * perPage; k < Math.min(numbers.size(), page * perPage); k++) {
        items.add(pullJson(repository, numbers.get(k)));
      }
      Response response = json(200, items);
      link(response, path, query, page, perPage, numbers.size());
      return response;
    }
    Matcher single = Pattern.compile("^/pulls/(\\d+)$").matcher(rest);
    if (single.matches()) {
      long number = Long.parseLong(single.group(1));
      if (number < 1 || number > repository.pullRequestCount()) {
        return error(404, "Not Found", Map.of());
      }
      return json(200, pullJson(repository, number));
    }
    Matcher reviews = Pattern.compile("^/pulls/(\\d+)/reviews$").matcher(rest);
    if (reviews.matches()) {
      long number = Long.parseLong(reviews.group(1));
      if (number < 1 || number > repository.pullRequestCount()) {
        return error(404, "Not Found", Map.of());
      }
      int total = repository.pullReviewCount(number);
      int perPage = perPage(query);
      int page = page(query);
      ArrayNode items = JSON.createArrayNode();
      for (int r = (page - 1) * perPage; r < Math.min(total, page * perPage); r++) {
        items.add(reviewJson(repository, number, r));
      }
      Response response = json(200, items);
      link(response, path, query, page, perPage, total);
      return response;
    }
    if (rest.equals("/issues")) {
      return issueList(repository, path, query);
    }
    if (rest.equals("/releases") || rest.equals("/tags")) {
      // releases newest first; tags of the published releases (a draft's tag does not exist yet)
      List<Integer> indexes = new ArrayList<>();
      for (int i = repository.releaseCount() - 1; i >= 0; i--) {
        if (rest.equals("/releases") || !repository.releaseIsDraft(i)) {
          indexes.add(i);
        }
      }
      int perPage = perPage(query);
      int page = page(query);
      ArrayNode items = JSON.createArrayNode();
      for (int k = (page - 1) * perPage; k < Math.min(indexes.size(), page * perPage); k++) {
        items.add(rest.equals("/releases") ? releaseJson(repository, indexes.get(k))
            : tagJson(repository, indexes.get(k)));
      }
      Response response = json(200, items);
      link(response, path, query, page, perPage, indexes.size());
      return response;
    }
    Matcher deployment = Pattern.compile("^/deployments(?:/(\\d+)(/statuses)?)?$").matcher(rest);
    if (deployment.matches()) {
      if (deployment.group(1) == null) {
        List<Integer> newestFirst = new ArrayList<>();
        for (int i = repository.deploymentCount() - 1; i >= 0; i--) {
          newestFirst.add(i);
        }
        return pagedList(path, query, newestFirst, i -> deploymentJson(repository, i));
      }
      int index = (int) (Long.parseLong(deployment.group(1)) - repository.deploymentId(0));
      if (index < 0 || index >= repository.deploymentCount()) {
        return error(404, "Not Found", Map.of());
      }
      if (deployment.group(2) == null) {
        return json(200, deploymentJson(repository, index));
      }
      List<String[]> statuses = new ArrayList<>(repository.deploymentStatuses(index));
      java.util.Collections.reverse(statuses);
      List<Integer> positions = new ArrayList<>();
      for (int k = 0; k < statuses.size(); k++) {
        positions.add(k);
      }
      return pagedList(path, query, positions, k -> deploymentStatusJson(repository, index, statuses.get(k),
          statuses.size() - k));
    }
    if (rest.equals("/actions/runs")) {
      return workflowRuns(repository, path, query);
    }
    Matcher run = Pattern.compile("^/actions/runs/(\\d+)$").matcher(rest);
    if (run.matches()) {
      int index = (int) (Long.parseLong(run.group(1)) - repository.ciRunId(0));
      return index < 0 || index >= repository.ciRunCount() ? error(404, "Not Found", Map.of())
          : json(200, runJson(repository, index));
    }
    if (rest.startsWith("/releases/tags/")) {
      String tag = decode(rest.substring("/releases/tags/".length()));
      try {
        return json(200, releaseJson(repository, repository.releaseIndex(tag)));
      } catch (IllegalArgumentException unknown) {
        return error(404, "Not Found", Map.of());
      }
    }
    Matcher issue = Pattern.compile("^/issues/(\\d+)(/comments)?$").matcher(rest);
    if (issue.matches()) {
      long number = Long.parseLong(issue.group(1));
      boolean pull = number >= 1 && number <= repository.pullRequestCount();
      if (!pull && !repository.hasIssue(number)) {
        return error(404, "Not Found", Map.of());
      }
      if (issue.group(2) == null) {
        return json(200, pull ? pullAsIssueJson(repository, number) : issueJson(repository, number));
      }
      int total = pull ? 0 : repository.issueCommentCount(number);
      int perPage = perPage(query);
      int page = page(query);
      ArrayNode items = JSON.createArrayNode();
      for (int c = (page - 1) * perPage; c < Math.min(total, page * perPage); c++) {
        items.add(issueCommentJson(repository, number, c));
      }
      Response response = json(200, items);
      link(response, path, query, page, perPage, total);
      return response;
    }
    if (rest.equals("/contributors")) {
      Map<String, Long> counts = repository.contributorCounts();
      if (counts.isEmpty()) {
        return new Response(204, new LinkedHashMap<>(), new byte[0]);
      }
      List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
      sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
      int perPage = perPage(query);
      int page = page(query);
      ArrayNode items = JSON.createArrayNode();
      for (int k = (page - 1) * perPage; k < Math.min(sorted.size(), page * perPage); k++) {
        ObjectNode item = contributorTemplate.deepCopy();
        String login = sorted.get(k).getKey();
        int author = Integer.parseInt(login.substring(3));
        item.put("login", login);
        item.put("id", 1000L + author);
        item.put("url", "https://api.github.com/users/" + login);
        item.put("html_url", "https://github.com/" + login);
        item.put("contributions", sorted.get(k).getValue());
        items.add(item);
      }
      Response response = json(200, items);
      link(response, path, query, page, perPage, sorted.size());
      return response;
    }
    return error(404, "Not Found", Map.of());
  }

  private String etag(SimulatedRepository repository, String rest, String rawQuery, long credentials) {
    long version;
    if (rest.isEmpty()) {
      version = repository.repositoryVersion();
    } else if (rest.startsWith("/commits") || rest.equals("/contributors")) {
      version = repository.commitsVersion();
    } else if (rest.startsWith("/pulls")) {
      version = repository.pullsVersion();
    } else if (rest.startsWith("/deployments")) {
      version = repository.deploymentsVersion();
    } else if (rest.startsWith("/actions/runs")) {
      version = repository.ciVersion();
    } else if (rest.startsWith("/releases") || rest.equals("/tags")) {
      version = repository.releasesVersion();
    } else if (rest.startsWith("/issues")) {
      // the issues list holds pull requests too: it changes with either
      version = repository.pullsVersion() * 1_000_003 + repository.issuesVersion();
    } else {
      return null;
    }
    long hash = SimulatedRepository.mix(repository.databaseId() * 31 + (rest + "?" + rawQuery).hashCode()
        + version * 0x9E3779B97F4A7C15L + credentials * 0x632BE59BD9B4E019L);
    return "W/\"" + String.format(Locale.ROOT, "%016x", hash) + "\"";
  }

  private ObjectNode repositoryJson(SimulatedRepository repository) {
    ObjectNode node = repositoryTemplate.deepCopy();
    String fullName = repository.fullName();
    node.put("id", repository.databaseId());
    node.put("node_id", Base64.getEncoder().encodeToString(("010:Repository" + repository.databaseId())
        .getBytes(StandardCharsets.UTF_8)));
    node.put("name", repository.name());
    node.put("full_name", fullName);
    ((ObjectNode) node.get("owner")).put("login", repository.owner());
    node.put("private", repository.isPrivate());
    node.put("visibility", repository.isPrivate() ? "private" : "public");
    node.put("html_url", "https://github.com/" + fullName);
    node.put("url", "https://api.github.com/repos/" + fullName);
    node.put("description", "Simulated repository " + fullName);
    node.put("fork", repository.isFork());
    ArrayNode topics = node.putArray("topics");
    repository.topicNames().forEach(topics::add);
    node.put("default_branch", "main");
    node.put("language", "Java");
    node.put("stargazers_count", 42 + repository.commitCount() % 100);
    node.put("watchers_count", 42 + repository.commitCount() % 100);
    node.put("forks_count", 7);
    node.put("forks", 7);
    node.put("open_issues_count", (repository.pullRequestCount() + 9) / 10);
    node.put("open_issues", (repository.pullRequestCount() + 9) / 10);
    node.put("size", 100 + repository.commitCount() / 10);
    node.put("archived", repository.isArchived());
    node.put("created_at", repository.createdAt().toString());
    node.put("pushed_at", repository.pushedAt().toString());
    node.put("updated_at", repository.updatedAt().toString());
    node.remove(List.of("parent", "source", "template_repository"));
    return node;
  }

  private ObjectNode commitListItem(SimulatedRepository repository, int index) {
    ObjectNode node = commitListTemplate.deepCopy();
    fillCommit(node, repository, index);
    return node;
  }

  private ObjectNode singleCommit(SimulatedRepository repository, int index) {
    ObjectNode node = commitTemplate.deepCopy();
    fillCommit(node, repository, index);
    int additions = repository.additions(index);
    int deletions = repository.deletions(index);
    ObjectNode stats = (ObjectNode) node.get("stats");
    stats.put("additions", additions);
    stats.put("deletions", deletions);
    stats.put("total", additions + deletions);
    JsonNode fileTemplate = node.get("files").get(0);
    ArrayNode files = JSON.createArrayNode();
    int count = repository.changedFiles(index);
    for (int f = 0; f < count; f++) {
      ObjectNode file = fileTemplate.deepCopy();
      int fileAdditions = additions / count + (f == 0 ? additions % count : 0);
      int fileDeletions = deletions / count + (f == 0 ? deletions % count : 0);
      String filename = "src/module" + f + "/File" + index + ".java";
      file.put("filename", filename);
      file.put("additions", fileAdditions);
      file.put("deletions", fileDeletions);
      file.put("changes", fileAdditions + fileDeletions);
      file.put("status", f == 0 && index % 7 == 0 ? "added" : "modified");
      file.put("raw_url", "https://github.com/" + repository.fullName() + "/raw/" + repository.sha(index) + "/"
          + filename);
      file.put("blob_url", "https://github.com/" + repository.fullName() + "/blob/" + repository.sha(index) + "/"
          + filename);
      files.add(file);
    }
    node.set("files", files);
    return node;
  }

  private void fillCommit(ObjectNode node, SimulatedRepository repository, int index) {
    String sha = repository.sha(index);
    String fullName = repository.fullName();
    node.put("sha", sha);
    node.put("url", "https://api.github.com/repos/" + fullName + "/commits/" + sha);
    node.put("html_url", "https://github.com/" + fullName + "/commit/" + sha);
    node.put("comments_url", "https://api.github.com/repos/" + fullName + "/commits/" + sha + "/comments");
    ObjectNode commit = (ObjectNode) node.get("commit");
    int author = repository.authorOf(index);
    String date = Instant.ofEpochSecond(repository.committedAtSeconds(index)).toString();
    for (String role : List.of("author", "committer")) {
      ObjectNode identity = (ObjectNode) commit.get(role);
      identity.put("name", repository.authorName(author));
      identity.put("email", repository.authorEmail(author));
      identity.put("date", date);
      ObjectNode account = (ObjectNode) node.get(role);
      account.put("login", repository.login(author));
      account.put("id", 1000L + author);
    }
    commit.put("message", commitMessage(index));
    ArrayNode parents = JSON.createArrayNode();
    if (index > 0) {
      String parent = repository.sha(index - 1);
      ObjectNode p = parents.addObject();
      p.put("url", "https://api.github.com/repos/" + fullName + "/commits/" + parent);
      p.put("sha", parent);
    }
    node.set("parents", parents);
  }

  private static String commitMessage(int index) {
    return "Change " + index + ": adjust module " + (index % 5) + "\n\nSimulated commit body.";
  }

  private ObjectNode pullJson(SimulatedRepository repository, long number) {
    ObjectNode node = pullTemplate.deepCopy();
    String fullName = repository.fullName();
    String state = repository.pullState(number);
    node.put("id", repository.databaseId() * 100_000 + number);
    node.put("number", number);
    node.put("state", state.equals("open") ? "open" : "closed");
    node.put("title", "Pull request " + number);
    node.put("html_url", "https://github.com/" + fullName + "/pull/" + number);
    node.put("url", "https://api.github.com/repos/" + fullName + "/pulls/" + number);
    ((ObjectNode) node.get("user")).put("login", repository.login((int) (number % repository.contributorCount())));
    long created = repository.pullCreatedAtSeconds(number);
    long updated = repository.pullUpdatedAtSeconds(number);
    node.put("created_at", Instant.ofEpochSecond(created).toString());
    node.put("updated_at", Instant.ofEpochSecond(updated).toString());
    if (state.equals("open")) {
      node.putNull("closed_at");
      node.putNull("merged_at");
      node.putNull("merge_commit_sha");
    } else {
      node.put("closed_at", Instant.ofEpochSecond(created + 3600).toString());
      if (state.equals("merged")) {
        node.put("merged_at", Instant.ofEpochSecond(created + 3600).toString());
        node.put("merge_commit_sha", mergeCommit(repository, number));
      } else {
        node.putNull("merged_at");
        node.putNull("merge_commit_sha");
      }
    }
    node.put("draft", number % 20 == 0);
    // the same labels as the GraphQL form, not the documentation example's
    ArrayNode labels = node.putArray("labels");
    if (number % 4 == 0) {
      labels.addObject().put("name", "enhancement");
    }
    ((ObjectNode) node.get("head")).put("ref", "feature-" + number);
    ((ObjectNode) node.get("base")).put("ref", "main");
    return node;
  }

  /**
   * {@code GET /repos/{owner}/{repo}/issues}: issues and pull requests in one list, as GitHub answers it (pull
   * requests carry a {@code pull_request} key), by creation or update time.
   */
  private Response issueList(SimulatedRepository repository, String path, Map<String, String> query) {
    String state = query.getOrDefault("state", "open");
    boolean byUpdated = "updated".equals(query.get("sort"));
    boolean ascending = "asc".equals(query.get("direction"));
    record Item(long number, long created, long updated, boolean pull) {}
    List<Item> all = new ArrayList<>();
    for (long n = 1; n <= repository.pullRequestCount(); n++) {
      all.add(new Item(n, repository.pullCreatedAtSeconds(n), repository.pullUpdatedAtSeconds(n), true));
    }
    for (long n : repository.issueVersions().keySet()) {
      all.add(new Item(n, repository.issueCreatedAtSeconds(n), repository.issueUpdatedAtSeconds(n), false));
    }
    if (!state.equals("all")) {
      all.removeIf(item -> state.equals("open") != (item.pull() ? repository.pullState(item.number()).equals("open")
          : repository.issueState(item.number()).equals("open")));
    }
    java.util.Comparator<Item> order = java.util.Comparator.<Item>comparingLong(i -> byUpdated ? i.updated()
        : i.created()).thenComparingLong(Item::number);
    all.sort(ascending ? order : order.reversed());
    int perPage = perPage(query);
    int page = page(query);
    ArrayNode items = JSON.createArrayNode();
    for (int k = (page - 1) * perPage; k < Math.min(all.size(), page * perPage); k++) {
      Item item = all.get(k);
      items.add(item.pull() ? pullAsIssueJson(repository, item.number()) : issueJson(repository, item.number()));
    }
    Response response = json(200, items);
    link(response, path, query, page, perPage, all.size());
    return response;
  }

  /**
   * {@code GET /repos/{owner}/{repo}/actions/runs}: newest created first, filtered by {@code created=A..B} (either end
   * {@code *}), and, as GitHub, no more than 1,000 runs a query: ten pages, the tenth without a next link.
   */
  private Response workflowRuns(SimulatedRepository repository, String path, Map<String, String> query) {
    String created = query.getOrDefault("created", "*..*");
    String[] range = created.split("\\.\\.", -1);
    long from = range[0].equals("*") ? Long.MIN_VALUE : Instant.parse(range[0]).getEpochSecond();
    long to = range.length < 2 || range[1].equals("*") ? Long.MAX_VALUE : Instant.parse(range[1]).getEpochSecond();
    List<Integer> indexes = new ArrayList<>();
    for (int i = repository.ciRunCount() - 1; i >= 0; i--) {
      long at = repository.ciCreatedAtSeconds(i);
      if (at >= from && at <= to) {
        indexes.add(i);
      }
    }
    int perPage = perPage(query);
    int page = page(query);
    if ((page - 1) * perPage >= 1_000) {
      return error(422, "Only the first 1000 results are available.", Map.of());
    }
    int reachable = Math.min(indexes.size(), 1_000);
    ObjectNode body = JSON.createObjectNode();
    body.put("total_count", indexes.size());
    ArrayNode runs = body.putArray("workflow_runs");
    for (int k = (page - 1) * perPage; k < Math.min(reachable, page * perPage); k++) {
      runs.add(runJson(repository, indexes.get(k)));
    }
    Response response = json(200, body);
    link(response, path, query, page, perPage, reachable);
    return response;
  }

  private ObjectNode runJson(SimulatedRepository repository, int index) {
    ObjectNode node = runTemplate.deepCopy();
    long id = repository.ciRunId(index);
    String[] status = repository.ciStatus(index).split("/");
    long created = repository.ciCreatedAtSeconds(index);
    node.put("id", id);
    node.put("name", index % 3 == 0 ? "Deploy" : "Build");
    node.put("head_branch", "main");
    node.put("head_sha", repository.sha(index % Math.max(1, repository.commitCount())));
    node.put("event", index % 3 == 0 ? "workflow_dispatch" : "push");
    node.put("status", status[0]);
    if (status.length > 1) {
      node.put("conclusion", status[1]);
    } else {
      node.putNull("conclusion");
    }
    node.put("run_number", index + 1);
    node.put("run_attempt", repository.ciAttempt(index));
    node.put("created_at", Instant.ofEpochSecond(created).toString());
    node.put("run_started_at", Instant.ofEpochSecond(created + 5).toString());
    node.put("updated_at", Instant.ofEpochSecond(repository.ciUpdatedAtSeconds(index)).toString());
    node.put("html_url", "https://github.com/" + repository.fullName() + "/actions/runs/" + id);
    node.put("url", "https://api.github.com/repos/" + repository.fullName() + "/actions/runs/" + id);
    return node;
  }

  /** A page of a list rendered item by item, with GitHub's {@code Link} header. */
  private <T> Response pagedList(String path, Map<String, String> query, List<T> all,
      java.util.function.Function<T, JsonNode> render) {
    int perPage = perPage(query);
    int page = page(query);
    ArrayNode items = JSON.createArrayNode();
    for (int k = (page - 1) * perPage; k < Math.min(all.size(), page * perPage); k++) {
      items.add(render.apply(all.get(k)));
    }
    Response response = json(200, items);
    link(response, path, query, page, perPage, all.size());
    return response;
  }

  private ObjectNode deploymentJson(SimulatedRepository repository, int index) {
    ObjectNode node = deploymentTemplate.deepCopy();
    long id = repository.deploymentId(index);
    String url = "https://api.github.com/repos/" + repository.fullName() + "/deployments/" + id;
    node.put("id", id);
    node.put("sha", repository.deploymentSha(index));
    node.put("ref", "main");
    node.put("environment", repository.deploymentEnvironment(index));
    node.put("original_environment", repository.deploymentEnvironment(index));
    node.put("production_environment", repository.deploymentEnvironment(index).equals("production"));
    ((ObjectNode) node.get("creator")).put("login", repository.login(index % repository.contributorCount()));
    node.put("created_at", Instant.ofEpochSecond(repository.deploymentCreatedAtSeconds(index)).toString());
    node.put("updated_at", Instant.ofEpochSecond(repository.deploymentUpdatedAtSeconds(index)).toString());
    node.put("url", url);
    node.put("statuses_url", url + "/statuses");
    return node;
  }

  private ObjectNode deploymentStatusJson(SimulatedRepository repository, int index, String[] status, int number) {
    ObjectNode node = deploymentStatusTemplate.deepCopy();
    String at = Instant.ofEpochSecond(Long.parseLong(status[1])).toString();
    node.put("id", repository.deploymentId(index) * 100 + number);
    node.put("state", status[0]);
    node.put("description", "Deployment " + status[0] + ".");
    node.put("environment", repository.deploymentEnvironment(index));
    node.put("created_at", at);
    node.put("updated_at", at);
    node.put("deployment_url", "https://api.github.com/repos/" + repository.fullName() + "/deployments/"
        + repository.deploymentId(index));
    return node;
  }

  private ObjectNode releaseJson(SimulatedRepository repository, int index) {
    ObjectNode node = releaseTemplate.deepCopy();
    String fullName = repository.fullName();
    String tag = SimulatedRepository.releaseTag(index);
    long created = repository.releaseCreatedAtSeconds(index);
    node.put("id", repository.databaseId() * 10_000 + index);
    node.put("tag_name", tag);
    node.put("target_commitish", "main");
    node.put("name", repository.releaseName(index));
    node.put("body", repository.releaseNotes(index));
    node.put("draft", repository.releaseIsDraft(index));
    node.put("prerelease", repository.releaseIsPrerelease(index));
    node.put("created_at", Instant.ofEpochSecond(created).toString());
    if (repository.releaseIsDraft(index)) {
      node.putNull("published_at");
    } else {
      node.put("published_at", Instant.ofEpochSecond(created + 60).toString());
    }
    ((ObjectNode) node.get("author")).put("login", repository.login(index % repository.contributorCount()));
    node.put("html_url", "https://github.com/" + fullName + "/releases/tag/" + tag);
    node.put("url", "https://api.github.com/repos/" + fullName + "/releases/" + node.path("id").asLong());
    node.putArray("assets");
    return node;
  }

  private ObjectNode tagJson(SimulatedRepository repository, int index) {
    ObjectNode node = tagTemplate.deepCopy();
    String tag = SimulatedRepository.releaseTag(index);
    String sha = repository.releaseTarget(index);
    node.put("name", tag);
    ((ObjectNode) node.get("commit")).put("sha", sha);
    ((ObjectNode) node.get("commit")).put("url", "https://api.github.com/repos/" + repository.fullName()
        + "/commits/" + sha);
    node.put("zipball_url", "https://github.com/" + repository.fullName() + "/zipball/" + tag);
    node.put("tarball_url", "https://github.com/" + repository.fullName() + "/tarball/" + tag);
    return node;
  }

  private ObjectNode issueJson(SimulatedRepository repository, long number) {
    ObjectNode node = issueTemplate.deepCopy();
    node.remove("pull_request");
    String fullName = repository.fullName();
    String state = repository.issueState(number);
    long created = repository.issueCreatedAtSeconds(number);
    node.put("id", repository.databaseId() * 1_000_000 + number);
    node.put("number", number);
    node.put("state", state);
    node.put("title", "Issue " + number);
    node.put("body", "Simulated issue " + number + ".");
    node.put("html_url", "https://github.com/" + fullName + "/issues/" + number);
    node.put("url", "https://api.github.com/repos/" + fullName + "/issues/" + number);
    ((ObjectNode) node.get("user")).put("login", repository.login((int) (number % repository.contributorCount())));
    node.put("created_at", Instant.ofEpochSecond(created).toString());
    node.put("updated_at", Instant.ofEpochSecond(repository.issueUpdatedAtSeconds(number)).toString());
    node.put("comments", repository.issueCommentCount(number));
    if (state.equals("closed")) {
      node.put("closed_at", Instant.ofEpochSecond(created + 1200).toString());
      node.put("state_reason", issueStateReason(number));
    } else {
      node.putNull("closed_at");
      node.putNull("closed_by");
      node.putNull("state_reason");
    }
    ArrayNode labels = node.putArray("labels");
    if (number % 4 == 0) {
      labels.addObject().put("name", "bug");
    }
    ArrayNode assignees = node.putArray("assignees");
    if (number % 5 == 0) {
      ObjectNode assignee = assignees.addObject();
      assignee.put("login", repository.login((int) ((number + 1) % repository.contributorCount())));
      node.set("assignee", assignee.deepCopy());
    } else {
      node.putNull("assignee");
    }
    if (number % 7 == 0) {
      ((ObjectNode) node.get("milestone")).put("title", "v1.0");
    } else {
      node.putNull("milestone");
    }
    return node;
  }

  private static String issueStateReason(long number) {
    return (number - SimulatedRepository.FIRST_ISSUE) % 6 == 5 ? "not_planned" : "completed";
  }

  /** A pull request as the issues list shows it: the issue form with a {@code pull_request} key. */
  private ObjectNode pullAsIssueJson(SimulatedRepository repository, long number) {
    ObjectNode node = issueTemplate.deepCopy();
    String fullName = repository.fullName();
    node.put("id", repository.databaseId() * 100_000 + number);
    node.put("number", number);
    node.put("state", repository.pullState(number).equals("open") ? "open" : "closed");
    node.put("title", "Pull request " + number);
    node.put("html_url", "https://github.com/" + fullName + "/pull/" + number);
    node.put("created_at", Instant.ofEpochSecond(repository.pullCreatedAtSeconds(number)).toString());
    node.put("updated_at", Instant.ofEpochSecond(repository.pullUpdatedAtSeconds(number)).toString());
    ((ObjectNode) node.get("pull_request")).put("html_url", "https://github.com/" + fullName + "/pull/" + number);
    return node;
  }

  private ObjectNode issueCommentJson(SimulatedRepository repository, long number, int comment) {
    ObjectNode node = issueCommentTemplate.deepCopy();
    long id = repository.issueCommentId(number, comment);
    String at = Instant.ofEpochSecond(repository.issueCommentAtSeconds(number, comment)).toString();
    node.put("id", id);
    node.put("body", "Comment " + comment + " on #" + number);
    ((ObjectNode) node.get("user")).put("login", repository.login((int) ((number + comment) % repository
        .contributorCount())));
    node.put("created_at", at);
    node.put("updated_at", at);
    node.put("html_url", "https://github.com/" + repository.fullName() + "/issues/" + number + "#issuecomment-" + id);
    node.put("issue_url", "https://api.github.com/repos/" + repository.fullName() + "/issues/" + number);
    return node;
  }

  private String mergeCommit(SimulatedRepository repository, long number) {
    int count = repository.commitCount();
    return count == 0 ? "" : repository.sha((int) (number % count));
  }

  private ObjectNode reviewJson(SimulatedRepository repository, long number, int review) {
    ObjectNode node = reviewTemplate.deepCopy();
    node.put("id", repository.reviewId(number, review));
    ((ObjectNode) node.get("user")).put("login", repository.login((int) ((number + review + 1)
        % repository.contributorCount())));
    node.put("body", "Review " + review + " of #" + number);
    node.put("state", repository.reviewState(number, review));
    node.put("submitted_at", Instant.ofEpochSecond(repository.reviewSubmittedAtSeconds(number, review)).toString());
    node.put("commit_id", mergeCommit(repository, number + review));
    node.put("html_url", "https://github.com/" + repository.fullName() + "/pull/" + number + "#pullrequestreview-"
        + repository.reviewId(number, review));
    node.put("pull_request_url", "https://api.github.com/repos/" + repository.fullName() + "/pulls/" + number);
    return node;
  }

  // ---------------------------------------------------------------- GraphQL

  private Response graphqlResponse(String operation, JsonNode variables, boolean authenticated) throws IOException {
    String owner = variables.path("owner").asText();
    String name = variables.path("name").asText();
    String fullName = (owner + "/" + name).toLowerCase(Locale.ROOT);
    SimulatedRepository repository = repositories.get(fullName);
    if (repository == null && renamed.containsKey(fullName)) {
      repository = repositoriesById.get(renamed.get(fullName));
    }
    if (repository == null || (repository.isPrivate() && !authenticated)) {
      return graphqlError("NOT_FOUND", "Could not resolve to a Repository with the name '" + owner + "/" + name
          + "'.", "repository");
    }
    int first = variables.path("first").asInt(100);
    smallestPageSize.accumulateAndGet(first, Math::min);
    if (first < 1 || first > 100) {
      return graphqlError("MAX_NODE_LIMIT_EXCEEDED", "Requesting " + first + " records on the connection exceeds"
          + " the `first` limit of 100 records.", "repository");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeObjectFieldStart("data");
      g.writeObjectFieldStart("repository");
      switch (operation) {
        case "CommitHistory" -> {
          if (!writeHistory(g, repository, variables, first)) {
            return graphqlError("NOT_FOUND", "Could not resolve to a Commit with the oid '"
                + variables.path("oid").asText() + "'.", "repository", "object");
          }
        }
        case "PullRequests" -> writePullRequests(g, repository, variables, first);
        case "Issues" -> writeIssues(g, repository, variables, first);
        case "Issue" -> {
          long number = variables.path("number").asLong();
          g.writeFieldName("issue");
          if (repository.hasIssue(number)) {
            writeIssue(g, repository, number);
          } else {
            g.writeNull();
          }
        }
        case "PullRequest" -> {
          long number = variables.path("number").asLong();
          if (number < 1 || number > repository.pullRequestCount()) {
            return graphqlError("NOT_FOUND", "Could not resolve to a PullRequest with the number of " + number + ".",
                "repository", "pullRequest");
          }
          g.writeFieldName("pullRequest");
          writePullRequest(g, repository, number);
        }
        default -> {
          return graphqlError("UNKNOWN_OPERATION", "the simulator does not know operation '" + operation + "'",
              "query");
        }
      }
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndObject();
    }
    Response response = new Response(200, new LinkedHashMap<>(), out.toByteArray());
    response.headers.put("Content-Type", "application/json; charset=utf-8");
    return response;
  }

  private boolean writeHistory(JsonGenerator g, SimulatedRepository repository, JsonNode variables, int first)
      throws IOException {
    int head = repository.indexOf(variables.path("oid").asText());
    if (head < 0) {
      return false;
    }
    int offset = 0;
    String after = variables.path("after").isTextual() ? variables.path("after").asText() : null;
    if (after != null) {
      String[] parts = after.split(" ");
      offset = Integer.parseInt(parts[1]) + 1;
    }
    int available = head + 1;
    int end = Math.min(available, offset + first);
    g.writeObjectFieldStart("object");
    g.writeObjectFieldStart("history");
    g.writeNumberField("totalCount", available);
    g.writeObjectFieldStart("pageInfo");
    g.writeBooleanField("hasNextPage", end < available);
    if (end > offset) {
      g.writeStringField("endCursor", repository.sha(head) + " " + (end - 1));
    } else {
      g.writeNullField("endCursor");
    }
    g.writeEndObject();
    g.writeArrayFieldStart("nodes");
    for (int k = offset; k < end; k++) {
      int index = head - k;
      int author = repository.authorOf(index);
      String date = Instant.ofEpochSecond(repository.committedAtSeconds(index)).toString();
      g.writeStartObject();
      g.writeStringField("oid", repository.sha(index));
      g.writeStringField("url", "https://github.com/" + repository.fullName() + "/commit/" + repository.sha(index));
      g.writeStringField("message", commitMessage(index));
      g.writeNumberField("additions", repository.additions(index));
      g.writeNumberField("deletions", repository.deletions(index));
      g.writeNumberField("changedFilesIfAvailable", repository.changedFiles(index));
      g.writeObjectFieldStart("parents");
      g.writeArrayFieldStart("nodes");
      if (index > 0) {
        g.writeStartObject();
        g.writeStringField("oid", repository.sha(index - 1));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
      for (String role : List.of("author", "committer")) {
        g.writeObjectFieldStart(role);
        g.writeStringField("name", repository.authorName(author));
        g.writeStringField("email", repository.authorEmail(author));
        g.writeStringField("date", date);
        g.writeObjectFieldStart("user");
        g.writeStringField("login", repository.login(author));
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndObject();
    return true;
  }

  private void writePullRequests(JsonGenerator g, SimulatedRepository repository, JsonNode variables, int first)
      throws IOException {
    boolean byUpdated = "UPDATED_AT".equals(variables.path("orderField").asText("CREATED_AT"));
    boolean descending = "DESC".equals(variables.path("direction").asText("ASC"));
    List<Long> order = new ArrayList<>();
    if (byUpdated) {
      for (Integer n : repository.numbersByUpdatedDescending()) {
        order.add((long) n);
      }
    } else {
      for (long n = repository.pullRequestCount(); n >= 1; n--) {
        order.add(n);
      }
    }
    if (!descending) {
      java.util.Collections.reverse(order);
    }
    int start = 0;
    String after = variables.path("after").isTextual() ? variables.path("after").asText() : null;
    if (after != null) {
      // keyset cursor: the items after the last one returned, even if others moved meanwhile
      String[] key = new String(Base64.getDecoder().decode(after), StandardCharsets.UTF_8).split(":");
      long lastNumber = Long.parseLong(key[2]);
      long lastUpdated = Long.parseLong(key[1]);
      start = order.size();
      for (int i = 0; i < order.size(); i++) {
        long n = order.get(i);
        int cmp = byUpdated
            ? compareKeys(repository.pullUpdatedAtSeconds(n), n, lastUpdated, lastNumber)
            : Long.compare(n, lastNumber);
        if (descending ? cmp < 0 : cmp > 0) {
          start = i;
          break;
        }
      }
    }
    int end = Math.min(order.size(), start + first);
    g.writeObjectFieldStart("pullRequests");
    g.writeObjectFieldStart("pageInfo");
    g.writeBooleanField("hasNextPage", end < order.size());
    if (end > start) {
      long last = order.get(end - 1);
      g.writeStringField("endCursor", Base64.getEncoder().encodeToString(("cursor:" + repository
          .pullUpdatedAtSeconds(last) + ":" + last).getBytes(StandardCharsets.UTF_8)));
    } else {
      g.writeNullField("endCursor");
    }
    g.writeEndObject();
    g.writeArrayFieldStart("nodes");
    for (int i = start; i < end; i++) {
      writePullRequest(g, repository, order.get(i));
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** {@code repository.issues}: issues only, by creation or update time, with keyset cursors. */
  private void writeIssues(JsonGenerator g, SimulatedRepository repository, JsonNode variables, int first)
      throws IOException {
    boolean byUpdated = "UPDATED_AT".equals(variables.path("orderField").asText());
    boolean descending = "DESC".equals(variables.path("direction").asText());
    List<Long> order = byUpdated ? repository.issueNumbersByUpdatedDescending()
        : new ArrayList<>(repository.issueVersions().keySet());
    if (byUpdated != descending) {
      java.util.Collections.reverse(order);
    }
    int start = 0;
    String after = variables.path("after").isTextual() ? variables.path("after").asText() : null;
    if (after != null) {
      String[] key = new String(Base64.getDecoder().decode(after), StandardCharsets.UTF_8).split(":");
      long lastUpdated = Long.parseLong(key[1]);
      long lastNumber = Long.parseLong(key[2]);
      start = order.size();
      for (int i = 0; i < order.size(); i++) {
        long n = order.get(i);
        int cmp = byUpdated ? compareKeys(repository.issueUpdatedAtSeconds(n), n, lastUpdated, lastNumber)
            : Long.compare(n, lastNumber);
        if (descending ? cmp < 0 : cmp > 0) {
          start = i;
          break;
        }
      }
    }
    int end = Math.min(order.size(), start + first);
    g.writeObjectFieldStart("issues");
    g.writeObjectFieldStart("pageInfo");
    g.writeBooleanField("hasNextPage", end < order.size());
    if (end > start) {
      long last = order.get(end - 1);
      g.writeStringField("endCursor", Base64.getEncoder().encodeToString(("cursor:" + repository
          .issueUpdatedAtSeconds(last) + ":" + last).getBytes(StandardCharsets.UTF_8)));
    } else {
      g.writeNullField("endCursor");
    }
    g.writeEndObject();
    g.writeArrayFieldStart("nodes");
    for (int i = start; i < end; i++) {
      writeIssue(g, repository, order.get(i));
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private void writeIssue(JsonGenerator g, SimulatedRepository repository, long number) throws IOException {
    String state = repository.issueState(number);
    long created = repository.issueCreatedAtSeconds(number);
    g.writeStartObject();
    g.writeNumberField("databaseId", repository.databaseId() * 1_000_000 + number);
    g.writeNumberField("number", number);
    g.writeStringField("title", "Issue " + number);
    g.writeStringField("body", "Simulated issue " + number + ".");
    g.writeStringField("state", state.toUpperCase(Locale.ROOT));
    if (state.equals("closed")) {
      g.writeStringField("stateReason", issueStateReason(number).toUpperCase(Locale.ROOT));
      g.writeStringField("closedAt", Instant.ofEpochSecond(created + 1200).toString());
    } else {
      g.writeNullField("stateReason");
      g.writeNullField("closedAt");
    }
    g.writeStringField("url", "https://github.com/" + repository.fullName() + "/issues/" + number);
    g.writeStringField("createdAt", Instant.ofEpochSecond(created).toString());
    g.writeStringField("updatedAt", Instant.ofEpochSecond(repository.issueUpdatedAtSeconds(number)).toString());
    g.writeObjectFieldStart("author");
    g.writeStringField("login", repository.login((int) (number % repository.contributorCount())));
    g.writeEndObject();
    g.writeObjectFieldStart("assignees");
    g.writeArrayFieldStart("nodes");
    if (number % 5 == 0) {
      g.writeStartObject();
      g.writeStringField("login", repository.login((int) ((number + 1) % repository.contributorCount())));
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeObjectFieldStart("labels");
    g.writeArrayFieldStart("nodes");
    if (number % 4 == 0) {
      g.writeStartObject();
      g.writeStringField("name", "bug");
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
    if (number % 7 == 0) {
      g.writeObjectFieldStart("milestone");
      g.writeStringField("title", "v1.0");
      g.writeEndObject();
    } else {
      g.writeNullField("milestone");
    }
    int comments = repository.issueCommentCount(number);
    int shown = Math.min(comments, 50);
    g.writeObjectFieldStart("comments");
    g.writeNumberField("totalCount", comments);
    g.writeObjectFieldStart("pageInfo");
    g.writeBooleanField("hasNextPage", comments > shown);
    g.writeEndObject();
    g.writeArrayFieldStart("nodes");
    for (int c = 0; c < shown; c++) {
      String at = Instant.ofEpochSecond(repository.issueCommentAtSeconds(number, c)).toString();
      g.writeStartObject();
      g.writeNumberField("databaseId", repository.issueCommentId(number, c));
      g.writeStringField("body", "Comment " + c + " on #" + number);
      g.writeStringField("createdAt", at);
      g.writeStringField("updatedAt", at);
      g.writeObjectFieldStart("author");
      g.writeStringField("login", repository.login((int) ((number + c) % repository.contributorCount())));
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndObject();
  }

  private static int compareKeys(long updated, long number, long otherUpdated, long otherNumber) {
    int cmp = Long.compare(updated, otherUpdated);
    return cmp != 0 ? cmp : Long.compare(number, otherNumber);
  }

  private void writePullRequest(JsonGenerator g, SimulatedRepository repository, long number) throws IOException {
    String state = repository.pullState(number);
    long created = repository.pullCreatedAtSeconds(number);
    g.writeStartObject();
    g.writeNumberField("databaseId", repository.databaseId() * 100_000 + number);
    g.writeNumberField("number", number);
    g.writeStringField("state", state.toUpperCase(Locale.ROOT));
    g.writeStringField("title", "Pull request " + number);
    g.writeBooleanField("isDraft", number % 20 == 0);
    g.writeStringField("url", "https://github.com/" + repository.fullName() + "/pull/" + number);
    g.writeStringField("createdAt", Instant.ofEpochSecond(created).toString());
    g.writeStringField("updatedAt", Instant.ofEpochSecond(repository.pullUpdatedAtSeconds(number)).toString());
    if (state.equals("merged")) {
      g.writeStringField("mergedAt", Instant.ofEpochSecond(created + 3600).toString());
      g.writeObjectFieldStart("mergeCommit");
      g.writeStringField("oid", mergeCommit(repository, number));
      g.writeEndObject();
    } else {
      g.writeNullField("mergedAt");
      g.writeNullField("mergeCommit");
    }
    if (state.equals("open")) {
      g.writeNullField("closedAt");
    } else {
      g.writeStringField("closedAt", Instant.ofEpochSecond(created + 3600).toString());
    }
    g.writeStringField("headRefName", "feature-" + number);
    g.writeStringField("baseRefName", "main");
    g.writeObjectFieldStart("author");
    g.writeStringField("login", repository.login((int) (number % repository.contributorCount())));
    g.writeEndObject();
    g.writeObjectFieldStart("labels");
    g.writeArrayFieldStart("nodes");
    if (number % 4 == 0) {
      g.writeStartObject();
      g.writeStringField("name", "enhancement");
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
    int reviews = repository.pullReviewCount(number);
    int shown = Math.min(reviews, 50);
    g.writeObjectFieldStart("reviews");
    g.writeNumberField("totalCount", reviews);
    g.writeObjectFieldStart("pageInfo");
    g.writeBooleanField("hasNextPage", reviews > shown);
    g.writeEndObject();
    g.writeArrayFieldStart("nodes");
    for (int r = 0; r < shown; r++) {
      g.writeStartObject();
      g.writeNumberField("databaseId", repository.reviewId(number, r));
      g.writeStringField("state", repository.reviewState(number, r));
      g.writeStringField("body", "Review " + r + " of #" + number);
      g.writeStringField("submittedAt",
          Instant.ofEpochSecond(repository.reviewSubmittedAtSeconds(number, r)).toString());
      g.writeObjectFieldStart("author");
      g.writeStringField("login", repository.login((int) ((number + r + 1) % repository.contributorCount())));
      g.writeEndObject();
      g.writeObjectFieldStart("commit");
      g.writeStringField("oid", mergeCommit(repository, number + r));
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndObject();
  }

  private Response graphqlError(String type, String message, String... path) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode data = body.putObject("data");
    data.putNull(path[0]);
    ObjectNode error = body.putArray("errors").addObject();
    error.put("type", type);
    ArrayNode pathNode = error.putArray("path");
    for (String p : path) {
      pathNode.add(p);
    }
    error.putArray("locations").addObject().put("line", 2).put("column", 3);
    error.put("message", message);
    return json(200, body);
  }

  // ---------------------------------------------------------------- helpers

  private ObjectNode rateLimitBody() {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode resources = body.putObject("resources");
    for (Budget budget : List.of(core, graphql)) {
      ObjectNode node = resources.putObject(budget.resource);
      budget.describe(node);
    }
    core.describe(body.putObject("rate"));
    return body;
  }

  private Response withRateHeaders(Response response, Budget budget) {
    budget.headers(response.headers);
    return response;
  }

  private static Response json(int status, JsonNode body) {
    try {
      Response response = new Response(status, new LinkedHashMap<>(), JSON.writeValueAsBytes(body));
      response.headers.put("Content-Type", "application/json; charset=utf-8");
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Response error(int status, String message, Map<String, String> headers) {
    ObjectNode body = JSON.createObjectNode();
    body.put("message", message);
    body.put("documentation_url", DOCS);
    Response response = json(status, body);
    response.headers.putAll(headers);
    return response;
  }

  private void link(Response response, String path, Map<String, String> query, int page, int perPage, int total) {
    int last = Math.max(1, (total + perPage - 1) / perPage);
    List<String> links = new ArrayList<>();
    if (page < last) {
      links.add("<" + pageUrl(path, query, page + 1) + ">; rel=\"next\"");
      links.add("<" + pageUrl(path, query, last) + ">; rel=\"last\"");
    }
    if (page > 1) {
      links.add("<" + pageUrl(path, query, 1) + ">; rel=\"first\"");
      links.add("<" + pageUrl(path, query, page - 1) + ">; rel=\"prev\"");
    }
    if (!links.isEmpty()) {
      response.headers.put("Link", String.join(", ", links));
    }
  }

  private String pageUrl(String path, Map<String, String> query, int page) {
    Map<String, String> params = new LinkedHashMap<>(query);
    params.put("page", Integer.toString(page));
    StringBuilder url = new StringBuilder(apiBaseUrl()).append(path).append('?');
    params.forEach((k, v) -> url.append(k).append('=').append(v).append('&'));
    url.setLength(url.length() - 1);
    return url.toString();
  }

  private static int perPage(Map<String, String> query) {
    return Math.max(1, Math.min(100, Integer.parseInt(query.getOrDefault("per_page", "30"))));
  }

  private static int page(Map<String, String> query) {
    return Math.max(1, Integer.parseInt(query.getOrDefault("page", "1")));
  }

  private static String routeSuffix(String rest) {
    if (rest.isEmpty()) {
      return "";
    }
    return rest.replaceAll("/commits/[0-9a-f]{40}", "/commits/{sha}").replaceAll("/pulls/\\d+", "/pulls/{n}")
        .replaceAll("/issues/\\d+", "/issues/{n}").replaceAll("/actions/runs/\\d+", "/actions/runs/{id}")
        .replaceAll("/deployments/\\d+", "/deployments/{id}");
  }

  private void count(String route) {
    traffic.route(route);
  }

  private static Map<String, String> parseQuery(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        params.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
      } else if (!pair.isEmpty()) {
        params.put(decode(pair), "");
      }
    }
    return params;
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    response.headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.getResponseHeaders().set("X-GitHub-Api-Version-Selected", "2022-11-28");
    if (response.closeWithoutAnswer) {
      // no status line: the client reads the end of the stream where the response should start
      return;
    }
    if (response.truncate) {
      byte[] body = "[{\"sha\":\"6dcb09b5b57875f334f61aebed695e2e4193db5e\",\"commit\":{\"message\":\"cut her"
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length * 4L);
      OutputStream out = exchange.getResponseBody();
      out.write(body);
      out.flush();
      // closing now leaves the client short of Content-Length: a truncated body
      return;
    }
    if (response.status == 304 || response.status == 204 || response.body.length == 0) {
      exchange.sendResponseHeaders(response.status, -1);
      return;
    }
    exchange.sendResponseHeaders(response.status, response.body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(response.body);
    }
  }

  private static final class Response {
    final int status;
    final Map<String, String> headers;
    final byte[] body;
    boolean truncate;
    boolean closeWithoutAnswer;

    Response(int status, Map<String, String> headers, byte[] body) {
      this.status = status;
      this.headers = headers;
      this.body = body == null ? new byte[0] : body;
    }
  }


  /** A rate-limit budget with a fixed window, as GitHub's primary limits work. */
  /**
   * A token the simulator honours, with its budgets; an installation token also has an expiry and sees only its
   * installation's account.
   */
  private static final class Caller {
    final String token;
    final Budget core;
    final Budget graphql;
    final Instant expiresAt;
    final String account;

    Caller(String token, Budget core, Budget graphql, Instant expiresAt) {
      this(token, core, graphql, expiresAt, null);
    }

    Caller(String token, Budget core, Budget graphql, Instant expiresAt, String account) {
      this.token = token;
      this.core = core;
      this.graphql = graphql;
      this.expiresAt = expiresAt;
      this.account = account;
    }

    /** Whether the caller may see the owner's repositories (an installation token: its account's only). */
    boolean sees(String owner) {
      return account == null || account.equalsIgnoreCase(owner);
    }

    boolean expired() {
      return expiresAt != null && !Instant.now().isBefore(expiresAt);
    }
  }

  /**
   * GitHub App routes, authenticated by the app's JWT (RS256, verified with the registered public key, {@code iss} the
   * app id, expiring at most ten minutes after it was issued): the installation on an owner, and installation access
   * tokens, which expire after the registered lifetime and then get 401 like any bad token. Null for a request that
   * is not the app's.
   */
  private Response appRoute(String method, String path, String presented) throws IOException {
    App app = this.app;
    if (app == null || presented.chars().filter(c -> c == '.').count() != 2
        || !(path.startsWith("/app/") || path.endsWith("/installation"))) {
      return null;
    }
    count(method + " " + path.replaceAll("/\\d+/", "/{id}/").replaceAll("^/(orgs|users)/[^/]+", "/$1/{owner}"));
    String[] parts = presented.split("\\.");
    try {
      java.security.Signature verifier = java.security.Signature.getInstance("SHA256withRSA");
      verifier.initVerify(app.publicKey);
      verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      long now = Instant.now().getEpochSecond();
      if (!verifier.verify(Base64.getUrlDecoder().decode(parts[2])) || !claims.path("iss").asText()
          .equals(Long.toString(app.id)) || claims.path("exp").asLong() <= now
          || claims.path("exp").asLong() - claims.path("iat").asLong() > 600) {
        return error(401, "A JSON web token could not be decoded", Map.of());
      }
    } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
      return error(401, "A JSON web token could not be decoded", Map.of());
    }
    Matcher owner = Pattern.compile("^/(?:orgs|users)/([^/]+)/installation$").matcher(path);
    if (method.equals("GET") && owner.matches()) {
      Long id = app.installations.get(decode(owner.group(1)).toLowerCase(Locale.ROOT));
      if (id == null) {
        return error(404, "Not Found", Map.of());
      }
      ObjectNode installation = JSON.createObjectNode();
      installation.put("id", id);
      installation.put("app_id", app.id);
      installation.putObject("account").put("login", decode(owner.group(1)));
      return json(200, installation);
    }
    Matcher tokens = Pattern.compile("^/app/installations/(\\d+)/access_tokens$").matcher(path);
    if (method.equals("POST") && tokens.matches()) {
      long id = Long.parseLong(tokens.group(1));
      String account = app.installations.entrySet().stream().filter(e -> e.getValue() == id).map(Map.Entry::getKey)
          .findFirst().orElse(null);
      if (account == null) {
        return error(404, "Not Found", Map.of());
      }
      Budget[] budgets = app.budgets.computeIfAbsent(id, k -> new Budget[] {
          new Budget("core", coreLimitPerToken, coreWindowPerToken),
          new Budget("graphql", graphqlLimitPerToken, graphqlWindowPerToken)});
      String token = "ghs_" + Long.toHexString(SimulatedRepository.mix(app.issued.incrementAndGet() * 7919 + id))
          + Long.toHexString(System.nanoTime());
      Instant expires = Instant.now().plus(app.tokenLifetime);
      callers.put(token, new Caller(token, budgets[0], budgets[1], expires, account));
      ObjectNode body = JSON.createObjectNode();
      body.put("token", token);
      body.put("expires_at", expires.toString());
      body.putObject("permissions").put("contents", "read").put("metadata", "read").put("pull_requests", "read")
          .put("issues", "read").put("actions", "read").put("deployments", "read");
      body.put("repository_selection", "all");
      return json(201, body);
    }
    return error(404, "Not Found", Map.of());
  }

  /** A GitHub App: its id, public key, installations by owner, their budgets, and its tokens' lifetime. */
  private static final class App {
    final long id;
    final java.security.PublicKey publicKey;
    final Duration tokenLifetime;
    final Map<String, Long> installations = new ConcurrentHashMap<>();
    final Map<Long, Budget[]> budgets = new ConcurrentHashMap<>();
    final AtomicLong issued = new AtomicLong();

    App(long id, java.security.PublicKey publicKey, Duration tokenLifetime) {
      this.id = id;
      this.publicKey = publicKey;
      this.tokenLifetime = tokenLifetime;
    }
  }

  private static final class Budget {
    final String resource;
    final AtomicLong spent = new AtomicLong();
    private int limit;
    private Duration window;
    private int remaining;
    private long resetEpochSecond;

    Budget(String resource, int limit, Duration window) {
      this.resource = resource;
      reconfigure(limit, window);
    }

    synchronized void reconfigure(int newLimit, Duration newWindow) {
      this.limit = newLimit;
      this.window = newWindow;
      this.remaining = newLimit;
      this.resetEpochSecond = nowSeconds() + Math.max(1, newWindow.toSeconds());
    }

    synchronized boolean trySpend() {
      roll();
      if (remaining <= 0) {
        return false;
      }
      remaining--;
      spent.incrementAndGet();
      return true;
    }

    synchronized void headers(Map<String, String> headers) {
      roll();
      headers.put("x-ratelimit-limit", Integer.toString(limit));
      headers.put("x-ratelimit-remaining", Integer.toString(remaining));
      headers.put("x-ratelimit-reset", Long.toString(resetEpochSecond));
      headers.put("x-ratelimit-used", Integer.toString(limit - remaining));
      headers.put("x-ratelimit-resource", resource);
    }

    synchronized void describe(ObjectNode node) {
      roll();
      node.put("limit", limit);
      node.put("used", limit - remaining);
      node.put("remaining", remaining);
      node.put("reset", resetEpochSecond);
    }

    private void roll() {
      long now = nowSeconds();
      if (now >= resetEpochSecond) {
        remaining = limit;
        resetEpochSecond = now + Math.max(1, window.toSeconds());
      }
    }

    private static long nowSeconds() {
      return Instant.now().getEpochSecond();
    }
  }

  /** Settings of a simulator; {@link #start()} binds it to a free loopback port. */
  public static final class Builder {
    private String token;
    private Duration latency = Duration.ZERO;
    private int coreLimit = 1_000_000;
    private Duration coreWindow = Duration.ofHours(1);
    private int graphqlLimit = 1_000_000;
    private Duration graphqlWindow = Duration.ofHours(1);
    private int anonymousLimit = 60;
    private Duration anonymousWindow = Duration.ofHours(1);
    private int threads = 32;
    private int port;

    private Builder() {}

    /** Requests with any other token get 401; private repositories need this one. */
    public Builder token(String value) {
      this.token = value;
      return this;
    }

    public Builder latency(Duration value) {
      this.latency = value;
      return this;
    }

    public Builder coreRateLimit(int limit, Duration window) {
      this.coreLimit = limit;
      this.coreWindow = window;
      return this;
    }

    public Builder graphqlRateLimit(int limit, Duration window) {
      this.graphqlLimit = limit;
      this.graphqlWindow = window;
      return this;
    }

    /** The REST budget of callers without a token (GitHub: 60 an hour). */
    public Builder anonymousRateLimit(int limit, Duration window) {
      this.anonymousLimit = limit;
      this.anonymousWindow = window;
      return this;
    }

    public Builder threads(int value) {
      this.threads = value;
      return this;
    }

    public Builder port(int value) {
      this.port = value;
      return this;
    }

    public GitHubSimulator start() {
      try {
        return new GitHubSimulator(this);
      } catch (IOException e) {
        throw new UncheckedIOException("the GitHub simulator could not start", e);
      }
    }
  }

  private static JsonNode template(String name) {
    return LoopbackHttp.template(GitHubSimulator.class, name);
  }
}
