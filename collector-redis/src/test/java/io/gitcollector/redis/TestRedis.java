package io.gitcollector.redis;

import java.io.IOException;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * A real Redis server for tests: the Redis 6.2 binary that the embedded-redis artifact ships inside its jar, started
 * on a free loopback port with persistence off.
 */
public final class TestRedis implements AutoCloseable {
  private final RedisServer server;
  private final int port;

  private TestRedis(RedisServer server, int port) {
    this.server = server;
    this.port = port;
  }

  public static TestRedis start() throws IOException {
    return start(null);
  }

  /**
   * With a directory, the server keeps an append-only file there ({@code appendfsync always}), so that a restart
   * keeps the data, as a production Redis with persistence does.
   */
  public static TestRedis start(java.nio.file.Path directory) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    redis.embedded.core.RedisServerBuilder builder = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
        .setting("save \"\"");
    if (directory == null) {
      builder.setting("appendonly no");
    } else {
      java.nio.file.Files.createDirectories(directory);
      builder.setting("appendonly yes").setting("appendfsync always").setting("dir " + directory.toAbsolutePath());
    }
    RedisServer server = builder.build();
    server.start();
    return new TestRedis(server, port);
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public void stop() throws IOException {
    server.stop();
  }

  public void restart() throws IOException {
    server.start();
  }

  @Override
  public void close() throws IOException {
    if (server.isActive()) {
      server.stop();
    }
  }
}
