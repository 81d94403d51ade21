package io.gitcollector.connect.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A Kafka Connect worker as operators run one: {@code org.apache.kafka.connect.cli.ConnectDistributed} in a JVM of its
 * own, with a Kafka release's class path and the packaged plugin directory on {@code plugin.path}.
 */
final class ConnectWorker implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final int port;
  final Path log;

  private ConnectWorker(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * A worker of {@code release} (its class path in {@code worker-<release>/target/worker}) in group {@code group}.
   * Lost tasks are reassigned after 3 s ({@code scheduled.rebalance.max.delay.ms}; the default waits 5 minutes for a
   * worker to come back), and offsets are committed every second.
   */
  static ConnectWorker start(String release, String bootstrapServers, String group, Path directory)
      throws IOException {
    return start(release, bootstrapServers, group, directory, packagedPlugin());
  }

  /** The plugin directory the build packaged. */
  static Path packagedPlugin() {
    return Path.of(System.getProperty("gitcollector.connect.plugin"));
  }

  /** The same, with {@code plugin} (a directory holding {@code lib/}) as the connector's plugin directory. */
  static ConnectWorker start(String release, String bootstrapServers, String group, Path directory, Path plugin)
      throws IOException {
    Path classPath = Path.of(System.getProperty("gitcollector.connect.workers"), "worker-" + release, "target",
        "worker");
    if (!Files.isDirectory(classPath) || !Files.isDirectory(plugin)) {
      throw new IllegalStateException("build the worker class path " + classPath + " and the plugin " + plugin
          + " first (mvn package)");
    }
    int port = freePort();
    Map<String, String> config = new LinkedHashMap<>();
    config.put("bootstrap.servers", bootstrapServers);
    config.put("group.id", group);
    config.put("config.storage.topic", group + "-configs");
    config.put("offset.storage.topic", group + "-offsets");
    config.put("status.storage.topic", group + "-status");
    config.put("config.storage.replication.factor", "1");
    config.put("offset.storage.replication.factor", "1");
    config.put("status.storage.replication.factor", "1");
    config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
    // the plugin's parent directory: every directory in it is a plugin
    config.put("plugin.path", plugin.getParent().toAbsolutePath().toString());
    config.put("listeners", "http://127.0.0.1:" + port);
    config.put("rest.advertised.host.name", "127.0.0.1");
    config.put("rest.advertised.port", Integer.toString(port));
    config.put("offset.flush.interval.ms", "1000");
    config.put("scheduled.rebalance.max.delay.ms", "3000");
    Properties properties = new Properties();
    properties.putAll(config);
    Files.createDirectories(directory);
    Path file = directory.resolve("worker-" + port + ".properties");
    try (var out = Files.newBufferedWriter(file)) {
      properties.store(out, "Connect worker for a plugin test");
    }
    Path log = directory.resolve("worker-" + port + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-Xmx384m", "-Dorg.slf4j.simpleLogger.showDateTime=true", "-cp", classPath.toAbsolutePath() + "/*",
        "org.apache.kafka.connect.cli.ConnectDistributed", file.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ConnectWorker(process, port, log);
  }

  String id() {
    return "127.0.0.1:" + port;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** The REST API's answer, or -1 and the error while the worker does not answer. */
  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build());
  }

  HttpResponse<String> put(String path, String json) {
    return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  boolean answers() {
    try {
      return HTTP.send(HttpRequest.newBuilder(uri("/")).timeout(Duration.ofSeconds(2)).GET().build(),
          HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** kill -9: no shutdown hook, no offset commit, no leaving the group. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  boolean alive() {
    return process.isAlive();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
