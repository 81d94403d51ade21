package com.example.gitea;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A WireMock fake of a Gitea server holding one repository. Bodies follow the definitions of Gitea's API
 * documentation (swagger v1: {@code Repository}, {@code Commit} with {@code RepoCommit}, {@code CommitMeta} and
 * {@code CommitStats}, {@code PullRequest} with {@code PRBranchInfo}, {@code PullReview}, {@code User}); lists are
 * paged with {@code page} and {@code limit} and say whether more follow in {@code X-HasMore}, as Gitea does.
 */
final class FakeGitea implements AutoCloseable {
  static final String OWNER = "team";
  static final String NAME = "plugin-demo";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant EPOCH = Instant.parse("2024-02-01T00:00:00Z");

  private final WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort()
      .bindAddress("127.0.0.1"));
  private final int commits;
  private final int pulls;

  FakeGitea(int commits, int pulls) {
    this.commits = commits;
    this.pulls = pulls;
    server.start();
    String repo = "/api/v1/repos/" + OWNER + "/" + NAME;
    server.stubFor(get(urlPathEqualTo(repo)).willReturn(json(repository(), false)));
    server.stubFor(get(urlPathEqualTo(repo + "/commits")).withQueryParam("sha", equalTo("main"))
        .withQueryParam("limit", equalTo("1")).willReturn(json(commitPage(0, 1), true)));
    int limit = GiteaClient.LIMIT;
    for (int page = 1; (page - 1) * limit < Math.max(commits, 1); page++) {
      server.stubFor(get(urlPathEqualTo(repo + "/commits")).withQueryParam("sha", equalTo(sha(commits - 1)))
          .withQueryParam("page", equalTo(Integer.toString(page)))
          .willReturn(json(commitPage((page - 1) * limit, limit), page * limit < commits)));
    }
    server.stubFor(get(urlPathEqualTo(repo + "/pulls")).withQueryParam("sort", equalTo("recentupdate"))
        .withQueryParam("limit", equalTo("1")).willReturn(json(pullPage(pulls, 1, -1), pulls > 1)));
    for (int page = 1; (page - 1) * limit < Math.max(pulls, 1); page++) {
      server.stubFor(get(urlPathEqualTo(repo + "/pulls")).withQueryParam("sort", equalTo("oldest"))
          .withQueryParam("page", equalTo(Integer.toString(page)))
          .willReturn(json(pullPage((page - 1) * limit + 1, limit, 1), page * limit < pulls)));
      server.stubFor(get(urlPathEqualTo(repo + "/pulls")).withQueryParam("sort", equalTo("recentupdate"))
          .withQueryParam("limit", equalTo(Integer.toString(limit)))
          .withQueryParam("page", equalTo(Integer.toString(page)))
          .willReturn(json(pullPage(pulls - (page - 1) * limit, limit, -1), page * limit < pulls)));
    }
    for (int number = 1; number <= pulls; number++) {
      server.stubFor(get(urlPathEqualTo(repo + "/pulls/" + number + "/reviews"))
          .willReturn(json(reviews(number), false)));
    }
  }

  String apiBaseUrl() {
    return "http://127.0.0.1:" + server.port() + "/api/v1";
  }

  String repositoryUrl() {
    return "http://127.0.0.1:" + server.port() + "/" + OWNER + "/" + NAME;
  }

  Set<String> commitShas() {
    Set<String> shas = new HashSet<>();
    for (int i = 0; i < commits; i++) {
      shas.add(sha(i));
    }
    return shas;
  }

  Set<Long> pullNumbers() {
    Set<Long> numbers = new HashSet<>();
    for (long n = 1; n <= pulls; n++) {
      numbers.add(n);
    }
    return numbers;
  }

  @Override
  public void close() {
    server.stop();
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(Object body,
      boolean hasMore) {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
        .withHeader("X-HasMore", Boolean.toString(hasMore)).withBody(body.toString());
  }

  static String sha(int index) {
    return String.format(Locale.ROOT, "%032x%08x", 0xA11CEL * 7919L + index * 104729L, index);
  }

  private ObjectNode user(int id) {
    ObjectNode user = JSON.createObjectNode();
    user.put("id", id);
    user.put("login", "dev" + id);
    user.put("full_name", "Developer " + id);
    user.put("email", "dev" + id + "@example.com");
    user.put("avatar_url", "https://gitea.example.com/avatars/" + id);
    return user;
  }

  private ObjectNode repository() {
    ObjectNode repository = JSON.createObjectNode();
    repository.put("id", 42);
    repository.set("owner", user(1));
    repository.put("name", NAME);
    repository.put("full_name", OWNER + "/" + NAME);
    repository.put("description", "A repository on a fake Gitea");
    repository.put("empty", false);
    repository.put("private", false);
    repository.put("fork", false);
    repository.put("template", false);
    repository.put("mirror", false);
    repository.put("size", 512);
    repository.put("language", "Go");
    repository.put("html_url", "https://gitea.example.com/" + OWNER + "/" + NAME);
    repository.put("stars_count", 3);
    repository.put("forks_count", 1);
    repository.put("watchers_count", 2);
    repository.put("open_issues_count", 4);
    repository.put("open_pr_counter", 1);
    repository.put("default_branch", "main");
    repository.put("archived", false);
    repository.put("created_at", EPOCH.minusSeconds(86_400).toString());
    repository.put("updated_at", EPOCH.plusSeconds(commits * 60L).toString());
    return repository;
  }

  /** Commits newest first from position {@code from} (0 = head). */
  private ArrayNode commitPage(int from, int limit) {
    ArrayNode page = JSON.createArrayNode();
    for (int k = from; k < Math.min(commits, from + limit); k++) {
      int index = commits - 1 - k;
      ObjectNode commit = page.addObject();
      commit.put("url", "https://gitea.example.com/api/v1/repos/" + OWNER + "/" + NAME + "/git/commits/"
          + sha(index));
      commit.put("sha", sha(index));
      String date = EPOCH.plusSeconds(index * 60L).toString();
      commit.put("created", date);
      commit.put("html_url", "https://gitea.example.com/" + OWNER + "/" + NAME + "/commit/" + sha(index));
      ObjectNode git = commit.putObject("commit");
      git.put("url", commit.path("url").asText());
      for (String role : new String[] {"author", "committer"}) {
        git.putObject(role).put("name", "Developer " + (index % 4)).put("email", "dev" + (index % 4)
            + "@example.com").put("date", date);
        commit.set(role, user(index % 4));
      }
      git.put("message", "Change " + index);
      git.putObject("tree").put("url", "https://gitea.example.com/tree").put("sha", sha(index)).put("created", date);
      ArrayNode parents = commit.putArray("parents");
      if (index > 0) {
        parents.addObject().put("url", "https://gitea.example.com/commit").put("sha", sha(index - 1))
            .put("created", date);
      }
      commit.putObject("stats").put("total", index % 9 + index % 5).put("additions", index % 9)
          .put("deletions", index % 5);
    }
    return page;
  }

  /** Pull requests from number {@code from}, ascending (+1) or descending (-1). */
  private ArrayNode pullPage(int from, int limit, int step) {
    ArrayNode page = JSON.createArrayNode();
    for (int k = 0, number = from; k < limit && number >= 1 && number <= pulls; k++, number += step) {
      ObjectNode pull = page.addObject();
      pull.put("id", 9000 + number);
      pull.put("url", "https://gitea.example.com/api/v1/repos/" + OWNER + "/" + NAME + "/pulls/" + number);
      pull.put("number", number);
      pull.set("user", user(number % 4));
      pull.put("title", "Pull request " + number);
      pull.put("body", "");
      pull.putArray("labels");
      boolean merged = number % 3 == 0;
      pull.put("state", number % 5 == 0 ? "open" : "closed");
      pull.put("draft", false);
      pull.put("is_locked", false);
      pull.put("comments", 0);
      pull.put("html_url", "https://gitea.example.com/" + OWNER + "/" + NAME + "/pulls/" + number);
      pull.put("mergeable", true);
      pull.put("merged", merged && number % 5 != 0);
      String created = EPOCH.plusSeconds(number * 3600L).toString();
      pull.put("created_at", created);
      pull.put("updated_at", EPOCH.plusSeconds(number * 3600L + 1800).toString());
      if (number % 5 == 0) {
        pull.putNull("closed_at");
        pull.putNull("merged_at");
        pull.putNull("merge_commit_sha");
      } else {
        pull.put("closed_at", EPOCH.plusSeconds(number * 3600L + 1800).toString());
        if (merged) {
          pull.put("merged_at", EPOCH.plusSeconds(number * 3600L + 1800).toString());
          pull.put("merge_commit_sha", sha(number % Math.max(1, commits)));
        } else {
          pull.putNull("merged_at");
          pull.putNull("merge_commit_sha");
        }
      }
      pull.putObject("head").put("label", "feature-" + number).put("ref", "feature-" + number)
          .put("sha", sha(0)).put("repo_id", 42);
      pull.putObject("base").put("label", "main").put("ref", "main").put("sha", sha(0)).put("repo_id", 42);
    }
    return page;
  }

  private ArrayNode reviews(int number) {
    ArrayNode reviews = JSON.createArrayNode();
    for (int r = 0; r < 2; r++) {
      ObjectNode review = reviews.addObject();
      review.put("id", number * 100 + r);
      review.set("user", user((number + r) % 4));
      review.put("state", r == 0 ? "APPROVED" : "COMMENT");
      review.put("body", "Review " + r);
      review.put("commit_id", sha(0));
      review.put("stale", false);
      review.put("official", r == 0);
      review.put("dismissed", false);
      review.put("comments_count", 0);
      review.put("submitted_at", EPOCH.plusSeconds(number * 3600L + 600L * (r + 1)).toString());
      review.put("html_url", "https://gitea.example.com/" + OWNER + "/" + NAME + "/pulls/" + number);
      review.put("pull_request_url", "https://gitea.example.com/" + OWNER + "/" + NAME + "/pulls/" + number);
    }
    return reviews;
  }
}
