package io.gitcollector.testkit.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.gitcollector.testkit.github.Fault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * What the platform simulators share about their traffic: the latency added to every request, faults injected on
 * routes, and request counts, in total and by route ({@code GET /projects/:id/merge_requests}, …).
 */
public final class SimulatorTraffic {
  private record Injected(Fault fault, String routeFragment, AtomicInteger remaining) {}

  private volatile Duration latency;
  private final List<Injected> faults = new CopyOnWriteArrayList<>();
  private final AtomicLong counted = new AtomicLong();
  private volatile Fault everyFault;
  private volatile int every;
  private final AtomicLong requests = new AtomicLong();
  private final Map<String, AtomicLong> byRoute = new ConcurrentHashMap<>();

  /** A JSON answer: status, headers, body (null for none). */
  public record Reply(int status, Map<String, String> headers, JsonNode body) {
    public Reply {
      headers = Map.copyOf(headers);
    }

    public Reply(int status, JsonNode body) {
      this(status, Map.of(), body);
    }
  }

  public SimulatorTraffic(Duration latency) {
    this.latency = Objects.requireNonNull(latency, "latency");
  }

  public void setLatency(Duration value) {
    this.latency = Objects.requireNonNull(value, "latency");
  }

  /** The next {@code times} requests whose route contains {@code routeFragment} get {@code fault}. */
  public void injectFault(Fault fault, String routeFragment, int times) {
    faults.add(new Injected(fault, routeFragment, new AtomicInteger(times)));
  }

  /**
   * The handler a simulator serves with: each request is counted, held for the latency, answered with what
   * {@code respond} makes of it, and closed.
   */
  public HttpHandler handler(Function<HttpExchange, Reply> respond) {
    return exchange -> {
      try {
        arrive();
        Reply reply = respond.apply(exchange);
        LoopbackHttp.reply(exchange, reply.status(), reply.headers(), reply.body());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        exchange.close();
      }
    };
  }

  /** Counts a request and holds it for the latency. */
  public void arrive() throws InterruptedException {
    requests.incrementAndGet();
    Duration wait = latency;
    if (!wait.isZero()) {
      Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
    }
  }

  /** Counts the request under its route. */
  public void route(String route) {
    byRoute.computeIfAbsent(route, k -> new AtomicLong()).incrementAndGet();
  }

  /** Every {@code n}th request (of any route) gets {@code fault}, for good; 0 turns it off. */
  public void injectEvery(Fault fault, int n) {
    this.everyFault = fault;
    this.every = n;
  }

  /** The fault injected for this route, if one is still due (taking it). */
  public Optional<Fault> dueFault(String route) {
    int n = every;
    if (n > 0 && counted.incrementAndGet() % n == 0) {
      return Optional.of(everyFault);
    }
    for (Injected injected : faults) {
      if (route.contains(injected.routeFragment()) && injected.remaining().getAndDecrement() > 0) {
        return Optional.of(injected.fault());
      }
    }
    return Optional.empty();
  }

  public long requests() {
    return requests.get();
  }

  public long requests(String routeFragment) {
    return byRoute.entrySet().stream().filter(e -> e.getKey().contains(routeFragment))
        .mapToLong(e -> e.getValue().get()).sum();
  }

  /** Requests by route, since the last reset. */
  public Map<String, Long> routes() {
    Map<String, Long> routes = new java.util.LinkedHashMap<>();
    byRoute.forEach((route, count) -> routes.put(route, count.get()));
    return routes;
  }

  public void reset() {
    requests.set(0);
    byRoute.clear();
  }
}
