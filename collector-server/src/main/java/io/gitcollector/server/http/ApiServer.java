package io.gitcollector.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.SyncStatus;
import io.gitcollector.core.model.CollectorException;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.ErrorCode;
import io.gitcollector.core.model.MalformedWebhookException;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.WebhookDelivery;
import io.gitcollector.core.spi.Health;
import io.gitcollector.core.engine.RepositoryFilter;
import io.gitcollector.server.service.CollectionService;
import io.gitcollector.server.service.OrganizationSubscription;
import io.gitcollector.server.service.Subscription;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.List;
import java.util.ArrayList;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API on Jetty 12's core handlers (no servlet layer): health, Prometheus metrics, the OpenAPI description,
 * triggers, status, subscriptions and webhooks. Errors are {@code application/problem+json} with a precise
 * {@code detail}. Repository ids in paths are accepted with their slashes as they are or percent-encoded.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STATUS_PREFIX = "/api/v1/collect/status/";
  private static final String REPOSITORIES = "/api/v1/repositories";
  private static final String ORGANIZATIONS = "/api/v1/organizations";
  private static final String WEBHOOKS_PREFIX = "/webhooks/";
  private static final String OVERVIEW = "/api/v1/overview";
  private static final String UI_PREFIX = "/ui/";
  /** The status page's files, served from the jar (nothing is fetched from elsewhere), by name. */
  private static final Map<String, String> UI_FILES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "app.js", "text/javascript; charset=utf-8",
      "app.css", "text/css; charset=utf-8");
  /**
   * The page runs only its own script and style, talks only to this server, and is never framed: a pasted token
   * cannot be read by anything the page did not bring.
   */
  private static final String UI_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
      + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  /** The longest subscription interval: a year. */
  private static final Duration MAX_INTERVAL = Duration.ofDays(365);

  private final GitCollector collector;
  private final CollectionService service;
  private final PrometheusMeterRegistry metrics;
  private final JwtAuthenticator authenticator;
  private final boolean metricsPublic;
  private final int maxWebhookBytes;
  private final java.util.concurrent.Semaphore webhookBytesInFlight;
  private final long webhookInflightBytes;
  private final Server server;
  private final ServerConnector connector;
  private final byte[] openApi;

  /**
   * How much webhook intake may hold in memory: the largest body, and the bytes of all bodies being read or handled
   * at once (past which a delivery gets {@code 503} with {@code Retry-After}, so unsigned floods cannot exhaust the
   * heap).
   */
  public record WebhookLimits(int maxBodyBytes, long inFlightBytes) {
    public WebhookLimits {
      if (maxBodyBytes < 1 || inFlightBytes < maxBodyBytes || inFlightBytes > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("need 0 < maxBodyBytes <= inFlightBytes <= 2^31-1, was " + maxBodyBytes
            + " and " + inFlightBytes);
      }
    }
  }

  public ApiServer(GitCollector collector, CollectionService service, PrometheusMeterRegistry metrics,
      JwtAuthenticator authenticator, boolean metricsPublic, WebhookLimits webhookLimits, String host, int port) {
    this.collector = collector;
    this.service = service;
    this.metrics = metrics;
    this.authenticator = authenticator;
    this.metricsPublic = metricsPublic;
    this.maxWebhookBytes = webhookLimits.maxBodyBytes();
    this.webhookInflightBytes = webhookLimits.inFlightBytes();
    this.webhookBytesInFlight = new java.util.concurrent.Semaphore((int) webhookLimits.inFlightBytes());
    this.openApi = resource("/openapi.json");
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("collector-http");
    this.server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    // repository ids contain slashes; clients that percent-encode them (%2F) must not get a 400
    http.setUriCompliance(UriCompliance.DEFAULT.with("repository-ids",
        UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
    this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setErrorHandler(new ProblemErrorHandler());
    io.micrometer.jetty12.server.TimedHandler timed = new io.micrometer.jetty12.server.TimedHandler(metrics,
        io.micrometer.core.instrument.Tags.empty(), ServerMetrics.routeTags());
    server.setHandler(timed);
    io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics.addToAllConnectors(server, metrics);
    new io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics(threads,
        io.micrometer.core.instrument.Tags.empty()).bindTo(metrics);
    io.micrometer.core.instrument.Gauge.builder("git_collector_webhook_in_flight",
            () -> webhookInflightBytes - webhookBytesInFlight.availablePermits())
        .description("bytes of webhook deliveries being read or verified; at WEBHOOK_INFLIGHT_BYTES deliveries are"
            + " refused with 503").baseUnit("bytes").register(metrics);
    io.micrometer.core.instrument.Gauge.builder("git_collector_webhook_in_flight_limit", () -> webhookInflightBytes)
        .description("WEBHOOK_INFLIGHT_BYTES: the webhook bytes in flight at which deliveries are refused")
        .baseUnit("bytes").register(metrics);
    io.micrometer.core.instrument.Gauge.builder("git_collector_sink_up",
            () -> collector.sink().health().status() == io.gitcollector.core.spi.Health.Status.DOWN ? 0 : 1)
        .description("0 while the sink reports itself down (as /health does), else 1 (a sink that cannot tell"
            + " counts as up)").register(metrics);
    io.micrometer.core.instrument.Gauge.builder("git_collector_state_store_up",
            () -> collector.stateStore().health().status() == io.gitcollector.core.spi.Health.Status.DOWN ? 0 : 1)
        .description("0 while the state store reports itself down (as /health does), else 1").register(metrics);
    timed.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        Reply reply;
        try {
          reply = route(request);
        } catch (RuntimeException e) {
          LOG.error("unexpected failure on {} {}", request.getMethod(), request.getHttpURI().getPath(), e);
          reply = Reply.problem(500, "Internal Server Error", "the server failed to handle the request");
        }
        response.setStatus(reply.status);
        if (reply.contentType != null) {
          response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType);
        }
        reply.headers.forEach((k, v) -> response.getHeaders().put(k, v));
        if (request.getMethod().equals("HEAD")) {
          response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body.length);
          response.write(true, null, callback);
        } else {
          response.write(true, ByteBuffer.wrap(reply.body), callback);
        }
        return true;
      }
    });
  }

  public ApiServer start() {
    try {
      server.start();
    } catch (Exception e) {
      throw new io.gitcollector.core.model.InvalidConfigurationException("the HTTP server cannot listen on port "
          + connector.getPort() + ": " + e.getMessage(), e);
    }
    return this;
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** Stops taking requests; requests in progress finish. */
  @Override
  public void close() {
    try {
      server.setStopTimeout(5_000);
      server.stop();
    } catch (Exception e) {
      LOG.warn("the HTTP server did not stop cleanly: {}", e.getMessage());
    }
    io.micrometer.core.instrument.Metrics.removeRegistry(metrics);
  }

  // ------------------------------------------------------------------ routing

  /** Who may call an endpoint. */
  private enum Access {
    PUBLIC, READ, TRIGGER,
    /** {@code collect:read} unless {@code METRICS_PUBLIC}. */
    METRICS
  }

  /** What answers one method of a route; {@code parameter} is the decoded part of the path after the route's prefix. */
  @FunctionalInterface
  private interface Answer {
    Reply handle(ApiServer server, Request request, String parameter);
  }

  private record Endpoint(String method, Access access, Answer answer) {}

  /**
   * A route: a template (exact, or a prefix and one {@code {parameter}} for the rest of the path) and its endpoints.
   * It answers HEAD wherever it answers GET.
   */
  private record Route(String template, List<Endpoint> endpoints) {
    String prefix() {
      int brace = template.indexOf('{');
      return brace < 0 ? template : template.substring(0, brace);
    }

    boolean matches(String path) {
      return template.indexOf('{') < 0 ? path.equals(template) : path.startsWith(prefix());
    }

    List<String> methods() {
      List<String> methods = new ArrayList<>();
      endpoints.forEach(endpoint -> {
        methods.add(endpoint.method());
        if (endpoint.method().equals("GET")) {
          methods.add("HEAD");
        }
      });
      return methods;
    }

    Optional<Endpoint> endpoint(String method) {
      String answered = method.equals("HEAD") ? "GET" : method;
      return endpoints.stream().filter(endpoint -> endpoint.method().equals(answered)).findFirst();
    }
  }

  private static Route route(String template, Endpoint... endpoints) {
    return new Route(template, List.of(endpoints));
  }

  private static Endpoint get(Access access, Answer answer) {
    return new Endpoint("GET", access, answer);
  }

  private static Endpoint post(Access access, Answer answer) {
    return new Endpoint("POST", access, answer);
  }

  private static Endpoint delete(Access access, Answer answer) {
    return new Endpoint("DELETE", access, answer);
  }

  /**
   * Every route the server answers, in one place: what metrics tag requests with, what 405 answers list in
   * {@code Allow}, what the OpenAPI document must describe, and what handles each method with which scope.
   */
  private static final List<Route> ROUTES = List.of(
      route("/", get(Access.PUBLIC, (server, request, none) -> uiFile("index.html"))),
      route(UI_PREFIX + "{file}", get(Access.PUBLIC, (server, request, file) -> uiFile(file))),
      route("/health", get(Access.PUBLIC, (server, request, none) -> server.health())),
      route("/metrics", get(Access.METRICS, (server, request, none) -> new Reply(200,
          "text/plain; version=0.0.4; charset=utf-8", server.metrics.scrape().getBytes(StandardCharsets.UTF_8)))),
      route("/openapi.json", get(Access.PUBLIC,
          (server, request, none) -> new Reply(200, "application/json", server.openApi))),
      route(WEBHOOKS_PREFIX + "{platform}", post(Access.PUBLIC, ApiServer::webhook)),
      route(OVERVIEW, get(Access.READ, (server, request, none) -> server.overview())),
      route("/api/v1/collect/trigger", post(Access.TRIGGER, (server, request, none) -> server.trigger(request))),
      route(STATUS_PREFIX + "{repository_id}",
          get(Access.READ, (server, request, id) -> server.status(server.repositoryId(id)))),
      route(REPOSITORIES,
          get(Access.READ, (server, request, none) -> server.subscriptions()),
          post(Access.TRIGGER, (server, request, none) -> server.subscribe(request))),
      route(REPOSITORIES + "/{repository_id}",
          delete(Access.TRIGGER, (server, request, id) -> server.unsubscribe(server.repositoryId(id)))),
      route(ORGANIZATIONS,
          get(Access.READ, (server, request, none) -> server.organizations()),
          post(Access.TRIGGER, (server, request, none) -> server.follow(request))),
      route(ORGANIZATIONS + "/{organization_id}",
          get(Access.READ, (server, request, id) -> server.organization(server.organizationId(id))),
          delete(Access.TRIGGER, (server, request, id) -> server.unfollow(server.organizationId(id)))));

  private static Optional<Route> routeFor(String path) {
    return ROUTES.stream().filter(route -> route.matches(path)).findFirst();
  }

  /** The route a path takes, as a template (metrics tag requests with it, never with the path's own ids). */
  static String routeOf(String path) {
    return routeFor(path).map(Route::template).orElse("other");
  }

  /** Every route the server answers, as a template, with its methods (what the OpenAPI document must describe). */
  public static Map<String, List<String>> routes() {
    Map<String, List<String>> routes = new LinkedHashMap<>();
    ROUTES.forEach(route -> routes.put(route.template(), route.methods()));
    return routes;
  }

  private Reply route(Request request) {
    String path = request.getHttpURI().getPath();
    if (path == null) {
      path = "/";
    }
    Optional<Route> route = routeFor(path);
    if (route.isEmpty()) {
      return Reply.problem(404, "Not Found", "no route for " + request.getMethod() + " " + path);
    }
    Optional<Endpoint> endpoint = route.get().endpoint(request.getMethod());
    if (endpoint.isEmpty()) {
      List<String> allowed = route.get().methods();
      Reply reply = Reply.problem(405, "Method Not Allowed", path + " answers " + String.join(", ", allowed)
          + ", not " + request.getMethod());
      reply.headers.put("Allow", String.join(", ", allowed));
      return reply;
    }
    Reply refused = switch (endpoint.get().access()) {
      case PUBLIC -> null;
      case READ -> authorize(request, JwtAuthenticator.READ);
      case TRIGGER -> authorize(request, JwtAuthenticator.TRIGGER);
      case METRICS -> metricsPublic ? null : authorize(request, JwtAuthenticator.READ);
    };
    if (refused != null) {
      return refused;
    }
    try {
      // HEAD is answered as GET is, without the body (the handler drops it)
      String parameter = route.get().template().indexOf('{') < 0 ? ""
          : decode(path.substring(route.get().prefix().length()));
      return endpoint.get().answer().handle(this, request, parameter);
    } catch (BadRequest e) {
      return Reply.problem(400, "Bad Request", e.getMessage());
    } catch (CollectionService.ShuttingDownException e) {
      return Reply.problem(503, "Service Unavailable", e.getMessage());
    } catch (CollectorException e) {
      return collectorError(e);
    }
  }

  private Reply subscriptions() {
    return listed("repositories", service.subscriptions().stream().map(Subscription::json).toList());
  }

  /** {@code {"<field>": [ … ]}}: how the API lists things. */
  private static Reply listed(String field, List<ObjectNode> items) {
    ObjectNode body = JSON.createObjectNode();
    body.putArray(field).addAll(items);
    return Reply.json(200, body);
  }

  private Reply unsubscribe(String repositoryId) {
    return service.unsubscribe(repositoryId) ? Reply.noContent()
        : Reply.problem(404, "Not Found", "no subscription for repository '" + repositoryId + "'");
  }

  private Reply organizations() {
    return listed("organizations", service.organizations().stream().map(OrganizationSubscription::json).toList());
  }

  private Reply organization(String organizationId) {
    return service.organization(organizationId).map(o -> Reply.json(200, organizationView(o)))
        .orElseGet(() -> notFollowed(organizationId));
  }

  private Reply unfollow(String organizationId) {
    return service.unfollow(organizationId) ? Reply.noContent() : notFollowed(organizationId);
  }

  private static Reply notFollowed(String organizationId) {
    return Reply.problem(404, "Not Found", "organization '" + organizationId + "' is not followed");
  }

  /**
   * The caller's token checked for a scope; null when it may go on. Challenges follow RFC 6750: no error code when no
   * token was sent, {@code invalid_token} for one that cannot be used, {@code insufficient_scope} (403) for one that
   * lacks the scope.
   */
  private Reply authorize(Request request, String scope) {
    Optional<String> authorization = Optional.ofNullable(request.getHeaders().get(HttpHeader.AUTHORIZATION));
    try {
      JwtAuthenticator.Caller caller = authenticator.authenticate(authorization);
      if (!caller.scopes().contains(scope)) {
        Reply reply = Reply.problem(403, "Forbidden", "the token lacks the scope '" + scope + "'");
        reply.headers.put("WWW-Authenticate", "Bearer realm=\"git-collector\", error=\"insufficient_scope\", scope=\""
            + scope + "\"");
        return reply;
      }
      return null;
    } catch (JwtAuthenticator.InvalidTokenException e) {
      Reply reply = Reply.problem(401, "Unauthorized", e.getMessage());
      reply.headers.put("WWW-Authenticate", authorization.isEmpty() ? "Bearer realm=\"git-collector\""
          : "Bearer realm=\"git-collector\", error=\"invalid_token\"");
      return reply;
    }
  }

  // ------------------------------------------------------------------ handlers

  /**
   * The real state of each component, each asked with a short timeout: 503 naming what is down when the sink, the
   * state store or (with several instances) the shared job queue is.
   */
  private Reply health() {
    ObjectNode body = JSON.createObjectNode();
    body.put("version", io.gitcollector.server.BuildInfo.version());
    body.put("timestamp", Instant.now().toString());
    List<String> down = new ArrayList<>();
    component(body, "sink", collector.sink().describe(), collector.sink().health(), down);
    component(body, "state_store", collector.stateStore().describe(), collector.stateStore().health(), down);
    service.queueHealth().ifPresent(queue -> component(body, "job_queue", "shared job queue", queue, down));
    service.recovery().ifPresent(recovery -> {
      ObjectNode node = ((ObjectNode) body.get("job_queue")).putObject("recovery");
      node.put("epoch_known", recovery.epochKnown());
      node.put("subscriptions_remembered", recovery.subscriptionsRemembered());
    });
    body.put("status", down.isEmpty() ? "ok" : "degraded");
    if (!down.isEmpty()) {
      body.put("down", String.join(", ", down));
    }
    return Reply.json(down.isEmpty() ? 200 : 503, body);
  }

  private static void component(ObjectNode body, String name, String description, Health health, List<String> down) {
    ObjectNode node = body.putObject(name);
    node.put("status", health.status().name().toLowerCase(Locale.ROOT));
    node.put("description", description);
    node.put("detail", health.detail());
    if (health.isDown()) {
      down.add(name);
    }
  }

  /**
   * The status page's files. They are public (the page asks for a token and sends it with its API calls, which
   * check it); only the files named in {@link #UI_FILES} exist, so no path reaches anything else in the jar.
   */
  private static Reply uiFile(String name) {
    String contentType = UI_FILES.get(name);
    if (contentType == null) {
      return Reply.problem(404, "Not Found", "the status page has no file '" + abbreviate(name) + "'; files: "
          + new java.util.TreeSet<>(UI_FILES.keySet()));
    }
    Reply reply = new Reply(200, contentType, UI_CONTENT.computeIfAbsent(name,
        file -> resource("/io/gitcollector/server/ui/" + file)));
    reply.headers.put("Content-Security-Policy", UI_POLICY);
    reply.headers.put("X-Content-Type-Options", "nosniff");
    reply.headers.put("Referrer-Policy", "no-referrer");
    reply.headers.put("Cache-Control", "no-cache");
    return reply;
  }

  private static final Map<String, byte[]> UI_CONTENT = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * {@code GET /api/v1/overview}: everything the status page shows, in one answer: each repository's status with its
   * subscription and activity per day, the collections running on this instance, each token's rate-limit budgets
   * (by fingerprint, never the token) and the latest failures.
   */
  private Reply overview() {
    ObjectNode body = JSON.createObjectNode();
    body.put("version", io.gitcollector.server.BuildInfo.version());
    body.put("now", Instant.now().toString());
    Map<String, io.gitcollector.server.service.CollectionBoard.Activity> activities = service.board().activities();
    ArrayNode days = body.putArray("activity_days");
    service.board().days().forEach(day -> days.add(day.toString()));
    Map<String, Subscription> subscribed = new LinkedHashMap<>();
    service.subscriptions().forEach(s -> subscribed.put(s.repositoryId(), s));
    ArrayNode repositories = body.putArray("repositories");
    service.statuses().forEach((repositoryId, status) -> {
      ObjectNode node = statusJson(repositories.addObject(), repositoryId, status);
      Subscription subscription = subscribed.get(repositoryId);
      node.set("subscription", subscription == null ? node.nullNode() : subscription.json());
      ObjectNode activity = node.putObject("activity");
      Optional.ofNullable(activities.get(repositoryId)).ifPresent(a -> a.series().forEach((series, perDay) -> {
        ArrayNode values = activity.putArray(series);
        perDay.forEach(values::add);
      }));
    });
    ArrayNode running = body.putArray("running");
    service.board().running().forEach(progress -> {
      ObjectNode node = running.addObject();
      node.put("repository_id", progress.repositoryId());
      node.put("mode", progress.mode().name().toLowerCase(Locale.ROOT));
      ArrayNode kinds = node.putArray("kinds");
      progress.kinds().forEach(kinds::add);
      node.put("started", progress.started().toString());
      node.put("elapsed_seconds", progress.elapsed().toMillis() / 1000.0);
      node.put("pages", progress.pages());
      node.put("entities", progress.entities());
      node.put("entities_per_second", Math.round(progress.ratePerSecond() * 10) / 10.0);
      progress.percent().ifPresent(percent -> node.put("percent", Math.round(percent * 10) / 10.0));
      progress.eta().ifPresent(eta -> node.put("eta_seconds", eta.toSeconds()));
      ArrayNode streams = node.putArray("streams");
      progress.streams().forEach(stream -> {
        ObjectNode streamNode = streams.addObject().put("stream", stream.stream()).put("pages", stream.pages())
            .put("entities", stream.entities());
        stream.remaining().ifPresent(remaining -> streamNode.put("remaining", remaining));
      });
    });
    ArrayNode budgets = body.putArray("budgets");
    collector.budgets().forEach(budget -> budgets.addObject().put("platform", budget.platformId())
        .put("api", budget.api()).put("token", budget.token()).put("resource", budget.resource())
        .put("limit", budget.limit()).put("remaining", budget.remaining()).put("reset", budget.reset().toString()));
    ArrayNode failures = body.putArray("failures");
    service.board().failures().forEach(failure -> failures.addObject().put("repository_id", failure.repositoryId())
        .put("at", failure.at().toString()).put("error", failure.error()));
    return Reply.json(200, body);
  }

  private Reply trigger(Request request) {
    JsonNode body = jsonBody(request);
    String url = requiredText(body, "repository_url");
    JsonNode full = body.path("full_sync");
    if (!full.isMissingNode() && !full.isBoolean()) {
      throw new BadRequest("'full_sync' must be true or false");
    }
    CollectionService.Triggered triggered;
    try {
      triggered = service.trigger(url, full.asBoolean(false), kinds(body));
    } catch (io.gitcollector.core.model.MalformedRepositoryUrlException e) {
      throw new BadRequest("'repository_url' is not a repository URL: " + e.getMessage());
    }
    ObjectNode reply = JSON.createObjectNode();
    reply.put("status", "queued");
    reply.put("message", triggered.joinedExisting()
        ? "a collection of this repository was already queued or running; this trigger joins it"
        : (full.asBoolean(false) ? "full" : "incremental") + " collection queued");
    reply.put("repository_url", url);
    reply.put("repository_id", triggered.repositoryId());
    return Reply.json(202, reply);
  }

  private Reply status(String repositoryId) {
    if (!service.knows(repositoryId)) {
      return Reply.problem(404, "Not Found", "repository '" + repositoryId + "' was never collected, queued or"
          + " subscribed");
    }
    return Reply.json(200, statusJson(JSON.createObjectNode(), repositoryId, service.status(repositoryId)));
  }

  /** A repository's status as the API gives it (the status route, and each repository of the overview). */
  private static ObjectNode statusJson(ObjectNode node, String repositoryId, CollectionService.Status status) {
    SyncStatus sync = status.sync();
    node.put("repository_id", repositoryId);
    node.put("status", status.state());
    putInstant(node, "last_sync", sync.lastSync());
    putInstant(node, "next_sync", status.nextSync());
    putInstant(node, "last_started", sync.lastStarted());
    node.put("last_error", sync.lastError().orElse(null));
    ObjectNode counts = node.putObject("last_counts");
    sync.lastCounts().forEach(counts::put);
    return node;
  }

  /**
   * The optional {@code kinds} of a request: an array of kind names ({@code ["issues", "ci_runs"]}, the names
   * {@code --kinds} takes); absent or {@code null}: every kind the platform serves.
   */
  private static Optional<Set<EntityKind>> kinds(JsonNode body) {
    JsonNode kinds = body.path("kinds");
    if (kinds.isMissingNode() || kinds.isNull()) {
      return Optional.empty();
    }
    if (!kinds.isArray() || kinds.isEmpty()) {
      throw new BadRequest("'kinds' must be a non-empty array of kind names such as [\"commits\", \"issues\"];"
          + " kinds: " + EntityKind.collectedKinds().stream().map(EntityKind::stream).toList());
    }
    List<String> names = new ArrayList<>();
    for (JsonNode name : kinds) {
      if (!name.isTextual() || name.asText().contains(",")) {
        throw new BadRequest("'kinds' must hold kind names, was " + abbreviate(name.toString()));
      }
      names.add(name.asText());
    }
    try {
      return Optional.of(EntityKind.parse(String.join(",", names), "'kinds'"));
    } catch (io.gitcollector.core.model.InvalidConfigurationException e) {
      throw new BadRequest(e.getMessage());
    }
  }

  private Reply subscribe(Request request) {
    JsonNode body = jsonBody(request);
    String url = requiredText(body, "url");
    Optional<Duration> interval = duration(body, "interval");
    Subscription subscription;
    try {
      subscription = service.subscribe(url, interval, kinds(body));
    } catch (io.gitcollector.core.model.MalformedRepositoryUrlException e) {
      throw new BadRequest("'url' is not a repository URL: " + e.getMessage());
    }
    return Reply.json(201, subscription.json());
  }

  /**
   * An optional duration field: whole seconds from 60 to {@link #MAX_INTERVAL}, or an ISO-8601 duration in that
   * range ({@code PT30M}); absent or {@code null}: empty.
   */
  private static Optional<Duration> duration(JsonNode body, String field) {
    JsonNode every = body.path(field);
    if (every.isNumber()) {
      if (!every.isIntegralNumber() || !every.canConvertToLong() || every.asLong() < 60
          || every.asLong() > MAX_INTERVAL.toSeconds()) {
        throw new BadRequest("'" + field + "' must be a whole number of seconds from 60 to "
            + MAX_INTERVAL.toSeconds() + ", was " + abbreviate(every.toString()));
      }
      return Optional.of(Duration.ofSeconds(every.asLong()));
    }
    if (every.isTextual()) {
      Duration parsed;
      try {
        parsed = Duration.parse(every.asText());
      } catch (DateTimeParseException | ArithmeticException e) {
        throw new BadRequest("'" + field + "' must be seconds or an ISO-8601 duration such as PT30M, was '"
            + abbreviate(every.asText()) + "'");
      }
      if (parsed.compareTo(Duration.ofMinutes(1)) < 0 || parsed.compareTo(MAX_INTERVAL) > 0) {
        throw new BadRequest("'" + field + "' must be from PT1M to " + MAX_INTERVAL + ", was " + parsed);
      }
      return Optional.of(parsed);
    }
    if (!every.isMissingNode() && !every.isNull()) {
      throw new BadRequest("'" + field + "' must be seconds or an ISO-8601 duration such as PT30M");
    }
    return Optional.empty();
  }

  /**
   * {@code POST /api/v1/organizations}: follows an organization (group, workspace) with an optional {@code filter}
   * ({@code include}, {@code exclude}: name patterns; {@code forks}, {@code archived}: booleans; {@code visibility},
   * {@code topics}: lists), the {@code interval} of its repositories, how often it is listed
   * ({@code discovery_interval}), how often an archived repository is synced ({@code archived_interval}) and
   * {@code kinds}. 202: the first listing is queued; {@code GET} on the returned location shows its outcome.
   */
  private Reply follow(Request request) {
    JsonNode body = jsonBody(request);
    String url = requiredText(body, "url");
    RepositoryFilter filter = filter(body.path("filter"));
    OrganizationSubscription organization;
    try {
      organization = service.follow(url, filter, duration(body, "interval"), duration(body, "discovery_interval"),
          duration(body, "archived_interval"), kinds(body));
    } catch (io.gitcollector.core.model.MalformedRepositoryUrlException e) {
      throw new BadRequest("'url' is not an organization URL: " + e.getMessage());
    }
    Reply reply = Reply.json(202, organizationView(organization));
    reply.headers.put("Location", ORGANIZATIONS + "/" + organization.organizationId());
    return reply;
  }

  private static RepositoryFilter filter(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return RepositoryFilter.all();
    }
    if (!node.isObject()) {
      throw new BadRequest("'filter' must be an object with include, exclude, forks, archived, visibility, topics");
    }
    java.util.Set<String> known = java.util.Set.of("include", "exclude", "forks", "archived", "visibility", "topics");
    node.fieldNames().forEachRemaining(name -> {
      if (!known.contains(name)) {
        throw new BadRequest("'filter." + abbreviate(name) + "' is not a filter; filters: " + new java.util.TreeSet<>(
            known));
      }
    });
    try {
      return RepositoryFilter.builder().include(strings(node, "include")).exclude(strings(node, "exclude"))
          .forks(flag(node, "forks")).archived(flag(node, "archived")).visibility(strings(node, "visibility"))
          .topics(strings(node, "topics")).build();
    } catch (io.gitcollector.core.model.InvalidConfigurationException e) {
      throw new BadRequest("'filter': " + e.getMessage());
    }
  }

  private static String[] strings(JsonNode filter, String field) {
    JsonNode values = filter.path(field);
    if (values.isMissingNode() || values.isNull()) {
      return new String[0];
    }
    if (!values.isArray()) {
      throw new BadRequest("'filter." + field + "' must be an array of strings");
    }
    List<String> texts = new ArrayList<>();
    for (JsonNode value : values) {
      if (!value.isTextual()) {
        throw new BadRequest("'filter." + field + "' must hold strings, was " + abbreviate(value.toString()));
      }
      texts.add(value.asText());
    }
    return texts.toArray(String[]::new);
  }

  private static boolean flag(JsonNode filter, String field) {
    JsonNode value = filter.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return true;
    }
    if (!value.isBoolean()) {
      throw new BadRequest("'filter." + field + "' must be true or false");
    }
    return value.asBoolean();
  }

  /**
   * An organization's subscription with how many repositories it brought and, once a pass made a plan, their
   * progress against it.
   */
  private ObjectNode organizationView(OrganizationSubscription organization) {
    ObjectNode node = organization.json();
    node.put("repositories", service.subscriptions().stream()
        .filter(s -> s.organizationId().equals(Optional.of(organization.organizationId()))).count());
    node.set("progress", service.progress(organization).<com.fasterxml.jackson.databind.JsonNode>map(p -> p)
        .orElse(node.nullNode()));
    return node;
  }

  /** An organization id from a path: {@code <platform>:<host>/<path>} with an installed platform. */
  private String organizationId(String text) {
    int colon = text.indexOf(':');
    if (colon < 1 || !collector.platformIds().contains(text.substring(0, colon))) {
      throw new BadRequest("'organization_id' must be <platform>:<host>/<path> with an installed platform ("
          + collector.platformIds() + "), was '" + abbreviate(text) + "'");
    }
    try {
      return io.gitcollector.core.model.OrganizationRef.parse("https://" + text.substring(colon + 1))
          .organizationId(text.substring(0, colon));
    } catch (io.gitcollector.core.model.MalformedRepositoryUrlException e) {
      throw new BadRequest("'organization_id' is not an organization id: " + e.getMessage());
    }
  }

  /**
   * A delivery is refused before its body is read when the platform is unknown, when it lacks the platform's
   * signature or token header, or when its declared length is over the limit; its bytes are reserved from the
   * in-flight budget while it is read and handled.
   */
  private Reply webhook(Request request, String platformId) {
    if (!collector.platformIds().contains(platformId)) {
      return Reply.problem(404, "Not Found", "no platform '" + platformId + "' is installed; webhooks are received"
          + " on " + collector.platformIds().stream().map(id -> WEBHOOKS_PREFIX + id).toList());
    }
    Optional<String> authentication = collector.webhookAuthenticationHeader(platformId);
    if (authentication.isPresent() && request.getHeaders().get(authentication.get()) == null) {
      return Reply.problem(401, "Unauthorized", "the delivery has no " + authentication.get() + " header");
    }
    long declared = request.getLength();
    if (declared > maxWebhookBytes) {
      // read and drop (never keep) what a platform sending too much sends, so that it reads the answer instead of a
      // connection reset under its feet (closing with body bytes unread resets it); beyond four times the limit, or
      // 1 MiB, the answer goes out and the connection is closed
      discard(request, Math.max(4L * maxWebhookBytes, 1L << 20));
      return Reply.problem(413, "Content Too Large", "webhook bodies are limited to " + maxWebhookBytes + " bytes");
    }
    int reserved = declared >= 0 ? (int) declared : maxWebhookBytes;
    if (!webhookBytesInFlight.tryAcquire(reserved)) {
      Reply busy = Reply.problem(503, "Service Unavailable", "webhook bodies being received exceed "
          + webhookInflightBytes + " bytes; retry shortly");
      busy.headers.put("Retry-After", "1");
      return busy;
    }
    try {
      byte[] body;
      try (InputStream in = Content.Source.asInputStream(request)) {
        body = in.readNBytes(Math.min(reserved, maxWebhookBytes) + 1);
      } catch (IOException e) {
        return Reply.problem(400, "Bad Request", "the delivery body could not be read: " + e.getMessage());
      }
      if (body.length > maxWebhookBytes || (declared < 0 && body.length > reserved)) {
        return Reply.problem(413, "Content Too Large", "webhook bodies are limited to " + maxWebhookBytes
            + " bytes");
      }
      Map<String, String> headers = new LinkedHashMap<>();
      request.getHeaders().forEach(field -> headers.putIfAbsent(field.getName(), field.getValue()));
      try {
        CollectionService.DeliveryOutcome outcome = service.accept(platformId, new WebhookDelivery(headers, body));
        ObjectNode reply = JSON.createObjectNode();
        reply.put("status", outcome.name().toLowerCase(Locale.ROOT));
        return Reply.json(202, reply);
      } catch (CollectionService.ShuttingDownException e) {
        return Reply.problem(503, "Service Unavailable", e.getMessage());
      } catch (MalformedWebhookException e) {
        // authentic, but unreadable: the sender's request is bad
        return Reply.problem(400, "Bad Request", e.getMessage());
      } catch (CollectorException e) {
        if (e.code().equals(ErrorCode.INVALID_WEBHOOK)) {
          return Reply.problem(401, "Unauthorized", e.getMessage());
        }
        if (e.code().equals(ErrorCode.UNKNOWN_PLATFORM)) {
          return Reply.problem(404, "Not Found", e.getMessage());
        }
        return collectorError(e);
      }
    } finally {
      webhookBytesInFlight.release(reserved);
    }
  }

  private static void discard(Request request, long limit) {
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] buffer = new byte[16 * 1024];
      long dropped = 0;
      int read;
      while (dropped < limit && (read = in.read(buffer, 0, (int) Math.min(buffer.length, limit - dropped))) > 0) {
        dropped += read;
      }
    } catch (IOException e) {
      // the client went away: nothing to answer
    }
  }

  private static Reply collectorError(CollectorException e) {
    return switch (e.code().name()) {
      case "MALFORMED_URL", "INVALID_CONFIGURATION" -> Reply.problem(400, "Bad Request", e.getMessage());
      case "UNKNOWN_PLATFORM" -> Reply.problem(422, "Unprocessable Content", e.getMessage());
      // a dependency that is down: the client may try again later
      case "SINK_FAILED", "STATE_STORE_FAILED", "PLATFORM_UNAVAILABLE" -> {
        Reply reply = Reply.problem(503, "Service Unavailable", e.getMessage());
        reply.headers.put("Retry-After", "5");
        yield reply;
      }
      default -> Reply.problem(500, "Internal Server Error", e.getMessage());
    };
  }

  private static void putInstant(ObjectNode node, String field, Optional<Instant> value) {
    if (value.isPresent()) {
      node.put(field, value.get().toString());
    } else {
      node.putNull(field);
    }
  }

  private static JsonNode jsonBody(Request request) {
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] bytes = in.readNBytes(64 * 1024 + 1);
      if (bytes.length > 64 * 1024) {
        throw new BadRequest("the request body is larger than 64 KiB");
      }
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new BadRequest("the request body must be a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new BadRequest("the request body is not valid JSON");
    }
  }

  private static String requiredText(JsonNode body, String field) {
    JsonNode value = body.path(field);
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new BadRequest("'" + field + "' is required and must be a string");
    }
    return value.asText();
  }

  /** Percent-decodes a path part; '+' stays '+' in paths. */
  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("the path is not valid percent-encoding: " + e.getMessage());
    }
  }

  /**
   * A repository id from a path, checked like the URLs it comes from: {@code <platform>:<host>/<path>} with an
   * installed platform and a path a repository URL could have (segments of at most 100 characters, at most 21 of
   * them), so that nothing of unbounded length reaches the state store.
   */
  private String repositoryId(String text) {
    int colon = text.indexOf(':');
    if (colon < 1 || !collector.platformIds().contains(text.substring(0, colon))) {
      throw new BadRequest("'repository_id' must be <platform>:<host>/<path> with an installed platform ("
          + collector.platformIds() + "), was '" + abbreviate(text) + "'");
    }
    try {
      RepositoryRef ref = RepositoryRef.parse("https://" + text.substring(colon + 1));
      return ref.repositoryId(text.substring(0, colon));
    } catch (io.gitcollector.core.model.MalformedRepositoryUrlException e) {
      throw new BadRequest("'repository_id' is not a repository id: " + e.getMessage());
    }
  }

  private static String abbreviate(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "…" : text;
  }

  private static byte[] resource(String name) {
    try (InputStream in = ApiServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + name, e);
    }
  }

  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }

  private static final class Reply {
    final int status;
    final String contentType;
    final byte[] body;
    final Map<String, String> headers = new LinkedHashMap<>();

    Reply(int status, String contentType, byte[] body) {
      this.status = status;
      this.contentType = contentType;
      this.body = body;
    }

    /** {@code 204}: no body, so no content type. */
    static Reply noContent() {
      return new Reply(204, null, new byte[0]);
    }

    static Reply json(int status, JsonNode body) {
      return new Reply(status, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Reply problem(int status, String title, String detail) {
      ObjectNode body = JSON.createObjectNode();
      body.put("type", "about:blank");
      body.put("title", title);
      body.put("status", status);
      body.put("detail", detail);
      return new Reply(status, "application/problem+json", body.toString().getBytes(StandardCharsets.UTF_8));
    }
  }
}
