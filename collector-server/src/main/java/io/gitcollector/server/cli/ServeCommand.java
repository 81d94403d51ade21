package io.gitcollector.server.cli;

import io.gitcollector.core.engine.EnvironmentSettings;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.server.config.ServerConfig;
import io.gitcollector.server.http.ApiServer;
import io.gitcollector.server.http.JwtAuthenticator;
import io.gitcollector.server.service.CollectionService;
import io.gitcollector.server.service.Distribution;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import io.gitcollector.core.spi.coordination.Coordinator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code serve}: the standalone server. Configuration from the environment and an optional file; SIGTERM stops
 * intake, lets running collections finish within {@code SHUTDOWN_GRACE}, flushes the sink and exits.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Runs the HTTP server: triggers, status, subscriptions, schedules, webhooks, metrics.")
public final class ServeCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "A properties file with the same keys as the"
      + " environment (the environment wins).")
  Path configFile;

  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default 0.0.0.0).")
  String host;

  @Option(names = "--demo", description = "Also start the GitHub simulator on 127.0.0.1 with a sample repository,"
      + " subscribe to it, and print a token and curl commands (no network, no token needed).")
  boolean demo;

  @Override
  public Integer call() throws Exception {
    Map<String, String> environment = new HashMap<>(System.getenv());
    GitHubSimulator simulator = null;
    String demoUrl = "https://github.com/octo-demo/hello-collector";
    if (demo) {
      simulator = GitHubSimulator.builder().token("demo-token-not-a-secret").start();
      simulator.addRepository("octo-demo/hello-collector", RepositorySpec.of(5_000, 500, 2));
      environment.put("GITHUB_API_URL", simulator.apiBaseUrl());
      environment.put("GITHUB_TOKEN", "demo-token-not-a-secret");
      environment.putIfAbsent("COLLECTOR_DATA_DIR", "collector-data/serve-demo");
      if (!environment.containsKey("JWT_SECRET_KEY") && !environment.containsKey("JWT_JWKS_URL")) {
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        environment.put("JWT_SECRET_KEY", Base64.getEncoder().encodeToString(random));
      }
    }
    ServerConfig config = ServerConfig.load(environment, Optional.ofNullable(configFile));
    JwtAuthenticator authenticator = config.jwtSecret().map(secret -> JwtAuthenticator.hs256(secret,
            config.jwtClockSkew()))
        .or(() -> config.jwksUrl().map(url -> JwtAuthenticator.jwks(url, config.jwtClockSkew())))
        .orElseThrow(() -> new InvalidConfigurationException("set JWT_SECRET_KEY (HS256, at least 32 bytes) or"
            + " JWT_JWKS_URL: every /api/v1 route needs a bearer token"));
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    EnvironmentSettings settings = EnvironmentSettings.of(config.collectorSettings());
    ClassLoader loader = ServeCommand.class.getClassLoader();
    // with REDIS_URL, instances share a job queue and lease repositories; cursor writes are fenced by the leases
    Optional<Coordinator> coordinator = settings.coordinator(loader, config.instanceId(), config.leaseTtl());
    AtomicReference<Distribution> shared = new AtomicReference<>();
    GitCollector collector = settings.applyTo(GitCollector.builder(), loader, store -> coordinator.map(c -> {
      shared.set(Distribution.over(store, c, config.leaseTtl()));
      return shared.get().stateStore();
    }).orElse(store)).meterRegistry(metrics).build();
    Optional<Distribution> distribution = Optional.ofNullable(shared.get());
    CollectionService service = new CollectionService(collector, config.webhookSecrets(), config.syncInterval(),
        config.fullSyncInterval(), config.schedulerTick(), config.workers(), config.shutdownGrace(), distribution);
    ApiServer api = new ApiServer(collector, service, metrics, authenticator, config.metricsPublic(),
        new ApiServer.WebhookLimits(config.maxWebhookBytes(), config.webhookInflightBytes()), host, config.port())
        .start();
    System.err.println("git-collector server " + config.instanceId() + " listening on " + host + ":" + api.port()
        + " (sink " + collector.sink().describe() + ", state " + collector.stateStore().describe()
        + (distribution.isPresent() ? ", sharing work through Redis" : "") + ")");

    CountDownLatch stopped = new CountDownLatch(1);
    GitHubSimulator demoSimulator = simulator;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.err.println("stopping: no new requests; finishing running collections");
      api.close();
      service.close();
      collector.close();
      if (demoSimulator != null) {
        demoSimulator.close();
      }
      System.err.println("stopped cleanly");
      stopped.countDown();
    }, "collector-shutdown"));

    if (demo) {
      service.subscribe(demoUrl, Optional.of(Duration.ofMinutes(5)));
      String token = JwtAuthenticator.mint(config.jwtSecret().orElseThrow(), "demo",
          Set.of(JwtAuthenticator.READ, JwtAuthenticator.TRIGGER), Duration.ofHours(12));
      String base = "http://127.0.0.1:" + api.port();
      System.err.println("demo: subscribed to " + demoUrl + " (served by the simulator at "
          + simulator.apiBaseUrl() + "); try:");
      System.err.println("  export TOKEN=" + token);
      System.err.println("  curl -s -X POST -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json'"
          + " -d '{\"repository_url\":\"" + demoUrl + "\",\"full_sync\":false}' " + base
          + "/api/v1/collect/trigger");
      System.err.println("  curl -s -H \"Authorization: Bearer $TOKEN\" " + base
          + "/api/v1/collect/status/github:github.com/octo-demo/hello-collector");
      System.err.println("  curl -s " + base + "/health; curl -s " + base + "/metrics | grep git_collector");
    }
    stopped.await();
    return 0;
  }

  static Secret requireSecret(ServerConfig config) {
    return config.jwtSecret().orElseThrow(() -> new InvalidConfigurationException(
        "JWT_SECRET_KEY is not set; tokens can only be minted for an HS256 secret"));
  }
}
