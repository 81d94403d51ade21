package io.gitcollector.testkit.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A platform gone hostile, for credential tests: a loopback proxy in front of a simulator that makes the platform
 * name another origin, the {@link Foreign} server, in its pagination links ({@code Link} headers and the {@code next}
 * fields of bodies), or redirect there. The foreign server records every request it gets, with the credential
 * headers it carried, so a test can prove that no credential left its origin.
 */
public final class OriginProxy implements AutoCloseable {
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "transfer-encoding",
      "keep-alive", "upgrade", "http2-settings");

  private final String upstream;
  private final Foreign foreign;
  private final boolean rewriteLinks;
  private final String redirectFragment;
  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final LoopbackHttp server;

  /** A request the foreign origin received: its path and the credential headers it carried. */
  public record Received(String path, Map<String, String> credentials) {}

  /** The other origin: answers every request with 404 after recording it. */
  public static final class Foreign implements AutoCloseable {
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final LoopbackHttp server;

    public Foreign() {
      this.server = LoopbackHttp.start("foreign-origin", 0, 2, exchange -> {
        Map<String, String> credentials = new java.util.TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          if (lower.equals("authorization") || lower.equals("private-token") || lower.equals("job-token")) {
            credentials.put(lower, String.join(",", values));
          }
        });
        received.add(new Received(exchange.getRequestURI().toString(), credentials));
        LoopbackHttp.reply(exchange, 404, Map.of(), null);
        exchange.close();
      });
    }

    public String origin() {
      return server.baseUrl();
    }

    public List<Received> received() {
      return List.copyOf(received);
    }

    @Override
    public void close() {
      server.close();
    }
  }

  private OriginProxy(String upstream, Foreign foreign, boolean rewriteLinks, String redirectFragment) {
    this.upstream = stripSlash(upstream);
    this.foreign = foreign;
    this.rewriteLinks = rewriteLinks;
    this.redirectFragment = redirectFragment;
    this.server = LoopbackHttp.start("origin-proxy", 0, 8, this::handle);
  }

  /** Passes everything to {@code upstreamOrigin}, with every pagination link rewritten to name {@code foreign}. */
  public static OriginProxy rewritingLinks(String upstreamOrigin, Foreign foreign) {
    return new OriginProxy(upstreamOrigin, foreign, true, null);
  }

  /** Passes everything to {@code upstreamOrigin}, but answers requests whose path contains {@code fragment} with a
   * {@code 302} to the same path on {@code foreign}. */
  public static OriginProxy redirecting(String upstreamOrigin, String fragment, Foreign foreign) {
    return new OriginProxy(upstreamOrigin, foreign, false, fragment);
  }

  /** {@code http://127.0.0.1:<port>}: configure it as the platform's API origin. */
  public String origin() {
    return server.baseUrl();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String pathAndQuery = exchange.getRequestURI().toString();
      if (redirectFragment != null && pathAndQuery.contains(redirectFragment)) {
        exchange.getResponseHeaders().set("Location", foreign.origin() + pathAndQuery);
        exchange.sendResponseHeaders(302, -1);
        return;
      }
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream + pathAndQuery))
          .timeout(Duration.ofSeconds(60));
      exchange.getRequestHeaders().forEach((name, values) -> {
        if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
          values.forEach(value -> request.header(name, value));
        }
      });
      byte[] body = exchange.getRequestBody().readAllBytes();
      request.method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofByteArray(body));
      HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      response.headers().map().forEach((name, values) -> {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!HOP_BY_HOP.contains(lower) && !lower.equals(":status")) {
          values.forEach(value -> exchange.getResponseHeaders().add(name, lower.equals("link")
              ? value.replace(upstream, linkOrigin()) : value));
        }
      });
      byte[] answer = response.body();
      if (answer.length > 0) {
        String text = new String(answer, StandardCharsets.UTF_8);
        answer = text.replace("\"next\":\"" + upstream, "\"next\":\"" + linkOrigin())
            .replace("\"next\": \"" + upstream, "\"next\": \"" + linkOrigin()).getBytes(StandardCharsets.UTF_8);
      }
      int status = response.statusCode();
      exchange.sendResponseHeaders(status, status == 304 || status == 204 || answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0 && status != 304 && status != 204) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exchange.close();
    }
  }

  /** Where pagination links point: the foreign origin when rewriting, else this proxy (pages stay on it). */
  private String linkOrigin() {
    return rewriteLinks ? foreign.origin() : origin();
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  public void close() {
    server.close();
  }
}
