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
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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
public class ServeCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "A properties file with the same keys as the"
      + " environment (the environment wins).")
  Path configFile;

  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default 0.0.0.0).")
  String host;

  /**
   * What a variant of the command adds around the server (the demo's simulator): it may change the environment
   * before the configuration is read, act once the server listens, and stop what it started.
   */
  public interface Hooks {
    Hooks NONE = new Hooks() {};

    default void beforeStart(Map<String, String> environment) {}

    default void started(ServerConfig config, CollectionService service, ApiServer api) {}

    default void stopped() {}
  }

  /** The hooks of this command; the server's own has none. */
  protected Hooks hooks() {
    return Hooks.NONE;
  }

  @Override
  public Integer call() throws Exception {
    Hooks hooks = hooks();
    Map<String, String> environment = new HashMap<>(System.getenv());
    hooks.beforeStart(environment);
    ServerConfig config = ServerConfig.load(environment, Optional.ofNullable(configFile));
    if (!environment.containsKey("LOG_LEVEL")) {
      // a server tells its story at info (a collection's start and end, passes, leases); the command line's
      // progress owns stderr, so the collect command stays at warn
      if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
          instanceof ch.qos.logback.classic.Logger root) {
        root.setLevel(ch.qos.logback.classic.Level.INFO);
      }
    }
    JwtAuthenticator authenticator = config.jwtSecret().map(secret -> JwtAuthenticator.hs256(secret,
            config.jwtClockSkew()))
        .or(() -> config.jwksUrl().map(url -> JwtAuthenticator.jwks(url, config.jwtClockSkew())))
        .orElseThrow(() -> new InvalidConfigurationException("set JWT_SECRET_KEY (HS256, at least 32 bytes) or"
            + " JWT_JWKS_URL: every /api/v1 route needs a bearer token"));
    PrometheusMeterRegistry metrics = io.gitcollector.server.http.ServerMetrics.registry();
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
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.err.println("stopping: no new requests; finishing running collections");
      api.close();
      service.close();
      collector.close();
      hooks.stopped();
      System.err.println("stopped cleanly");
      stopped.countDown();
    }, "collector-shutdown"));
    hooks.started(config, service, api);
    stopped.await();
    return 0;
  }

  static Secret requireSecret(ServerConfig config) {
    return config.jwtSecret().orElseThrow(() -> new InvalidConfigurationException(
        "JWT_SECRET_KEY is not set; tokens can only be minted for an HS256 secret"));
  }
}
