package io.gitcollector.testkit.gitlab;

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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitLab's REST API v4 on 127.0.0.1 for synthetic projects (nested groups included): project, branch, commits with
 * {@code with_stats}, merge requests ordered by update time with {@code updated_after}, approvals, notes,
 * contributors; offset pagination with {@code X-Next-Page} and {@code Link}, where, as on GitLab, the totals
 * ({@code X-Total}, {@code X-Total-Pages}) are omitted above 10,000 records; {@code PRIVATE-TOKEN} authentication;
 * latency, injected 429s without rate-limit headers and 500s; actions to run in the middle of a walk. Bodies are built
 * from gitlab4j's test data (bundled templates). A simulated pull request's approvals are GitLab approvals, its other
 * reviews are notes.
 */
public final class GitLabSimulator implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PROJECT = Pattern.compile("^/api/v4/projects/([^/]+)(/.*)?$");
  private static final Pattern GROUP_PROJECTS = Pattern.compile("^/api/v4/groups/([^/]+)/projects$");
  static final int TOTALS_LIMIT = 10_000;

  private final LoopbackHttp http;
  private final Map<String, SimulatedRepository> projects = new ConcurrentHashMap<>();
  /** Old paths of moved projects, which GitLab's API still answers (it follows its redirect routes). */
  private final Map<String, String> movedPaths = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(3_000);
  private final String token;
  private final SimulatorTraffic traffic;
  private final List<Object[]> actions = new CopyOnWriteArrayList<>();
  private final JsonNode projectTemplate;
  private final JsonNode commitTemplate;
  private final JsonNode mergeRequestTemplate;
  private final JsonNode approvalsTemplate;
  private final JsonNode noteTemplate;
  private final JsonNode issueTemplate;
  private final JsonNode releaseTemplate;
  private final JsonNode pipelineTemplate;
  private final JsonNode deploymentTemplate;
  private final JsonNode contributorTemplate;

  private GitLabSimulator(String token, Duration latency) throws IOException {
    this.token = token;
    this.traffic = new SimulatorTraffic(latency);
    this.projectTemplate = template("project.json");
    this.commitTemplate = template("commit.json");
    this.mergeRequestTemplate = template("merge-request.json");
    this.approvalsTemplate = template("approvals.json");
    this.noteTemplate = template("note.json");
    this.issueTemplate = template("issue.json");
    this.releaseTemplate = template("releases.json").get(0);
    this.pipelineTemplate = template("pipeline.json");
    this.deploymentTemplate = template("deployment.json");
    this.contributorTemplate = template("contributors.json").get(0);
    this.http = LoopbackHttp.start("gitlab-simulator", 0, 32, traffic.handler(this::respond));
  }

  public static GitLabSimulator start(String token, Duration latency) {
    try {
      return new GitLabSimulator(token, latency);
    } catch (IOException e) {
      throw new UncheckedIOException("the GitLab simulator could not start", e);
    }
  }

  /** The instance URL, to use as {@code GITLAB_URL}; project URLs are {@code http://127.0.0.1:<port>/<path>}. */
  public String url() {
    return "http://127.0.0.1:" + http.port();
  }

  /** Adds a project at {@code path} ({@code group/sub/project}). */
  public SimulatedRepository addProject(String path, RepositorySpec spec) {
    int slash = path.lastIndexOf('/');
    SimulatedRepository project = new SimulatedRepository(nextId.getAndIncrement(), path.substring(0, slash),
        path.substring(slash + 1), spec);
    projects.put(path.toLowerCase(Locale.ROOT), project);
    return project;
  }

  /** Moves a project to {@code newPath} (a rename, or a transfer to another group); its old path still answers. */
  public SimulatedRepository moveProject(String path, String newPath) {
    SimulatedRepository project = projects.remove(path.toLowerCase(Locale.ROOT));
    if (project == null) {
      throw new IllegalArgumentException("no project " + path);
    }
    int slash = newPath.lastIndexOf('/');
    project.renamedTo(newPath.substring(0, slash), newPath.substring(slash + 1));
    projects.put(newPath.toLowerCase(Locale.ROOT), project);
    movedPaths.put(path.toLowerCase(Locale.ROOT), newPath.toLowerCase(Locale.ROOT));
    return project;
  }

  /** Deletes a project: it answers 404 and leaves its groups' listings. */
  public void deleteProject(String path) {
    if (projects.remove(path.toLowerCase(Locale.ROOT)) == null) {
      throw new IllegalArgumentException("no project " + path);
    }
  }

  public void injectFault(Fault fault, String routeFragment, int times) {
    traffic.injectFault(fault, routeFragment, times);
  }

  /** Runs {@code action} just before the {@code nth} request whose route contains {@code routeFragment} is answered. */
  public void beforeRequest(String routeFragment, int nth, Runnable action) {
    actions.add(new Object[] {routeFragment, new AtomicInteger(nth), action});
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
    String rawPath = exchange.getRequestURI().getRawPath();
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    Matcher group = GROUP_PROJECTS.matcher(rawPath);
    if (group.matches() && exchange.getRequestMethod().equals("GET")) {
      return groupProjects(exchange, URLDecoder.decode(group.group(1), StandardCharsets.UTF_8), query, rawPath);
    }
    Matcher matcher = PROJECT.matcher(rawPath);
    if (!matcher.matches() || !exchange.getRequestMethod().equals("GET")) {
      return error(404, "404 Not Found");
    }
    String rest = matcher.group(2) == null ? "" : matcher.group(2);
    String route = "GET /projects/:id" + rest.replaceAll("/merge_requests/\\d+", "/merge_requests/:iid")
        .replaceAll("/issues/\\d+", "/issues/:iid").replaceAll("/releases/.+", "/releases/:tag")
        .replaceAll("/pipelines/\\d+", "/pipelines/:id").replaceAll("/deployments/\\d+", "/deployments/:id")
        .replaceAll("/branches/.*", "/branches/:branch");
    traffic.route(route);
    for (Object[] action : actions) {
      if (route.contains((String) action[0]) && ((AtomicInteger) action[1]).decrementAndGet() == 0) {
        ((Runnable) action[2]).run();
      }
    }
    String presented = exchange.getRequestHeaders().getFirst("PRIVATE-TOKEN");
    if (presented == null) {
      String bearer = exchange.getRequestHeaders().getFirst("Authorization");
      presented = bearer == null ? null : bearer.replaceFirst("(?i)^bearer ", "");
    }
    if (presented != null && (token == null || !token.equals(presented))) {
      return error(401, "401 Unauthorized");
    }
    Optional<Fault> fault = traffic.dueFault(route);
    if (fault.isPresent()) {
      return fault.get() == Fault.TOO_MANY_REQUESTS ? error(429, "Retry later") : error(500, "500 Internal Error");
    }
    String requested = URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    String path = !projects.containsKey(requested) && movedPaths.containsKey(requested) ? movedPaths.get(requested)
        : requested;
    SimulatedRepository project = projects.get(path);
    if (project == null || (project.isPrivate() && presented == null)) {
      return error(404, "404 Project Not Found");
    }
    String base = "/api/v4/projects/" + matcher.group(1);
    if (rest.isEmpty()) {
      return new Reply(200, projectJson(project, path));
    }
    if (rest.startsWith("/repository/branches/")) {
      ObjectNode branch = JSON.createObjectNode();
      branch.put("name", "main");
      ObjectNode commit = branch.putObject("commit");
      if (project.commitCount() > 0) {
        commit.put("id", project.sha(project.commitCount() - 1));
      }
      branch.put("default", true);
      return new Reply(200, branch);
    }
    if (rest.equals("/repository/commits")) {
      int head = project.indexOf(query.getOrDefault("ref_name", ""));
      if (head < 0 && "main".equals(query.get("ref_name"))) {
        head = project.commitCount() - 1;
      }
      if (head < 0) {
        return error(404, "404 Commit Not Found");
      }
      List<Integer> indices = new ArrayList<>();
      for (int i = head; i >= 0; i--) {
        indices.add(i);
      }
      return paged(indices, query, base + rest, i -> commitJson(project, path, i));
    }
    Matcher diff = Pattern.compile("^/repository/commits/([0-9a-f]{40})/diff$").matcher(rest);
    if (diff.matches()) {
      int index = project.indexOf(diff.group(1));
      if (index < 0) {
        return error(404, "404 Commit Not Found");
      }
      List<Integer> files = new ArrayList<>();
      for (int f = 0; f < project.changedFiles(index); f++) {
        files.add(f);
      }
      int count = files.size();
      return paged(files, query, base + rest, f -> {
        int added = project.additions(index) / count + (f == 0 ? project.additions(index) % count : 0);
        int removed = project.deletions(index) / count + (f == 0 ? project.deletions(index) % count : 0);
        StringBuilder text = new StringBuilder("@@ -1," + removed + " +1," + added + " @@\n");
        text.append("-old line\n".repeat(removed)).append("+new line\n".repeat(added));
        ObjectNode file = JSON.createObjectNode();
        String name = "src/module" + f + "/File" + index + ".java";
        file.put("old_path", name);
        file.put("new_path", name);
        file.put("a_mode", "100644");
        file.put("b_mode", "100644");
        file.put("new_file", f == 0 && index % 7 == 0);
        file.put("renamed_file", false);
        file.put("deleted_file", false);
        file.put("diff", text.toString());
        return file;
      });
    }
    if (rest.equals("/repository/contributors")) {
      List<Map.Entry<String, Long>> counts = new ArrayList<>(project.contributorCounts().entrySet());
      return paged(counts, query, base + rest, entry -> {
        ObjectNode contributor = contributorTemplate.deepCopy();
        int author = Integer.parseInt(entry.getKey().substring(3));
        contributor.put("name", project.authorName(author));
        contributor.put("email", project.authorEmail(author));
        contributor.put("commits", entry.getValue());
        return contributor;
      });
    }
    if (rest.equals("/merge_requests")) {
      List<Long> numbers = new ArrayList<>();
      for (Integer n : project.numbersByUpdatedDescending()) {
        numbers.add((long) n);
      }
      Collections.reverse(numbers);
      String after = query.get("updated_after");
      if (after != null) {
        Instant from = OffsetDateTime.parse(after).toInstant();
        numbers.removeIf(n -> Instant.ofEpochSecond(project.pullUpdatedAtSeconds(n)).isBefore(from));
      }
      return paged(numbers, query, base + rest, n -> mergeRequestJson(project, path, n));
    }
    if (rest.equals("/pipelines")) {
      List<Integer> byUpdate = new ArrayList<>();
      for (int i = 0; i < project.ciRunCount(); i++) {
        byUpdate.add(i);
      }
      byUpdate.sort(java.util.Comparator.<Integer>comparingLong(project::ciUpdatedAtSeconds)
          .thenComparingLong(project::ciRunId));
      String after = query.get("updated_after");
      if (after != null) {
        long from = OffsetDateTime.parse(after).toInstant().getEpochSecond();
        byUpdate.removeIf(i -> project.ciUpdatedAtSeconds(i) < from);
      }
      return paged(byUpdate, query, base + rest, i -> pipelineJson(project, path, i, false));
    }
    Matcher pipeline = Pattern.compile("^/pipelines/(\\d+)$").matcher(rest);
    if (pipeline.matches()) {
      int index = (int) (Long.parseLong(pipeline.group(1)) - project.ciRunId(0));
      return index < 0 || index >= project.ciRunCount() ? error(404, "404 Not found")
          : new Reply(200, pipelineJson(project, path, index, true));
    }
    if (rest.equals("/deployments")) {
      List<Integer> byUpdate = new ArrayList<>();
      for (int i = 0; i < project.deploymentCount(); i++) {
        byUpdate.add(i);
      }
      byUpdate.sort(java.util.Comparator.<Integer>comparingLong(project::deploymentUpdatedAtSeconds)
          .thenComparingLong(project::deploymentId));
      String after = query.get("updated_after");
      if (after != null) {
        long from = OffsetDateTime.parse(after).toInstant().getEpochSecond();
        byUpdate.removeIf(i -> project.deploymentUpdatedAtSeconds(i) < from);
      }
      return paged(byUpdate, query, base + rest, i -> deploymentJson(project, i));
    }
    Matcher deployment = Pattern.compile("^/deployments/(\\d+)$").matcher(rest);
    if (deployment.matches()) {
      int index = (int) (Long.parseLong(deployment.group(1)) - project.deploymentId(0));
      return index < 0 || index >= project.deploymentCount() ? error(404, "404 Not found")
          : new Reply(200, deploymentJson(project, index));
    }
    if (rest.equals("/releases")) {
      List<Integer> newestFirst = new ArrayList<>();
      for (int i = project.releaseCount() - 1; i >= 0; i--) {
        newestFirst.add(i);
      }
      return paged(newestFirst, query, base + rest, i -> releaseJson(project, path, i));
    }
    if (rest.startsWith("/releases/")) {
      try {
        return new Reply(200, releaseJson(project, path, project.releaseIndex(
            java.net.URLDecoder.decode(rest.substring("/releases/".length()), StandardCharsets.UTF_8))));
      } catch (IllegalArgumentException unknown) {
        return error(404, "404 Not found");
      }
    }
    if (rest.equals("/issues")) {
      List<Long> numbers = new ArrayList<>(project.issueNumbersByUpdatedDescending());
      Collections.reverse(numbers);
      String after = query.get("updated_after");
      if (after != null) {
        Instant from = OffsetDateTime.parse(after).toInstant();
        numbers.removeIf(n -> Instant.ofEpochSecond(project.issueUpdatedAtSeconds(n)).isBefore(from));
      }
      return paged(numbers, query, base + rest, n -> issueJson(project, path, n));
    }
    Matcher issue = Pattern.compile("^/issues/(\\d+)(/notes)?$").matcher(rest);
    if (issue.matches()) {
      long iid = Long.parseLong(issue.group(1));
      if (!project.hasIssue(iid)) {
        return error(404, "404 Not found");
      }
      if (issue.group(2) == null) {
        return new Reply(200, issueJson(project, path, iid));
      }
      // each issue's user notes follow one system note, as GitLab records events among the notes
      List<Integer> notes = new ArrayList<>();
      for (int c = -1; c < project.issueCommentCount(iid); c++) {
        notes.add(c);
      }
      return paged(notes, query, base + rest, c -> issueNoteJson(project, iid, c));
    }
    Matcher single = Pattern.compile("^/merge_requests/(\\d+)(/approvals|/notes)?$").matcher(rest);
    if (single.matches()) {
      long iid = Long.parseLong(single.group(1));
      if (iid < 1 || iid > project.pullRequestCount()) {
        return error(404, "404 Not found");
      }
      if (single.group(2) == null) {
        return new Reply(200, mergeRequestJson(project, path, iid));
      }
      if (single.group(2).equals("/approvals")) {
        ObjectNode approvals = approvalsTemplate.deepCopy();
        approvals.put("iid", iid);
        approvals.put("id", project.databaseId() * 100_000 + iid);
        ArrayNode approvedBy = approvals.putArray("approved_by");
        for (int r = 0; r < project.pullReviewCount(iid); r++) {
          if (project.reviewState(iid, r).equals("APPROVED")) {
            ObjectNode user = approvedBy.addObject().putObject("user");
            int who = (int) ((iid + r + 1) % project.contributorCount());
            user.put("id", 1000 + who);
            user.put("username", project.login(who));
            user.put("name", project.authorName(who));
          }
        }
        return new Reply(200, approvals);
      }
      List<Integer> notes = new ArrayList<>();
      for (int r = 0; r < project.pullReviewCount(iid); r++) {
        if (!project.reviewState(iid, r).equals("APPROVED")) {
          notes.add(r);
        }
      }
      return paged(notes, query, base + rest, r -> {
        ObjectNode note = noteTemplate.deepCopy();
        note.put("id", project.reviewId(iid, r));
        note.put("body", "Review " + r + " of !" + iid);
        ObjectNode author = (ObjectNode) note.get("author");
        int who = (int) ((iid + r + 1) % project.contributorCount());
        author.put("id", 1000 + who);
        author.put("username", project.login(who));
        String at = Instant.ofEpochSecond(project.reviewSubmittedAtSeconds(iid, r)).toString();
        note.put("created_at", at);
        note.put("updated_at", at);
        note.put("system", false);
        note.put("noteable_type", "MergeRequest");
        return note;
      });
    }
    return error(404, "404 Not Found");
  }

  // ------------------------------------------------------------------ bodies

  /**
   * {@code GET /groups/:id/projects}: the group's projects the caller can see, with its subgroups' when
   * {@code include_subgroups=true}, newest first (GitLab's default) or oldest first ({@code sort=asc}), paginated as every
   * list. A group exists while it holds a project.
   */
  private Reply groupProjects(HttpExchange exchange, String group, Map<String, String> query, String rawPath) {
    traffic.route("GET /groups/:id/projects");
    String presented = exchange.getRequestHeaders().getFirst("PRIVATE-TOKEN");
    if (presented != null && (token == null || !token.equals(presented))) {
      return error(401, "401 Unauthorized");
    }
    Optional<Fault> fault = traffic.dueFault("GET /groups/:id/projects");
    if (fault.isPresent()) {
      return fault.get() == Fault.TOO_MANY_REQUESTS ? error(429, "Retry later") : error(500, "500 Internal Error");
    }
    String prefix = group.toLowerCase(Locale.ROOT) + "/";
    boolean subgroups = "true".equals(query.get("include_subgroups"));
    List<Map.Entry<String, SimulatedRepository>> held = projects.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .toList();
    if (held.isEmpty()) {
      return error(404, "404 Group Not Found");
    }
    List<Map.Entry<String, SimulatedRepository>> listed = held.stream()
        .filter(e -> subgroups || e.getKey().indexOf('/', prefix.length()) < 0)
        .filter(e -> !e.getValue().isPrivate() || presented != null)
        .sorted(java.util.Comparator.comparingLong(
            (Map.Entry<String, SimulatedRepository> e) -> e.getValue().databaseId() * ("asc".equals(query.get("sort"))
                ? 1 : -1)))
        .toList();
    return paged(listed, query, rawPath, e -> projectJson(e.getValue(), e.getKey()));
  }

  private ObjectNode projectJson(SimulatedRepository project, String path) {
    ObjectNode node = projectTemplate.deepCopy();
    node.put("id", project.databaseId());
    node.put("name", project.name());
    node.put("path", project.name());
    node.put("path_with_namespace", path);
    node.put("name_with_namespace", path.replace("/", " / "));
    node.put("description", "Simulated project " + path);
    node.put("default_branch", "main");
    node.put("visibility", project.isPrivate() ? "private" : "public");
    node.put("web_url", url() + "/" + path);
    node.put("star_count", 5);
    node.put("forks_count", 2);
    node.put("open_issues_count", 3);
    node.put("archived", project.isArchived());
    node.put("created_at", project.createdAt().toString());
    node.put("last_activity_at", project.pushedAt().toString());
    node.put("updated_at", project.pushedAt().toString());
    ArrayNode topics = node.putArray("topics");
    project.topicNames().forEach(topics::add);
    if (project.isFork()) {
      ObjectNode parent = JSON.createObjectNode();
      parent.put("id", 1);
      parent.put("path_with_namespace", "upstream/" + project.name());
      node.set("forked_from_project", parent);
    } else {
      node.remove("forked_from_project");
    }
    return node;
  }

  private ObjectNode commitJson(SimulatedRepository project, String path, int index) {
    ObjectNode node = commitTemplate.deepCopy();
    String sha = project.sha(index);
    int author = project.authorOf(index);
    String date = Instant.ofEpochSecond(project.committedAtSeconds(index)).toString();
    String message = "Change " + index + ": adjust module " + (index % 5) + "\n\nSimulated commit body.";
    node.put("id", sha);
    node.put("short_id", sha.substring(0, 8));
    node.put("title", "Change " + index + ": adjust module " + (index % 5));
    node.put("message", message);
    for (String role : List.of("author", "committer")) {
      node.put(role + "_name", project.authorName(author));
      node.put(role + "_email", project.authorEmail(author));
    }
    node.put("authored_date", date);
    node.put("committed_date", date);
    node.put("created_at", date);
    ArrayNode parents = node.putArray("parent_ids");
    if (index > 0) {
      parents.add(project.sha(index - 1));
    }
    ObjectNode stats = (ObjectNode) node.get("stats");
    stats.put("additions", project.additions(index));
    stats.put("deletions", project.deletions(index));
    stats.put("total", project.additions(index) + project.deletions(index));
    node.put("web_url", url() + "/" + path + "/-/commit/" + sha);
    node.put("project_id", project.databaseId());
    return node;
  }

  private ObjectNode mergeRequestJson(SimulatedRepository project, String path, long iid) {
    ObjectNode node = mergeRequestTemplate.deepCopy();
    String state = project.pullState(iid);
    long created = project.pullCreatedAtSeconds(iid);
    node.put("id", project.databaseId() * 100_000 + iid);
    node.put("iid", iid);
    node.put("project_id", project.databaseId());
    node.put("title", "Pull request " + iid);
    node.put("state", state.equals("open") ? "opened" : state);
    node.put("source_branch", "feature-" + iid);
    node.put("target_branch", "main");
    node.put("created_at", Instant.ofEpochSecond(created).toString());
    node.put("updated_at", Instant.ofEpochSecond(project.pullUpdatedAtSeconds(iid)).toString());
    if (state.equals("merged")) {
      node.put("merged_at", Instant.ofEpochSecond(created + 3600).toString());
      node.put("merge_commit_sha", project.sha((int) (iid % Math.max(1, project.commitCount()))));
    } else {
      node.putNull("merged_at");
      node.putNull("merge_commit_sha");
    }
    if (state.equals("open")) {
      node.putNull("closed_at");
    } else {
      node.put("closed_at", Instant.ofEpochSecond(created + 3600).toString());
    }
    ObjectNode author = (ObjectNode) node.get("author");
    int who = (int) (iid % project.contributorCount());
    author.put("id", 1000 + who);
    author.put("username", project.login(who));
    author.put("name", project.authorName(who));
    node.put("draft", iid % 20 == 0);
    node.putArray("labels");
    node.put("web_url", url() + "/" + path + "/-/merge_requests/" + iid);
    return node;
  }

  private ObjectNode issueJson(SimulatedRepository project, String path, long iid) {
    ObjectNode node = issueTemplate.deepCopy();
    long created = project.issueCreatedAtSeconds(iid);
    boolean closed = project.issueState(iid).equals("closed");
    node.put("id", project.databaseId() * 1_000_000 + iid);
    node.put("iid", iid);
    node.put("project_id", project.databaseId());
    node.put("title", "Issue " + iid);
    node.put("description", "Simulated issue " + iid + ".");
    node.put("state", closed ? "closed" : "opened");
    node.put("created_at", Instant.ofEpochSecond(created).toString());
    node.put("updated_at", Instant.ofEpochSecond(project.issueUpdatedAtSeconds(iid)).toString());
    if (closed) {
      node.put("closed_at", Instant.ofEpochSecond(created + 1200).toString());
    } else {
      node.putNull("closed_at");
      node.putNull("closed_by");
    }
    int who = (int) (iid % project.contributorCount());
    ObjectNode author = (ObjectNode) node.get("author");
    author.put("id", 1000 + who);
    author.put("username", project.login(who));
    if (iid % 5 == 0) {
      ((ObjectNode) node.get("assignee")).put("username", project.login((int) ((iid + 1) % project
          .contributorCount())));
    } else {
      node.putNull("assignee");
    }
    ArrayNode labels = node.putArray("labels");
    if (iid % 4 == 0) {
      labels.add("bug");
    }
    if (iid % 7 == 0) {
      ((ObjectNode) node.get("milestone")).put("title", "v1.0");
    } else {
      node.putNull("milestone");
    }
    node.put("user_notes_count", project.issueCommentCount(iid));
    node.put("web_url", url() + "/" + path + "/-/issues/" + iid);
    return node;
  }

  /** A deployment with the status it has now (GitLab keeps no history of them). */
  private ObjectNode deploymentJson(SimulatedRepository project, int index) {
    ObjectNode node = deploymentTemplate.deepCopy();
    List<String[]> statuses = project.deploymentStatuses(index);
    String state = statuses.get(statuses.size() - 1)[0];
    node.put("id", project.deploymentId(index));
    node.put("iid", index + 1);
    node.put("ref", "main");
    node.put("sha", project.deploymentSha(index));
    node.put("status", switch (state) {
      case "pending" -> "created";
      case "in_progress" -> "running";
      case "failure" -> "failed";
      case "inactive" -> "canceled";
      default -> state;
    });
    node.put("created_at", Instant.ofEpochSecond(project.deploymentCreatedAtSeconds(index)).toString());
    node.put("updated_at", Instant.ofEpochSecond(project.deploymentUpdatedAtSeconds(index)).toString());
    String environment = project.deploymentEnvironment(index);
    ((ObjectNode) node.get("environment")).put("name", environment).put("id", environment.equals("staging") ? 1 : 2);
    ((ObjectNode) node.get("user")).put("username", project.login(index % project.contributorCount()));
    return node;
  }

  /** A pipeline: in a list, the list's fields only; alone, the whole resource. */
  private ObjectNode pipelineJson(SimulatedRepository project, String path, int index, boolean whole) {
    ObjectNode node = whole ? pipelineTemplate.deepCopy() : JSON.createObjectNode();
    String[] status = project.ciStatus(index).split("/");
    String gitlabStatus = switch (status[0]) {
      case "queued" -> "pending";
      case "in_progress" -> "running";
      default -> switch (status[1]) {
        case "failure" -> "failed";
        case "cancelled" -> "canceled";
        default -> status[1];
      };
    };
    long id = project.ciRunId(index);
    long created = project.ciCreatedAtSeconds(index);
    node.put("id", id);
    node.put("iid", index + 1);
    node.put("project_id", project.databaseId());
    node.put("sha", project.sha(index % Math.max(1, project.commitCount())));
    node.put("ref", "main");
    node.put("status", gitlabStatus);
    node.put("source", index % 3 == 0 ? "web" : "push");
    node.put("created_at", Instant.ofEpochSecond(created).toString());
    node.put("updated_at", Instant.ofEpochSecond(project.ciUpdatedAtSeconds(index)).toString());
    node.put("web_url", url() + "/" + path + "/-/pipelines/" + id);
    if (whole) {
      node.put("name", index % 3 == 0 ? "Deploy" : "Build");
      boolean started = !status[0].equals("queued");
      boolean finished = status[0].equals("completed");
      if (started) {
        node.put("started_at", Instant.ofEpochSecond(created + 5).toString());
      } else {
        node.putNull("started_at");
      }
      if (finished) {
        node.put("finished_at", Instant.ofEpochSecond(project.ciUpdatedAtSeconds(index)).toString());
        node.put("duration", project.ciUpdatedAtSeconds(index) - created - 5);
      } else {
        node.putNull("finished_at");
        node.putNull("duration");
      }
    }
    return node;
  }

  /** Release {@code index}: GitLab has no drafts, so a simulated draft is a release still to come. */
  private ObjectNode releaseJson(SimulatedRepository project, String path, int index) {
    ObjectNode node = releaseTemplate.deepCopy();
    String tag = SimulatedRepository.releaseTag(index);
    long created = project.releaseCreatedAtSeconds(index);
    node.put("tag_name", tag);
    node.put("name", project.releaseName(index));
    node.put("description", project.releaseNotes(index));
    node.put("created_at", Instant.ofEpochSecond(created).toString());
    node.put("released_at", Instant.ofEpochSecond(created + 60).toString());
    node.put("upcoming_release", project.releaseIsDraft(index));
    ((ObjectNode) node.get("commit")).put("id", project.releaseTarget(index));
    ((ObjectNode) node.get("author")).put("username", project.login(index % project.contributorCount()));
    ((ObjectNode) node.get("_links")).put("self", url() + "/" + path + "/-/releases/" + tag);
    return node;
  }

  /** Note {@code comment} of an issue; -1 is the system note that precedes them. */
  private ObjectNode issueNoteJson(SimulatedRepository project, long iid, int comment) {
    ObjectNode note = noteTemplate.deepCopy();
    boolean system = comment < 0;
    note.put("id", system ? iid * 1_000L + 999 : project.issueCommentId(iid, comment));
    note.put("body", system ? "changed the description" : "Comment " + comment + " on #" + iid);
    ObjectNode author = (ObjectNode) note.get("author");
    int who = (int) ((iid + Math.max(0, comment)) % project.contributorCount());
    author.put("id", 1000 + who);
    author.put("username", project.login(who));
    String at = Instant.ofEpochSecond(system ? project.issueCreatedAtSeconds(iid)
        : project.issueCommentAtSeconds(iid, comment)).toString();
    note.put("created_at", at);
    note.put("updated_at", at);
    note.put("system", system);
    note.put("noteable_type", "Issue");
    note.put("noteable_iid", iid);
    return note;
  }

  private <T> Reply paged(List<T> all, Map<String, String> query, String path,
      java.util.function.Function<T, JsonNode> render) {
    int perPage = Math.max(1, Math.min(100, Integer.parseInt(query.getOrDefault("per_page", "20"))));
    int page = Math.max(1, Integer.parseInt(query.getOrDefault("page", "1")));
    ArrayNode values = JSON.createArrayNode();
    for (int k = (page - 1) * perPage; k < Math.min(all.size(), page * perPage); k++) {
      values.add(render.apply(all.get(k)));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    boolean more = page * perPage < all.size();
    headers.put("X-Page", Integer.toString(page));
    headers.put("X-Per-Page", Integer.toString(perPage));
    headers.put("X-Next-Page", more ? Integer.toString(page + 1) : "");
    headers.put("X-Prev-Page", page > 1 ? Integer.toString(page - 1) : "");
    List<String> links = new ArrayList<>();
    if (more) {
      links.add("<" + pageUrl(path, query, page + 1) + ">; rel=\"next\"");
    }
    links.add("<" + pageUrl(path, query, 1) + ">; rel=\"first\"");
    if (all.size() <= TOTALS_LIMIT) {
      int last = Math.max(1, (all.size() + perPage - 1) / perPage);
      headers.put("X-Total", Integer.toString(all.size()));
      headers.put("X-Total-Pages", Integer.toString(last));
      links.add("<" + pageUrl(path, query, last) + ">; rel=\"last\"");
    }
    headers.put("Link", String.join(", ", links));
    return new Reply(200, headers, values);
  }

  private String pageUrl(String path, Map<String, String> query, int page) {
    Map<String, String> params = new LinkedHashMap<>(query);
    params.put("page", Integer.toString(page));
    StringBuilder url = new StringBuilder(url()).append(path).append('?');
    params.forEach((k, v) -> url.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8))
        .append('&'));
    url.setLength(url.length() - 1);
    return url.toString();
  }

  private static Reply error(int status, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.put("message", message);
    return new Reply(status, body);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return params;
  }

  private static JsonNode template(String name) {
    return LoopbackHttp.template(GitLabSimulator.class, name);
  }
}
