package io.gitcollector.demo;

import io.gitcollector.server.cli.ServeCommand;
import io.gitcollector.server.config.ServerConfig;
import io.gitcollector.server.http.ApiServer;
import io.gitcollector.server.http.JwtAuthenticator;
import io.gitcollector.server.service.CollectionService;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve}, with {@code --demo}: the server beside a simulated GitHub, subscribed to its sample repository. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Runs the HTTP server: triggers, status, subscriptions, schedules, webhooks, metrics.")
public final class DemoServeCommand extends ServeCommand {
  private static final String DEMO_URL = "https://github.com/octo-demo/hello-collector";
  private static final String DEMO_TOKEN = "demo-token-not-a-secret";

  @Option(names = "--demo", description = "Also start the GitHub simulator on 127.0.0.1 with a sample repository,"
      + " subscribe to it, and print a token and curl commands (no network, no token needed).")
  boolean demo;

  @Override
  protected Hooks hooks() {
    return demo ? new DemoHooks() : Hooks.NONE;
  }

  private static final class DemoHooks implements Hooks {
    private GitHubSimulator simulator;

    @Override
    public void beforeStart(Map<String, String> environment) {
      simulator = GitHubSimulator.builder().token(DEMO_TOKEN).start();
      simulator.addRepository("octo-demo/hello-collector", RepositorySpec.of(5_000, 500, 2).withIssues(500, 2)
          .withCiRuns(500).withDeployments(48).withReleases(20));
      environment.put("GITHUB_API_URL", simulator.apiBaseUrl());
      environment.put("GITHUB_TOKEN", DEMO_TOKEN);
      environment.putIfAbsent("COLLECTOR_DATA_DIR", "collector-data/serve-demo");
      if (!environment.containsKey("JWT_SECRET_KEY") && !environment.containsKey("JWT_JWKS_URL")) {
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        environment.put("JWT_SECRET_KEY", Base64.getEncoder().encodeToString(random));
      }
    }

    @Override
    public void started(ServerConfig config, CollectionService service, ApiServer api) {
      service.subscribe(DEMO_URL, Optional.of(Duration.ofMinutes(5)), Optional.empty());
      String token = JwtAuthenticator.mint(config.jwtSecret().orElseThrow(), "demo",
          Set.of(JwtAuthenticator.READ, JwtAuthenticator.TRIGGER), Duration.ofHours(12));
      String base = "http://127.0.0.1:" + api.port();
      System.err.println("demo: subscribed to " + DEMO_URL + " (served by the simulator at "
          + simulator.apiBaseUrl() + "); try:");
      System.err.println("  export TOKEN=" + token);
      System.err.println("  curl -s -X POST -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json'"
          + " -d '{\"repository_url\":\"" + DEMO_URL + "\",\"full_sync\":false}' " + base
          + "/api/v1/collect/trigger");
      System.err.println("  curl -s -H \"Authorization: Bearer $TOKEN\" " + base
          + "/api/v1/collect/status/github:github.com/octo-demo/hello-collector");
      System.err.println("  curl -s " + base + "/health; curl -s " + base + "/metrics | grep git_collector");
    }

    @Override
    public void stopped() {
      simulator.close();
    }
  }
}
