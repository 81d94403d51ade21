package io.gitcollector.testkit.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.gitcollector.testkit.github.Fault;
import io.gitcollector.testkit.http.LoopbackHttp;
import io.gitcollector.testkit.http.SimulatorTraffic;
import io.gitcollector.testkit.http.SimulatorTraffic.Reply;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bitbucket Cloud's 2.0 REST API on 127.0.0.1 for synthetic repositories: repository, commits (by revision, and
 * {@code include}/{@code exclude}), diffstat, pull requests with {@code state}, {@code q}, {@code sort} and
 * {@code fields=+values.participants}, and pull-request comments; {@code next}-link pagination; 404s, 401s, latency,
 * injected 429s and 500s. Bodies come from Bitbucket's OpenAPI examples and webhook payloads (bundled templates).
 *
 * <p>A simulated pull request's reviews map to Bitbucket as they do on the real platform: an approval or a request for
 * changes is a participant's state, a comment is a comment.
 */
public final class BitbucketSimulator implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REPO = Pattern.compile("^/2\\.0/repositories/([^/]+)/([^/]+)(/.*)?$");
  private static final Pattern WORKSPACE = Pattern.compile("^/2\\.0/repositories/([^/]+)$");
  private static final Pattern Q_UPDATED = Pattern.compile("updated_on\\s*>=\\s*\"([^\"]+)\"");

  private final LoopbackHttp http;
  private final Map<String, SimulatedRepository> repositories = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(7_000);
  private final String token;
  private final SimulatorTraffic traffic;
  private final JsonNode commitTemplate;
  private final JsonNode diffstatTemplate;
  private final JsonNode pullTemplate;
  private final JsonNode repositoryTemplate;
  private final JsonNode issueTemplate;
  private final JsonNode pipelineTemplate;

  private BitbucketSimulator(String token, Duration latency) throws IOException {
    this.token = token;
    this.traffic = new SimulatorTraffic(latency);
    this.commitTemplate = template("get_repositories_workspace_repo_slug_commit_commit.200.response.json");
    this.diffstatTemplate = template("get_repositories_workspace_repo_slug_diffstat_spec.200.response.json")
        .path("values").get(0);
    JsonNode webhook = template("pull-request-created.json");
    this.pullTemplate = webhook.get("pullrequest");
    this.repositoryTemplate = webhook.get("repository");
    this.issueTemplate = template("issues.GET.json").path("values").get(0);
    this.pipelineTemplate = template("pipelines.GET.page1.json").path("values").get(0);
    this.http = LoopbackHttp.start("bitbucket-simulator", 0, 32, traffic.handler(this::respond));
  }

  /** Starts a simulator; {@code token} (bearer, or {@code user:app-password} for basic) may be null. */
  public static BitbucketSimulator start(String token, Duration latency) {
    try {
      return new BitbucketSimulator(token, latency);
    } catch (IOException e) {
      throw new UncheckedIOException("the Bitbucket simulator could not start", e);
    }
  }

  /** The API base, to use as {@code BITBUCKET_API_URL}: {@code http://127.0.0.1:<port>/2.0}. */
  public String apiBaseUrl() {
    return "http://127.0.0.1:" + http.port() + "/2.0";
  }

  /** Adds a repository, served at {@code https://bitbucket.org/<workspace>/<slug>}. */
  public SimulatedRepository addRepository(String fullName, RepositorySpec spec) {
    String[] parts = fullName.split("/");
    SimulatedRepository repository = new SimulatedRepository(nextId.getAndIncrement(), parts[0], parts[1], spec);
    repositories.put(fullName.toLowerCase(Locale.ROOT), repository);
    return repository;
  }

  /** Deletes a repository: its requests answer 404 from now on. */
  public void deleteRepository(String fullName) {
    repositories.remove(fullName.toLowerCase(Locale.ROOT));
  }

  /** Renames a repository (or moves it to another workspace); it keeps its UUID, its old path answers 404. */
  public SimulatedRepository moveRepository(String fullName, String newFullName) {
    SimulatedRepository repository = repositories.remove(fullName.toLowerCase(Locale.ROOT));
    if (repository == null) {
      throw new IllegalArgumentException("no repository " + fullName);
    }
    String[] parts = newFullName.split("/");
    repository.renamedTo(parts[0], parts[1]);
    repositories.put(newFullName.toLowerCase(Locale.ROOT), repository);
    return repository;
  }

  public void injectFault(Fault fault, String routeFragment, int times) {
    traffic.injectFault(fault, routeFragment, times);
  }

  /** Every {@code n}th request gets {@code fault}, for good; 0 turns it off. */
  public void injectEvery(Fault fault, int n) {
    traffic.injectEvery(fault, n);
  }

  public void setLatency(Duration value) {
    traffic.setLatency(value);
  }

  public long requests() {
    return traffic.requests();
  }

  public long requests(String routeFragment) {
    return traffic.requests(routeFragment);
  }

  public void resetStats() {
    traffic.reset();
  }

  @Override
  public void close() {
    http.close();
  }

  // ------------------------------------------------------------------ handling

  private Reply respond(HttpExchange exchange) {
    String path = exchange.getRequestURI().getRawPath();
    Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
    Matcher workspace = WORKSPACE.matcher(path);
    if (workspace.matches() && exchange.getRequestMethod().equals("GET")) {
      return workspaceRepositories(exchange, decode(workspace.group(1)), query, path);
    }
    Matcher matcher = REPO.matcher(path);
    if (!matcher.matches() || !exchange.getRequestMethod().equals("GET")) {
      return error(404, "Resource not found");
    }
    String rest = matcher.group(3) == null ? "" : matcher.group(3);
    String route = "GET " + rest.replaceAll("/[0-9a-f]{40}", "/{hash}").replaceAll("/pullrequests/\\d+",
        "/pullrequests/{id}").replaceAll("/issues/\\d+", "/issues/{id}")
        .replaceAll("/pipelines/.+", "/pipelines/{uuid}").replaceAll("/deployments/.+", "/deployments/{uuid}").replaceAll("^/commits/[^/]+$", "/commits/{revision}");
    traffic.route(route);
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    boolean authenticated = false;
    if (authorization != null) {
      String presented = authorization.startsWith("Bearer ") ? authorization.substring(7)
          : new String(java.util.Base64.getDecoder().decode(authorization.replaceFirst("(?i)^basic ", "")),
              StandardCharsets.UTF_8);
      if (token == null || !token.equals(presented)) {
        return error(401, "Invalid credentials");
      }
      authenticated = true;
    }
    Optional<Fault> fault = traffic.dueFault(route);
    if (fault.isPresent()) {
      return switch (fault.get()) {
        case TOO_MANY_REQUESTS -> error(429, "Rate limit for this resource has been exceeded");
        case BAD_GATEWAY -> error(502, "Bad Gateway");
        default -> error(500, "Something went wrong");
      };
    }
    String fullName = (decode(matcher.group(1)) + "/" + decode(matcher.group(2))).toLowerCase(Locale.ROOT);
    SimulatedRepository repository = repositories.get(fullName);
    if (repository == null || (repository.isPrivate() && !authenticated)) {
      return error(404, "Repository " + decode(matcher.group(1)) + "/" + decode(matcher.group(2)) + " not found");
    }
    if (rest.isEmpty()) {
      return new Reply(200, repositoryJson(repository));
    }
    if (rest.startsWith("/commits")) {
      return commits(repository, rest, query, path);
    }
    if (rest.startsWith("/diffstat/")) {
      int index = repository.indexOf(rest.substring("/diffstat/".length()));
      if (index < 0) {
        return error(404, "Commit not found");
      }
      ArrayNode values = JSON.createArrayNode();
      int files = repository.changedFiles(index);
      for (int f = 0; f < files; f++) {
        ObjectNode stat = diffstatTemplate.deepCopy();
        String file = "src/module" + f + "/File" + index + ".java";
        stat.put("status", f == 0 && index % 7 == 0 ? "added" : "modified");
        stat.put("lines_added", repository.additions(index) / files + (f == 0 ? repository.additions(index) % files
            : 0));
        stat.put("lines_removed", repository.deletions(index) / files + (f == 0
            ? repository.deletions(index) % files : 0));
        ((ObjectNode) stat.get("old")).put("path", file);
        ((ObjectNode) stat.get("old")).put("escaped_path", file);
        ((ObjectNode) stat.get("new")).put("path", file);
        ((ObjectNode) stat.get("new")).put("escaped_path", file);
        values.add(stat);
      }
      return page(values, query, path, 500);
    }
    Matcher comments = Pattern.compile("^/pullrequests/(\\d+)/comments$").matcher(rest);
    if (comments.matches()) {
      long number = Long.parseLong(comments.group(1));
      if (number < 1 || number > repository.pullRequestCount()) {
        return error(404, "Pull request not found");
      }
      ArrayNode values = JSON.createArrayNode();
      for (int r = 0; r < repository.pullReviewCount(number); r++) {
        if (repository.reviewState(number, r).equals("COMMENTED")) {
          ObjectNode comment = JSON.createObjectNode();
          comment.put("type", "pullrequest_comment");
          comment.put("id", repository.reviewId(number, r));
          String at = Instant.ofEpochSecond(repository.reviewSubmittedAtSeconds(number, r)).toString();
          comment.put("created_on", at);
          comment.put("updated_on", at);
          ObjectNode content = comment.putObject("content");
          content.put("raw", "Review " + r + " of #" + number);
          content.put("markup", "markdown");
          comment.set("user", account(repository, (int) ((number + r + 1) % repository.contributorCount())));
          comment.put("deleted", false);
          values.add(comment);
        }
      }
      return page(values, query, path, 100);
    }
    if (rest.equals("/pullrequests")) {
      return pullRequests(repository, query, path);
    }
    if (rest.startsWith("/issues")) {
      return issues(repository, rest, query, path);
    }
    if (rest.equals("/pipelines") || rest.equals("/pipelines/")) {
      ArrayNode values = JSON.createArrayNode();
      for (int i = repository.ciRunCount() - 1; i >= 0; i--) {
        values.add(pipelineJson(repository, i));
      }
      return page(values, query, path, 100);
    }
    if (rest.startsWith("/pipelines/")) {
      String uuid = decode(rest.substring("/pipelines/".length()));
      for (int i = 0; i < repository.ciRunCount(); i++) {
        if (pipelineUuid(repository, i).equals(uuid)) {
          return new Reply(200, pipelineJson(repository, i));
        }
      }
      return error(404, "Pipeline not found");
    }
    if (rest.equals("/environments") || rest.equals("/environments/")) {
      ArrayNode values = JSON.createArrayNode();
      for (String name : List.of("staging", "production")) {
        values.addObject().put("type", "deployment_environment").put("uuid", environmentUuid(name))
            .put("name", name);
      }
      return page(values, query, path, 100);
    }
    if (rest.equals("/deployments") || rest.equals("/deployments/")) {
      ArrayNode values = JSON.createArrayNode();
      for (int i = repository.deploymentCount() - 1; i >= 0; i--) {
        values.add(deploymentJson(repository, i));
      }
      return page(values, query, path, 100);
    }
    if (rest.startsWith("/deployments/")) {
      String uuid = decode(rest.substring("/deployments/".length()));
      for (int i = 0; i < repository.deploymentCount(); i++) {
        if (deploymentUuid(repository, i).equals(uuid)) {
          return new Reply(200, deploymentJson(repository, i));
        }
      }
      return error(404, "Deployment not found");
    }
    if (rest.equals("/refs/tags")) {
      // newest first (sort=-target.date); a draft release has no tag yet
      ArrayNode values = JSON.createArrayNode();
      for (int i = repository.releaseCount() - 1; i >= 0; i--) {
        if (!repository.releaseIsDraft(i)) {
          values.add(tagJson(repository, i));
        }
      }
      return page(values, query, path, 100);
    }
    if (rest.startsWith("/refs/tags/")) {
      try {
        int index = repository.releaseIndex(decode(rest.substring("/refs/tags/".length())));
        return repository.releaseIsDraft(index) ? error(404, "Tag not found") : new Reply(200, tagJson(repository,
            index));
      } catch (IllegalArgumentException unknown) {
        return error(404, "Tag not found");
      }
    }
    Matcher single = Pattern.compile("^/pullrequests/(\\d+)$").matcher(rest);
    if (single.matches()) {
      long number = Long.parseLong(single.group(1));
      if (number < 1 || number > repository.pullRequestCount()) {
        return error(404, "Pull request not found");
      }
      return new Reply(200, pullJson(repository, number, true));
    }
    return error(404, "Resource not found");
  }

  /** The repository's issue tracker: the list (by id or update time, {@code q} on {@code updated_on}), one issue,
   * its comments. */
  private Reply issues(SimulatedRepository repository, String rest, Map<String, List<String>> query, String path) {
    if (repository.issueCount() == 0) {
      return error(404, "Repository has no issue tracker.");
    }
    if (rest.equals("/issues")) {
      String sort = String.valueOf(first(query, "sort"));
      List<Long> numbers = sort.endsWith("updated_on") ? repository.issueNumbersByUpdatedDescending()
          : new ArrayList<>(repository.issueVersions().keySet());
      if (sort.equals("updated_on") || sort.equals("-id")) {
        Collections.reverse(numbers);
      }
      String q = first(query, "q");
      if (q != null) {
        Matcher since = Q_UPDATED.matcher(q);
        if (since.find()) {
          Instant from = java.time.OffsetDateTime.parse(since.group(1)).toInstant();
          numbers.removeIf(n -> Instant.ofEpochSecond(repository.issueUpdatedAtSeconds(n)).isBefore(from));
        }
      }
      ArrayNode values = JSON.createArrayNode();
      numbers.forEach(n -> values.add(issueJson(repository, n)));
      return page(values, query, path, 50);
    }
    Matcher single = Pattern.compile("^/issues/(\\d+)(/comments)?$").matcher(rest);
    if (!single.matches() || !repository.hasIssue(Long.parseLong(single.group(1)))) {
      return error(404, "Issue not found");
    }
    long id = Long.parseLong(single.group(1));
    if (single.group(2) == null) {
      return new Reply(200, issueJson(repository, id));
    }
    ArrayNode values = JSON.createArrayNode();
    for (int c = 0; c < repository.issueCommentCount(id); c++) {
      ObjectNode comment = JSON.createObjectNode();
      comment.put("type", "issue_comment");
      comment.put("id", repository.issueCommentId(id, c));
      String at = Instant.ofEpochSecond(repository.issueCommentAtSeconds(id, c)).toString();
      comment.put("created_on", at);
      comment.put("updated_on", at);
      ObjectNode content = comment.putObject("content");
      content.put("raw", "Comment " + c + " on #" + id);
      content.put("markup", "markdown");
      comment.set("user", account(repository, (int) ((id + c) % repository.contributorCount())));
      comment.putObject("issue").put("type", "issue").put("id", id);
      values.add(comment);
    }
    return page(values, query, path, 100);
  }

  private static String environmentUuid(String name) {
    return "{" + new java.util.UUID(0xE0L, name.hashCode()) + "}";
  }

  private static String deploymentUuid(SimulatedRepository repository, int index) {
    return "{" + new java.util.UUID(0xD0L, repository.deploymentId(index)) + "}";
  }

  /**
   * A deployment, with the fields of the OpenAPI {@code deployment} schema and its states (no published example
   * exists): its environment by uuid, its release with the commit, its state now (Bitbucket keeps no history).
   */
  private ObjectNode deploymentJson(SimulatedRepository repository, int index) {
    List<String[]> statuses = repository.deploymentStatuses(index);
    String[] now = statuses.get(statuses.size() - 1);
    String started = Instant.ofEpochSecond(repository.deploymentCreatedAtSeconds(index) + 20).toString();
    ObjectNode node = JSON.createObjectNode();
    node.put("type", "deployment");
    node.put("uuid", deploymentUuid(repository, index));
    ObjectNode state = node.putObject("state");
    switch (now[0]) {
      case "pending" -> state.put("type", "deployment_state_undeployed").put("name", "UNDEPLOYED");
      case "in_progress" -> state.put("type", "deployment_state_in_progress").put("name", "IN_PROGRESS")
          .put("start_date", started);
      default -> {
        state.put("type", "deployment_state_completed").put("name", "COMPLETED").put("start_date", started)
            .put("completion_date", Instant.ofEpochSecond(Long.parseLong(now[1])).toString());
        String status = switch (now[0]) {
          case "failure" -> "FAILED";
          case "inactive" -> "STOPPED";
          default -> "SUCCESSFUL";
        };
        state.putObject("status").put("type", "deployment_state_completed_status_" + status.toLowerCase(Locale.ROOT))
            .put("name", status);
      }
    }
    if (!now[0].equals("pending")) {
      state.set("deployer", account(repository, index % repository.contributorCount()));
      state.put("url", "https://bitbucket.org/" + repository.fullName() + "/pipelines/results/" + (index + 1));
    }
    node.putObject("environment").put("type", "deployment_environment")
        .put("uuid", environmentUuid(repository.deploymentEnvironment(index)));
    ObjectNode release = node.putObject("release");
    release.put("type", "deployment_release");
    release.put("uuid", "{" + new java.util.UUID(0xDEL, index) + "}");
    release.put("name", "#" + (index + 1));
    release.put("created_on", Instant.ofEpochSecond(repository.deploymentCreatedAtSeconds(index)).toString());
    release.putObject("commit").put("type", "commit").put("hash", repository.deploymentSha(index));
    return node;
  }

  private static String pipelineUuid(SimulatedRepository repository, int index) {
    return "{" + new java.util.UUID(0xC1L, repository.ciRunId(index)) + "}";
  }

  /** A pipeline, newest created first in lists; a re-run is its next run number. */
  private ObjectNode pipelineJson(SimulatedRepository repository, int index) {
    ObjectNode node = pipelineTemplate.deepCopy();
    String[] status = repository.ciStatus(index).split("/");
    long created = repository.ciCreatedAtSeconds(index);
    node.put("uuid", pipelineUuid(repository, index));
    node.put("build_number", index + 1);
    node.put("run_number", repository.ciAttempt(index));
    node.put("created_on", Instant.ofEpochSecond(created).toString());
    ObjectNode state = node.putObject("state");
    switch (status[0]) {
      case "queued" -> state.put("name", "PENDING").put("type", "pipeline_state_pending");
      case "in_progress" -> state.put("name", "IN_PROGRESS").put("type", "pipeline_state_in_progress");
      default -> {
        state.put("name", "COMPLETED").put("type", "pipeline_state_completed");
        String result = switch (status[1]) {
          case "failure" -> "FAILED";
          case "cancelled" -> "STOPPED";
          default -> "SUCCESSFUL";
        };
        state.putObject("result").put("name", result).put("type", "pipeline_state_completed_"
            + result.toLowerCase(Locale.ROOT));
      }
    }
    if (status[0].equals("completed")) {
      node.put("completed_on", Instant.ofEpochSecond(repository.ciUpdatedAtSeconds(index)).toString());
      node.put("duration_in_seconds", repository.ciUpdatedAtSeconds(index) - created);
    } else {
      node.remove("completed_on");
      node.putNull("duration_in_seconds");
    }
    ObjectNode target = (ObjectNode) node.get("target");
    target.put("ref_name", "main");
    ((ObjectNode) target.get("commit")).put("hash", repository.sha(index % Math.max(1, repository.commitCount())));
    ((ObjectNode) node.get("trigger")).put("name", index % 3 == 0 ? "MANUAL" : "PUSH");
    node.set("repository", repositoryJson(repository));
    return node;
  }

  /**
   * A tag, with the fields of the OpenAPI {@code tag} schema (no published example exists): every other one annotated
   * (tagger, date, message), the others lightweight (their commit's author and date only).
   */
  private ObjectNode tagJson(SimulatedRepository repository, int index) {
    String name = SimulatedRepository.releaseTag(index);
    String sha = repository.releaseTarget(index);
    ObjectNode node = JSON.createObjectNode();
    node.put("type", "tag");
    node.put("name", name);
    ObjectNode target = node.putObject("target");
    target.put("type", "commit");
    target.put("hash", sha);
    int commit = repository.indexOf(sha);
    target.put("date", Instant.ofEpochSecond(repository.committedAtSeconds(commit)).toString());
    int author = repository.authorOf(commit);
    target.putObject("author").put("type", "author").put("raw", repository.authorName(author) + " <"
        + repository.authorEmail(author) + ">").set("user", account(repository, author));
    if (index % 2 == 0) {
      int tagger = index % repository.contributorCount();
      node.put("message", repository.releaseNotes(index));
      node.put("date", Instant.ofEpochSecond(repository.releaseCreatedAtSeconds(index)).toString());
      node.putObject("tagger").put("type", "author").put("raw", repository.authorName(tagger) + " <"
          + repository.authorEmail(tagger) + ">").set("user", account(repository, tagger));
    } else {
      node.putNull("message");
      node.putNull("date");
      node.putNull("tagger");
    }
    ObjectNode links = node.putObject("links");
    links.putObject("self").put("href", apiBaseUrl() + "/repositories/" + repository.fullName() + "/refs/tags/" + name);
    links.putObject("html").put("href", "https://bitbucket.org/" + repository.fullName() + "/src/" + name);
    return node;
  }

  private ObjectNode issueJson(SimulatedRepository repository, long id) {
    ObjectNode node = issueTemplate.deepCopy();
    long created = repository.issueCreatedAtSeconds(id);
    boolean closed = repository.issueState(id).equals("closed");
    node.put("id", id);
    node.put("title", "Issue " + id);
    ((ObjectNode) node.get("content")).put("raw", "Simulated issue " + id + ".");
    node.put("state", closed ? ((id - SimulatedRepository.FIRST_ISSUE) % 6 == 5 ? "wontfix" : "resolved") : "new");
    node.put("kind", id % 4 == 0 ? "bug" : "task");
    node.put("created_on", Instant.ofEpochSecond(created).toString());
    node.put("updated_on", Instant.ofEpochSecond(repository.issueUpdatedAtSeconds(id)).toString());
    node.set("reporter", account(repository, (int) (id % repository.contributorCount())));
    if (id % 5 == 0) {
      node.set("assignee", account(repository, (int) ((id + 1) % repository.contributorCount())));
    } else {
      node.putNull("assignee");
    }
    if (id % 7 == 0) {
      node.putObject("milestone").put("type", "milestone").put("name", "v1.0");
    } else {
      node.putNull("milestone");
    }
    node.set("repository", repositoryJson(repository));
    ObjectNode links = (ObjectNode) node.get("links");
    ((ObjectNode) links.get("html")).put("href", "https://bitbucket.org/" + repository.fullName() + "/issues/" + id);
    ((ObjectNode) links.get("self")).put("href", apiBaseUrl() + "/repositories/" + repository.fullName() + "/issues/"
        + id);
    return node;
  }

  private Reply commits(SimulatedRepository repository, String rest, Map<String, List<String>> query, String path) {
    int head;
    int stop = -1;
    if (rest.equals("/commits")) {
      String include = first(query, "include");
      head = include == null ? repository.commitCount() - 1 : resolve(repository, include);
      String exclude = first(query, "exclude");
      if (exclude != null) {
        stop = resolve(repository, exclude);
      }
    } else {
      head = resolve(repository, decode(rest.substring("/commits/".length())));
    }
    if (head < 0 && repository.commitCount() > 0) {
      return error(404, "Commit not found");
    }
    List<Integer> indices = new ArrayList<>();
    for (int i = head; i > stop; i--) {
      indices.add(i);
    }
    int pagelen = pagelen(query, 100);
    int page = pageNumber(query);
    ArrayNode values = JSON.createArrayNode();
    boolean onlyHash = String.valueOf(first(query, "fields")).contains("values.hash")
        && !String.valueOf(first(query, "fields")).contains("values.author");
    for (int k = (page - 1) * pagelen; k < Math.min(indices.size(), page * pagelen); k++) {
      values.add(onlyHash ? JSON.createObjectNode().put("hash", repository.sha(indices.get(k)))
          : commitJson(repository, indices.get(k)));
    }
    return paged(values, query, path, pagelen, page, indices.size());
  }

  private int resolve(SimulatedRepository repository, String revision) {
    if (revision.equals("main") || revision.equals("HEAD")) {
      return repository.commitCount() - 1;
    }
    return repository.indexOf(revision);
  }

  private Reply pullRequests(SimulatedRepository repository, Map<String, List<String>> query, String path) {
    List<String> states = query.getOrDefault("state", List.of("OPEN"));
    String sort = String.valueOf(first(query, "sort"));
    List<Long> numbers = new ArrayList<>();
    if (sort.endsWith("updated_on")) {
      for (Integer n : repository.numbersByUpdatedDescending()) {
        numbers.add((long) n);
      }
      if (!sort.startsWith("-")) {
        Collections.reverse(numbers);
      }
    } else {
      for (long n = 1; n <= repository.pullRequestCount(); n++) {
        numbers.add(n);
      }
      if (sort.startsWith("-")) {
        Collections.reverse(numbers);
      }
    }
    numbers.removeIf(n -> !states.contains(bitbucketState(repository, n)));
    String q = first(query, "q");
    if (q != null) {
      Matcher since = Q_UPDATED.matcher(q);
      if (since.find()) {
        Instant from = java.time.OffsetDateTime.parse(since.group(1)).toInstant();
        numbers.removeIf(n -> Instant.ofEpochSecond(repository.pullUpdatedAtSeconds(n)).isBefore(from));
      }
    }
    int pagelen = Math.min(50, pagelen(query, 10));
    int page = pageNumber(query);
    boolean participants = String.valueOf(first(query, "fields")).contains("participants");
    ArrayNode values = JSON.createArrayNode();
    for (int k = (page - 1) * pagelen; k < Math.min(numbers.size(), page * pagelen); k++) {
      values.add(pullJson(repository, numbers.get(k), participants));
    }
    return paged(values, query, path, pagelen, page, numbers.size());
  }

  private static String bitbucketState(SimulatedRepository repository, long number) {
    return switch (repository.pullState(number)) {
      case "open" -> "OPEN";
      case "merged" -> "MERGED";
      default -> "DECLINED";
    };
  }

  // ------------------------------------------------------------------ bodies

  /**
   * {@code GET /2.0/repositories/{workspace}}: the workspace's repositories the caller can see, oldest first, up to
   * 100 a page with the next page's URL in {@code next}. A workspace exists while it holds a repository.
   */
  private Reply workspaceRepositories(HttpExchange exchange, String workspace, Map<String, List<String>> query,
      String path) {
    traffic.route("GET /repositories/{workspace}");
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization != null && (token == null || !authorization.equals("Bearer " + token))) {
      return error(401, "Invalid credentials");
    }
    Optional<Fault> fault = traffic.dueFault("GET /repositories/{workspace}");
    if (fault.isPresent()) {
      return error(fault.get() == Fault.TOO_MANY_REQUESTS ? 429 : 500, "Something went wrong");
    }
    String owner = workspace.toLowerCase(Locale.ROOT);
    List<SimulatedRepository> held = repositories.values().stream()
        .filter(r -> r.owner().toLowerCase(Locale.ROOT).equals(owner)).toList();
    if (held.isEmpty()) {
      return error(404, "No workspace with identifier '" + workspace + "'.");
    }
    ArrayNode values = JSON.createArrayNode();
    held.stream().filter(r -> !r.isPrivate() || authorization != null)
        .sorted(java.util.Comparator.comparingLong(SimulatedRepository::databaseId))
        .forEach(r -> values.add(repositoryJson(r)));
    return page(values, query, path, 100);
  }

  private ObjectNode repositoryJson(SimulatedRepository repository) {
    ObjectNode node = repositoryTemplate.deepCopy();
    String fullName = repository.fullName();
    node.put("type", "repository");
    node.put("uuid", "{" + new java.util.UUID(repository.databaseId(), 0x5EEDL) + "}");
    node.put("full_name", fullName);
    node.put("name", repository.name());
    node.put("is_private", repository.isPrivate());
    node.put("description", "Simulated repository " + fullName);
    node.put("language", "java");
    node.put("created_on", repository.createdAt().toString());
    node.put("updated_on", repository.pushedAt().toString());
    node.put("size", 1024L * (100 + repository.commitCount() / 10));
    node.put("fork_policy", "allow_forks");
    node.put("has_issues", repository.issueCount() > 0);
    node.putObject("mainbranch").put("type", "branch").put("name", "main");
    if (repository.isFork()) {
      ObjectNode parent = node.putObject("parent");
      parent.put("type", "repository");
      parent.put("full_name", "upstream/" + repository.name());
    } else {
      node.remove("parent");
    }
    ObjectNode links = (ObjectNode) node.get("links");
    ((ObjectNode) links.get("self")).put("href", apiBaseUrl() + "/repositories/" + fullName);
    ((ObjectNode) links.get("html")).put("href", "https://bitbucket.org/" + fullName);
    return node;
  }

  private ObjectNode commitJson(SimulatedRepository repository, int index) {
    ObjectNode node = commitTemplate.deepCopy();
    String sha = repository.sha(index);
    String fullName = repository.fullName();
    String message = "Change " + index + ": adjust module " + (index % 5) + "\n\nSimulated commit body.";
    node.put("hash", sha);
    node.put("date", Instant.ofEpochSecond(repository.committedAtSeconds(index)).toString().replace("Z", "+00:00"));
    node.put("message", message);
    ((ObjectNode) node.path("summary")).put("raw", message);
    ((ObjectNode) node.path("rendered").path("message")).put("raw", message);
    ((ObjectNode) node.get("repository")).put("full_name", fullName).put("name", repository.name());
    ((ObjectNode) node.path("links").path("html")).put("href", "https://bitbucket.org/" + fullName + "/commits/"
        + sha);
    int author = repository.authorOf(index);
    ObjectNode authorNode = (ObjectNode) node.get("author");
    authorNode.put("raw", repository.authorName(author) + " <" + repository.authorEmail(author) + ">");
    authorNode.set("user", account(repository, author));
    ArrayNode parents = JSON.createArrayNode();
    if (index > 0) {
      parents.addObject().put("type", "commit").put("hash", repository.sha(index - 1));
    }
    node.set("parents", parents);
    return node;
  }

  private ObjectNode account(SimulatedRepository repository, int author) {
    ObjectNode user = pullTemplate.get("author").deepCopy();
    user.put("display_name", repository.authorName(author));
    user.put("nickname", repository.login(author));
    user.put("uuid", "{" + new java.util.UUID(0xACC0L, author) + "}");
    user.put("account_id", "557058:" + author);
    return user;
  }

  private ObjectNode pullJson(SimulatedRepository repository, long number, boolean withParticipants) {
    ObjectNode node = pullTemplate.deepCopy();
    String state = bitbucketState(repository, number);
    node.put("id", number);
    node.put("title", "Pull request " + number);
    node.put("state", state);
    node.set("author", account(repository, (int) (number % repository.contributorCount())));
    ((ObjectNode) node.path("source").path("branch")).put("name", "feature-" + number);
    ((ObjectNode) node.path("destination").path("branch")).put("name", "main");
    long created = repository.pullCreatedAtSeconds(number);
    node.put("created_on", Instant.ofEpochSecond(created).toString().replace("Z", "+00:00"));
    node.put("updated_on", Instant.ofEpochSecond(repository.pullUpdatedAtSeconds(number)).toString()
        .replace("Z", "+00:00"));
    if (state.equals("MERGED")) {
      ((ObjectNode) node.get("merge_commit")).put("hash", repository.sha((int) (number % Math.max(1,
          repository.commitCount()))));
    } else {
      node.putNull("merge_commit");
    }
    node.put("draft", number % 20 == 0);
    int comments = 0;
    ArrayNode participants = JSON.createArrayNode();
    for (int r = 0; r < repository.pullReviewCount(number); r++) {
      String review = repository.reviewState(number, r);
      if (review.equals("COMMENTED")) {
        comments++;
        continue;
      }
      ObjectNode participant = participants.addObject();
      participant.put("type", "participant");
      participant.set("user", account(repository, (int) ((number + r + 1) % repository.contributorCount())));
      participant.put("role", "REVIEWER");
      participant.put("approved", review.equals("APPROVED"));
      participant.put("state", review.equals("APPROVED") ? "approved" : "changes_requested");
      participant.put("participated_on", Instant.ofEpochSecond(repository.reviewSubmittedAtSeconds(number, r))
          .toString());
    }
    node.put("comment_count", comments);
    node.put("task_count", 0);
    if (withParticipants) {
      node.set("participants", participants);
    } else {
      node.remove("participants");
    }
    ObjectNode links = (ObjectNode) node.path("links");
    if (links.isMissingNode() || links.isNull() || !links.isObject()) {
      links = node.putObject("links");
    }
    links.putObject("html").put("href", "https://bitbucket.org/" + repository.fullName() + "/pull-requests/"
        + number);
    return node;
  }

  private Reply page(ArrayNode all, Map<String, List<String>> query, String path, int maxPagelen) {
    int pagelen = Math.min(maxPagelen, pagelen(query, maxPagelen));
    int page = pageNumber(query);
    ArrayNode values = JSON.createArrayNode();
    for (int k = (page - 1) * pagelen; k < Math.min(all.size(), page * pagelen); k++) {
      values.add(all.get(k));
    }
    return paged(values, query, path, pagelen, page, all.size());
  }

  private Reply paged(ArrayNode values, Map<String, List<String>> query, String path, int pagelen, int page,
      int total) {
    ObjectNode body = JSON.createObjectNode();
    body.put("pagelen", pagelen);
    body.put("page", page);
    body.set("values", values);
    if (page * pagelen < total) {
      Map<String, List<String>> next = new LinkedHashMap<>(query);
      next.put("page", List.of(Integer.toString(page + 1)));
      StringBuilder url = new StringBuilder("http://127.0.0.1:" + http.port() + path + "?");
      next.forEach((k, vs) -> vs.forEach(v -> url.append(k).append('=')
          .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&')));
      url.setLength(url.length() - 1);
      body.put("next", url.toString());
    }
    return new Reply(200, body);
  }

  private static Reply error(int status, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.put("type", "error");
    body.putObject("error").put("message", message);
    return new Reply(status, body);
  }

  private static int pagelen(Map<String, List<String>> query, int defaultValue) {
    String value = first(query, "pagelen");
    return value == null ? defaultValue : Math.max(1, Integer.parseInt(value));
  }

  private static int pageNumber(Map<String, List<String>> query) {
    String value = first(query, "page");
    return value == null ? 1 : Math.max(1, Integer.parseInt(value));
  }

  private static String first(Map<String, List<String>> query, String key) {
    List<String> values = query.get(key);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return params;
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }


  private static JsonNode template(String name) {
    return LoopbackHttp.template(BitbucketSimulator.class, name);
  }
}
