package io.gitcollector.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.testkit.envelopes.EnvelopeFiles;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in its own JVM: each bad input has its own exit code and one-line message; tokens never leak. */
class CommandLineIT {
  private static final String TOKEN = "ghp_commandLineSecretToken1234567890";
  private static GitHubSimulator simulator;
  @TempDir Path work;

  @BeforeAll
  static void start() {
    simulator = GitHubSimulator.builder().token(TOKEN).start();
    simulator.addRepository("acme/tool", RepositorySpec.of(350, 30, 2));
    simulator.addRepository("acme/private-tool", RepositorySpec.of(10, 1, 0).asPrivate());
    simulator.addRepository("acme/first-try", RepositorySpec.of(25, 3, 1));
    simulator.addOrganization("orgco");
    simulator.addRepository("orgco/api", RepositorySpec.of(5, 1, 0));
    simulator.addRepository("orgco/web", RepositorySpec.of(7, 0, 0).asPrivate());
    simulator.addRepository("orgco/api-fork", RepositorySpec.of(3, 0, 0)).markFork();
    simulator.addRepository("orgco/legacy", RepositorySpec.of(2, 0, 0));
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  private Map<String, String> env(String token) {
    Map<String, String> env = new HashMap<>();
    env.put("GITHUB_API_URL", simulator.apiBaseUrl());
    env.put("LOG_LEVEL", "debug");
    if (token != null) {
      env.put("GITHUB_TOKEN", token);
    }
    return env;
  }

  private record Outcome(int exitCode, String stdout, String stderr) {}

  private Outcome run(Map<String, String> env, String... args) throws Exception {
    ChildJvm child = ChildJvm.start(work, env, List.of(), args);
    int code = child.await();
    return new Outcome(code, child.stdout(), child.stderr());
  }

  private static void assertOneLineError(Outcome outcome, int exitCode, String fragment) {
    assertEquals(exitCode, outcome.exitCode(), outcome::stderr);
    List<String> errors = outcome.stderr().lines().filter(l -> l.startsWith("error: ")).toList();
    assertEquals(1, errors.size(), outcome::stderr);
    assertTrue(errors.get(0).contains(fragment), errors.get(0));
  }

  @Test
  void collectsARepositoryAndPrintsProgressAndASummary() throws Exception {
    Outcome outcome = run(env(TOKEN), "collect", "https://github.com/acme/tool", "--data-dir", "out");
    assertEquals(0, outcome.exitCode(), outcome.stderr());
    assertTrue(outcome.stderr().contains("collected github:github.com/acme/tool (incremental)"), outcome.stderr());
    assertTrue(outcome.stderr().contains("commits 350"), outcome.stderr());
    assertTrue(outcome.stderr().contains("rate limit left:"), outcome.stderr());
    assertEquals(350, EnvelopeFiles.read(work.resolve("out"), "git.commits").size());
    assertFalse((outcome.stdout() + outcome.stderr()).contains(TOKEN), "the token leaked");
  }

  @Test
  void collectsEverySelectedRepositoryOfAnOrganization() throws Exception {
    Outcome outcome = run(env(TOKEN), "collect", "https://github.com/orgco", "--no-forks", "--exclude", "legacy",
        "--data-dir", "org");
    assertEquals(0, outcome.exitCode(), outcome.stderr());
    assertTrue(outcome.stderr().contains("github:github.com/orgco: 4 repositories listed, 2 selected; 1 pages"
        + " (0 unchanged)"), outcome.stderr());
    assertTrue(outcome.stderr().contains("2 of 2 repositories collected"), outcome.stderr());
    assertEquals(java.util.Set.of("github:github.com/orgco/api", "github:github.com/orgco/web"),
        EnvelopeFiles.read(work.resolve("org"), "git.commits").stream().map(e -> e.path("repository_id").asText())
            .collect(java.util.stream.Collectors.toSet()));
    assertEquals(12, EnvelopeFiles.read(work.resolve("org"), "git.commits").size());

    Outcome again = run(env(TOKEN), "collect", "https://github.com/orgco", "--no-forks", "--exclude", "legacy",
        "--data-dir", "org");
    assertEquals(0, again.exitCode(), again.stderr());
    assertTrue(again.stderr().contains("1 pages (1 unchanged)") && again.stderr().contains("0 added"),
        again.stderr());
    assertEquals(12, EnvelopeFiles.read(work.resolve("org"), "git.commits").size(), "nothing collected twice");

    Outcome nobody = run(env(TOKEN), "collect", "https://github.com/no-such-org");
    assertOneLineError(nobody, 7, "no organization or user 'no-such-org'");
    Outcome badPattern = run(env(TOKEN), "collect", "https://github.com/orgco", "--include", "a b");
    assertOneLineError(badPattern, 15, "include: 'a b'");
  }

  @Test
  void anOrganizationIsPlannedBeforeItIsCollectedAndThePlanLearnsWhatItCost() throws Exception {
    String[] selection = {"--no-forks", "--exclude", "legacy", "--data-dir", "planned"};
    Outcome first = run(env(TOKEN), with(selection, "collect", "https://github.com/orgco", "--plan", "--full"));
    assertEquals(0, first.exitCode(), first.stderr());
    assertTrue(first.stdout().contains("plan for github:github.com/orgco (full): 2 of 4 repositories listed"),
        first.stdout());
    assertTrue(first.stdout().contains("0 at their last full sync's cost, 0 from their size at the cost per KB of"
        + " those, 2 at one request per stream and per MB"), first.stdout());
    assertTrue(first.stdout().contains("wall time: about"), first.stdout());
    assertEquals(List.of(), EnvelopeFiles.read(work.resolve("planned"), "git.commits"), "a plan collects nothing");

    Outcome collected = run(env(TOKEN), with(selection, "collect", "https://github.com/orgco", "--full"));
    assertEquals(0, collected.exitCode(), collected.stderr());
    java.util.regex.Matcher actual = java.util.regex.Pattern.compile("2 of 2 repositories collected, ([0-9,]+)"
        + " requests").matcher(collected.stderr());
    assertTrue(actual.find(), collected.stderr());
    assertTrue(collected.stderr().contains("(planned: about"), collected.stderr());
    assertTrue(collected.stderr().contains("since the last run 4 added"), "the plan did not settle the listing: "
        + collected.stderr());

    // the repositories were measured: a full sync of them is planned at exactly what the last one cost
    Outcome measured = run(env(TOKEN), with(selection, "collect", "https://github.com/orgco", "--plan", "--full"));
    assertEquals(0, measured.exitCode(), measured.stderr());
    assertTrue(measured.stdout().contains("2 of 4 repositories listed, about " + actual.group(1) + " requests"),
        measured.stdout() + " vs " + collected.stderr());
    assertTrue(measured.stdout().contains("2 at their last full sync's cost"), measured.stdout());
    Outcome incremental = run(env(TOKEN), with(selection, "collect", "https://github.com/orgco", "--plan"));
    assertTrue(incremental.stdout().contains("(incremental)") && incremental.stdout().contains("2 incremental"),
        incremental.stdout());

    Outcome repository = run(env(TOKEN), "collect", "https://github.com/acme/tool", "--plan");
    assertOneLineError(repository, 64, "--plan takes an organization");
  }

  private static String[] with(String[] tail, String... head) {
    List<String> all = new java.util.ArrayList<>(List.of(head));
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }

  @Test
  void aPublicRepositoryIsCollectedWithoutATokenAndTheCostIsSaid() throws Exception {
    Outcome outcome = run(env(null), "collect", "https://github.com/acme/first-try", "--data-dir", "first-try");
    assertEquals(0, outcome.exitCode(), outcome.stderr());
    assertTrue(outcome.stderr().contains("no GITHUB_TOKEN") && outcome.stderr().contains("60 requests an hour"),
        outcome.stderr());
    assertEquals(25, EnvelopeFiles.read(work.resolve("first-try"), "git.commits").size());
    assertEquals(3, EnvelopeFiles.read(work.resolve("first-try"), "git.pull_requests").size());
    assertEquals(0, simulator.stats().rateLimitViolations(), "the anonymous budget (60 an hour) was not overrun");
  }

  @Test
  void everyBadInputHasItsOwnExitCodeAndNoneShowsTheToken() throws Exception {
    List<Outcome> outcomes = new java.util.ArrayList<>();
    Outcome malformed = run(env(TOKEN), "collect", "github.com/acme");
    assertOneLineError(malformed, 2, "malformed repository URL");
    outcomes.add(malformed);
    Outcome unknown = run(env(TOKEN), "collect", "https://git.example.org/acme/tool");
    assertOneLineError(unknown, 3, "no platform adapter accepts host 'git.example.org'");
    outcomes.add(unknown);
    Outcome privateWithoutToken = run(env(null), "collect", "https://github.com/acme/private-tool");
    assertOneLineError(privateWithoutToken, 5, "set GITHUB_TOKEN");
    outcomes.add(privateWithoutToken);
    String wrongToken = "ghp_wrongButSecretToken0987654321";
    Outcome badToken = run(env(wrongToken), "collect", "https://github.com/acme/tool");
    assertOneLineError(badToken, 6, "refused the configured token");
    assertFalse((badToken.stdout() + badToken.stderr()).contains(wrongToken), "the wrong token leaked");
    Outcome missing = run(env(TOKEN), "collect", "https://github.com/acme/no-such-repo");
    assertOneLineError(missing, 7, "acme/no-such-repo was not found");
    outcomes.add(missing);
    Map<String, String> badUrl = env(TOKEN);
    badUrl.put("GITHUB_API_URL", "api.example.com");
    Outcome badConfig = run(badUrl, "collect", "https://github.com/acme/tool");
    assertOneLineError(badConfig, 15, "GITHUB_API_URL");
    outcomes.add(badConfig);
    Outcome usage = run(env(TOKEN), "collect");
    assertEquals(64, usage.exitCode(), usage.stderr());
    outcomes.add(usage);
    Outcome nothing = run(env(TOKEN));
    assertOneLineError(nothing, 64, "name a command: ");
    assertTrue(nothing.stderr().contains("Usage: collector-server"), nothing.stderr());
    Outcome version = run(env(TOKEN), "--version");
    assertEquals(0, version.exitCode(), version.stderr());
    assertTrue(version.stdout().strip().matches("git-collector \\d+\\.\\d+\\.\\d+.*"), "the build's version: "
        + version.stdout());
    Map<String, String> badRedis = env(TOKEN);
    badRedis.put("REDIS_URL", "redis://:s3cretRedisPassword@127.0.0.1:notaport/0");
    Outcome redis = run(badRedis, "collect", "https://github.com/acme/tool");
    assertOneLineError(redis, 15, "REDIS_URL");
    assertFalse(redis.stderr().contains("s3cretRedisPassword"), redis.stderr());
    Map<String, String> jwt = env(TOKEN);
    jwt.put("JWT_SECRET_KEY", "a-jwt-secret-of-at-least-32-bytes-long!!");
    Outcome expiredToken = run(jwt, "token", "--ttl=-PT1H");
    assertEquals(64, expiredToken.exitCode(), expiredToken.stderr());
    assertTrue(expiredToken.stderr().contains("--ttl must be positive"), expiredToken.stderr());
    assertEquals("", expiredToken.stdout(), "no token printed");
    for (Outcome outcome : outcomes) {
      assertFalse((outcome.stdout() + outcome.stderr()).contains(TOKEN), () -> "the token leaked: " + outcome);
    }
  }
}
