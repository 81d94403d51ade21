package io.gitcollector.server;

import io.gitcollector.core.engine.EnvironmentSettings;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.server.config.ServerConfig;
import io.gitcollector.server.http.ApiServer;
import io.gitcollector.server.http.JwtAuthenticator;
import io.gitcollector.server.http.ServerMetrics;
import io.gitcollector.server.service.CollectionService;
import java.util.Map;
import java.util.Optional;

/**
 * A server in the test's JVM, wired from an environment as {@code serve} wires it (collector, service, HTTP API on a
 * free loopback port), for tests that look at it from outside: over HTTP, in a browser, with a health check.
 */
record InProcessServer(GitCollector collector, CollectionService service, ApiServer api) implements AutoCloseable {

  static InProcessServer start(Map<String, String> environment) {
    ServerConfig config = ServerConfig.load(environment, Optional.empty());
    var metrics = ServerMetrics.registry();
    GitCollector collector = EnvironmentSettings.of(config.collectorSettings())
        .applyTo(GitCollector.builder(), InProcessServer.class.getClassLoader()).meterRegistry(metrics).build();
    CollectionService service = new CollectionService(collector, config.webhookSecrets(), config.syncInterval(),
        config.fullSyncInterval(), config.schedulerTick(), config.workers(), config.shutdownGrace());
    ApiServer api = new ApiServer(collector, service, metrics, JwtAuthenticator.hs256(config.jwtSecret()
        .orElseThrow()), config.metricsPublic(), new ApiServer.WebhookLimits(config.maxWebhookBytes(),
        config.webhookInflightBytes()), "127.0.0.1", 0).start();
    return new InProcessServer(collector, service, api);
  }

  String base() {
    return "http://127.0.0.1:" + api.port();
  }

  @Override
  public void close() {
    api.close();
    service.close();
    collector.close();
  }
}
