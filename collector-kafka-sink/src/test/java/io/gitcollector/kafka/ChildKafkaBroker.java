package io.gitcollector.kafka;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A real KRaft broker (combined broker and controller) in its own JVM, from the same Maven artifacts, on fixed
 * loopback ports and a fixed log directory, so that it can be stopped and started again like a production broker
 * (the in-process test kit cannot restart a broker on the same address).
 */
final class ChildKafkaBroker implements AutoCloseable {
  private final Path directory;
  private final Path properties;
  private final int brokerPort;
  private Process process;

  private ChildKafkaBroker(Path directory, Path properties, int brokerPort) {
    this.directory = directory;
    this.properties = properties;
    this.brokerPort = brokerPort;
  }

  static ChildKafkaBroker format(Path directory) throws Exception {
    int brokerPort = freePort();
    int controllerPort = freePort();
    Properties config = new Properties();
    config.put("process.roles", "broker,controller");
    config.put("node.id", "1");
    config.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    config.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    config.put("controller.listener.names", "CONTROLLER");
    config.put("inter.broker.listener.name", "PLAINTEXT");
    config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    config.put("log.dirs", directory.resolve("logs").toString());
    config.put("offsets.topic.replication.factor", "1");
    config.put("transaction.state.log.replication.factor", "1");
    config.put("transaction.state.log.min.isr", "1");
    config.put("group.initial.rebalance.delay.ms", "0");
    config.put("num.partitions", "3");
    Files.createDirectories(directory);
    Path file = directory.resolve("server.properties");
    try (var out = Files.newBufferedWriter(file)) {
      config.store(out, "git-collector test broker");
    }
    ChildKafkaBroker broker = new ChildKafkaBroker(directory, file, brokerPort);
    Process format = broker.java(List.of("kafka.tools.StorageTool", "format", "-t",
        UUID.randomUUID().toString().substring(0, 22).replace("-", "A"), "-c", file.toString()), "format");
    if (!format.waitFor(2, TimeUnit.MINUTES) || format.exitValue() != 0) {
      throw new IllegalStateException("formatting the broker's storage failed: "
          + Files.readString(directory.resolve("format.log")));
    }
    return broker;
  }

  String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  /** Starts the broker and waits until it answers. */
  void start() throws Exception {
    process = java(List.of("kafka.Kafka", properties.toString()), "broker");
    Properties admin = new Properties();
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (true) {
      try (Admin client = Admin.create(admin)) {
        client.describeCluster().nodes().get(3, TimeUnit.SECONDS);
        return;
      } catch (Exception notYet) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the broker exited: " + Files.readString(directory.resolve("broker.log")));
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the broker did not answer within a minute");
        }
      }
    }
  }

  /** Stops the broker the hard way (SIGKILL): no controlled shutdown, as when a machine dies. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      kill();
    }
  }

  private Process java(List<String> arguments, String logName) throws IOException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.addAll(arguments);
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(directory.resolve(logName + ".log").toFile()).start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
