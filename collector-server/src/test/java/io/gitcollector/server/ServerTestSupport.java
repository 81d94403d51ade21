package io.gitcollector.server;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLSession;

/** What the tests of server processes share: free ports, waiting on a condition, a stand-in for no answer. */
final class ServerTestSupport {
  private ServerTestSupport() {}

  static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * The environment of a server instance that shares its work through Redis, as the multi-instance tests start them:
   * short leases (3 s), a scheduler pass every second, two workers.
   */
  static Map<String, String> sharedInstance(String name, String redisUrl, String jwtSecret, int port,
      java.nio.file.Path data, String githubApiUrl, String githubToken) {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("REDIS_URL", redisUrl);
    env.put("JWT_SECRET_KEY", jwtSecret);
    env.put("PORT", Integer.toString(port));
    env.put("COLLECTOR_DATA_DIR", data.toString());
    env.put("GITHUB_API_URL", githubApiUrl);
    env.put("GITHUB_TOKEN", githubToken);
    env.put("LEASE_TTL", "PT3S");
    env.put("SYNC_INTERVAL", "PT1H");
    env.put("SCHEDULER_TICK", "1");
    env.put("COLLECTOR_WORKERS", "2");
    env.put("INSTANCE_ID", name);
    return env;
  }

  /** Waits up to two minutes for the condition, then fails with what the processes wrote to stderr. */
  static void awaitTrue(BooleanSupplier condition, String what, ChildJvm... processes) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        StringBuilder logs = new StringBuilder();
        for (ChildJvm process : processes) {
          logs.append(process.stderr()).append('\n');
        }
        throw new AssertionError("timed out waiting for " + what + "\n" + logs);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  /** Stands for a connection refused while a server starts or after it was killed: status 0, body {@code {}}. */
  static final class NoResponse implements HttpResponse<String> {
    @Override
    public int statusCode() {
      return 0;
    }

    @Override
    public HttpRequest request() {
      return null;
    }

    @Override
    public Optional<HttpResponse<String>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
      return HttpHeaders.of(Map.of(), (x, y) -> true);
    }

    @Override
    public String body() {
      return "{}";
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return null;
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }
}
