package io.gitcollector.testkit.http;

import io.gitcollector.core.spi.toolkit.DaemonThreads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** What every platform simulator shares: a JDK HTTP server on 127.0.0.1, JSON replies, bundled templates. */
public final class LoopbackHttp implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;

  private LoopbackHttp(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts a server on 127.0.0.1 ({@code port} 0: any free port) answering with {@code handler}. */
  public static LoopbackHttp start(String name, int port, int threads, HttpHandler handler) {
    ExecutorService executor = Executors.newFixedThreadPool(threads, DaemonThreads.named(name));
    // without TCP_NODELAY, headers and body leave as two segments and the client's delayed ACK adds ~40 ms a request
    System.setProperty("sun.net.httpserver.nodelay", "true");
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
      server.setExecutor(executor);
      server.createContext("/", handler);
      server.start();
      return new LoopbackHttp(server, executor);
    } catch (IOException e) {
      executor.shutdownNow();
      throw new UncheckedIOException("the " + name + " could not start", e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** Writes a JSON reply (or an empty one for a null body) and closes the exchange. */
  public static void reply(HttpExchange exchange, int status, Map<String, String> headers, JsonNode body)
      throws IOException {
    byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** A bundled template, next to {@code owner}'s class file. */
  public static JsonNode template(Class<?> owner, String name) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing simulator template " + name);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
