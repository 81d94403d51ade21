package io.gitcollector.benchmarks;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.jsonl.JsonLinesSink;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.PullRequest;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.core.state.FileStateStore;
import io.gitcollector.server.http.ApiServer;
import io.gitcollector.server.http.JwtAuthenticator;
import io.gitcollector.server.service.CollectionService;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Scenario 6: webhook receipt to sink acknowledgement. A load generator on loopback sends signed GitHub
 * {@code pull_request} deliveries to the server's webhook endpoint at a fixed rate (open loop: a slow server does not
 * slow the sender); each delivery names another pull request, which the server verifies, de-duplicates, refreshes from
 * the simulator and publishes to the JSON-lines sink (fsync'd). Latency runs from the moment the delivery is sent to
 * the moment the sink acknowledges that pull request's envelope. The first seconds (five unless told) run at the same
 * rate as warm-up, so the JIT has compiled the hot paths, and are left out of the figures.
 *
 * <p>Run: {@code mvn -B -q install -DskipTests && mvn -B -q -pl collector-benchmarks exec:java
 * -Dexec.mainClass=io.gitcollector.benchmarks.WebhookLatencyBenchmark -Dexec.args="500 10 0 5"} (deliveries per
 * second, measured seconds, simulator latency in ms, warm-up seconds).
 */
public final class WebhookLatencyBenchmark {
  private static final String TOKEN = "ghp_webhookBenchToken";
  private static final Secret WEBHOOK_SECRET = Secret.of("webhook-bench-secret");
  private static final String REPOSITORY = "Codertocat/Hello-World";

  private WebhookLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int latency = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    int warmUpSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    int warmUp = rate * warmUpSeconds;
    int deliveries = warmUp + rate * seconds;
    String template = new String(resource("/github-examples/webhooks/pull_request.opened.0.json"),
        StandardCharsets.UTF_8);
    if (!template.contains("\"number\": 2,")) {
      throw new IllegalStateException("the webhook example no longer carries \"number\": 2");
    }
    // sent and acknowledged times by pull-request number (1-based), 0 while unknown
    AtomicLongArray sent = new AtomicLongArray(deliveries + 1);
    AtomicLongArray acknowledged = new AtomicLongArray(deliveries + 1);
    AtomicLongArray answered = new AtomicLongArray(deliveries + 1);
    AtomicInteger refused = new AtomicInteger();
    CountDownLatch allAcknowledged = new CountDownLatch(deliveries);
    Path data = Files.createTempDirectory("bench-webhooks");
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).latency(Duration.ofMillis(latency))
        .threads(64).start()) {
      simulator.addRepository(REPOSITORY, RepositorySpec.of(10, deliveries, 1));
      PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      Sink sink = new AcknowledgementRecorder(new JsonLinesSink(data), acknowledged, allAcknowledged);
      try (GitCollector collector = GitCollector.builder()
          .platform("github", PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.apiBaseUrl())
              .build())
          .sink(sink).stateStore(new FileStateStore(data.resolve("state"))).meterRegistry(metrics).build();
          CollectionService service = new CollectionService(collector, Map.of("github", WEBHOOK_SECRET),
              Duration.ofHours(1), Duration.ofDays(7), Duration.ofMinutes(1), 16, Duration.ofSeconds(30));
          ApiServer api = new ApiServer(collector, service, metrics,
              JwtAuthenticator.hs256(Secret.of("webhook-bench-jwt-key-of-32-bytes!")), false,
              new ApiServer.WebhookLimits(1 << 20, 64L << 20),
              "127.0.0.1", 0).start()) {
        String endpoint = "http://127.0.0.1:" + api.port() + "/webhooks/github";
        // OkHttp with pooled keep-alive connections: cheap enough per request that the sender leaves the cores to
        // the server it measures (the JDK client opened a connection and a thread per request under load)
        okhttp3.Dispatcher dispatcher = new okhttp3.Dispatcher();
        dispatcher.setMaxRequests(256);
        dispatcher.setMaxRequestsPerHost(256);
        // TCP_NODELAY: otherwise Nagle holds the body behind the headers until the server's delayed ACK (40 ms)
        okhttp3.OkHttpClient http = new okhttp3.OkHttpClient.Builder().dispatcher(dispatcher)
            .socketFactory(new NoDelaySocketFactory())
            .connectionPool(new okhttp3.ConnectionPool(256, 1, TimeUnit.MINUTES)).build();
        okhttp3.MediaType json = okhttp3.MediaType.get("application/json");
        // bodies are made as they are sent: holding thousands of 25 KB bodies would grow the heap the server's
        // garbage collector has to scan, and with it the pauses being measured
        // the number appears twice (the delivery's and the pull request's): the parts between are kept as bytes
        String[] parts = template.split(java.util.regex.Pattern.quote("\"number\": 2,"), -1);
        byte[][] fixed = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
          fixed[i] = parts[i].getBytes(StandardCharsets.UTF_8);
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(WEBHOOK_SECRET.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        long measuredCpuStart = 0;
        for (int number = 1; number <= deliveries; number++) {
          long due = start + (number - 1) * intervalNanos;
          // parking, not spinning: a spinning sender would take one of the two cores from the server it measures
          for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
            LockSupport.parkNanos(wait);
          }
          if (number == warmUp + 1) {
            measuredCpuStart = processCpuNanos();
          }
          int pull = number;
          byte[] field = ("\"number\": " + number + ",").getBytes(StandardCharsets.UTF_8);
          java.io.ByteArrayOutputStream assembled = new java.io.ByteArrayOutputStream(template.length() + 64);
          for (int i = 0; i < fixed.length; i++) {
            if (i > 0) {
              assembled.writeBytes(field);
            }
            assembled.writeBytes(fixed[i]);
          }
          byte[] body = assembled.toByteArray();
          String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
          okhttp3.Request request = new okhttp3.Request.Builder().url(endpoint)
              .post(okhttp3.RequestBody.create(body, json))
              .header("X-GitHub-Event", "pull_request")
              .header("X-GitHub-Delivery", "bench-" + number)
              .header("X-Hub-Signature-256", signature)
              .build();
          // latency counts from when the delivery was due, so a sender that falls behind cannot hide a slow server
          sent.set(pull, due);
          http.newCall(request).enqueue(new okhttp3.Callback() {
            @Override
            public void onResponse(okhttp3.Call call, okhttp3.Response response) {
              answered.set(pull, System.nanoTime());
              if (response.code() != 202) {
                refused.incrementAndGet();
              }
              response.close();
            }

            @Override
            public void onFailure(okhttp3.Call call, IOException failure) {
              answered.set(pull, System.nanoTime());
              refused.incrementAndGet();
            }
          });
        }
        long sendSeconds = System.nanoTime() - start;
        double measuredCpuSeconds = (processCpuNanos() - measuredCpuStart) / 1e9;
        // what is still missing after a minute is reported as missing
        allAcknowledged.await(60, TimeUnit.SECONDS);
        report(rate, seconds, latency, warmUpSeconds, sendSeconds, warmUp, deliveries, sent, answered, acknowledged,
            refused.get(), simulator.stats().requests());
        System.out.printf(Locale.ROOT, "%nCPU while the measured deliveries were sent: %.1f s of %d s on %d cores "
            + "(%.2f ms per delivery, sender and simulator included)%n", measuredCpuSeconds, seconds,
            Runtime.getRuntime().availableProcessors(), measuredCpuSeconds * 1000 / (rate * seconds));
        printCpuByThreadGroup();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
      }
    }
  }

  private static void report(int rate, int seconds, int latency, int warmUpSeconds, long sendNanos, int warmUp, int deliveries,
      AtomicLongArray sent, AtomicLongArray answered, AtomicLongArray acknowledged, int refused, long requests) {
    int measured = deliveries - warmUp;
    long[] toAck = new long[measured];
    long[] toAnswer = new long[measured];
    int acked = 0;
    int replied = 0;
    for (int number = warmUp + 1; number <= deliveries; number++) {
      if (acknowledged.get(number) != 0) {
        toAck[acked++] = acknowledged.get(number) - sent.get(number);
      }
      if (answered.get(number) != 0) {
        toAnswer[replied++] = answered.get(number) - sent.get(number);
      }
    }
    toAck = Arrays.copyOf(toAck, acked);
    toAnswer = Arrays.copyOf(toAnswer, replied);
    Arrays.sort(toAck);
    Arrays.sort(toAnswer);
    System.out.printf(Locale.ROOT, "%n### Webhook receipt to sink acknowledgement: %,d deliveries/s for %d s "
            + "(after %d s of warm-up at that rate), simulator latency %d ms, sent in %.2f s, %,d simulator requests, "
            + "%d refused%n%n",
        rate, seconds, warmUpSeconds, latency, sendNanos / 1e9, requests, refused);
    System.out.println("| measure | deliveries | p50 | p99 | max |");
    System.out.println("|---|---|---|---|---|");
    row("HTTP 202 answered", toAnswer, measured);
    row("sink acknowledged (envelope fsync'd)", toAck, measured);
  }

  /**
   * Where the CPU went, by thread group: sender, simulator and server share the machine's cores, so a slow server
   * may be a starved one. Threads that ended before this point are not counted; the process total is.
   */
  private static void printCpuByThreadGroup() {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<String, Long> byGroup = new java.util.TreeMap<>();
    for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(info.getThreadId());
      String group = info.getThreadName().replaceAll("[-\\s#]*\\d+$", "").replaceAll("\\d+", "N");
      byGroup.merge(group, Math.max(0, cpu), Long::sum);
    }
    long process = processCpuNanos();
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "CPU: process %.1f s;", process / 1e9));
    byGroup.entrySet().stream().filter(e -> e.getValue() > 100_000_000L)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> line.append(String.format(Locale.ROOT, " %s %.1f s,", e.getKey(), e.getValue() / 1e9)));
    System.out.println(line.substring(0, line.length() - 1));
  }

  /** Plain sockets with Nagle's algorithm off, as a webhook sender that writes headers and body apart needs. */
  private static final class NoDelaySocketFactory extends javax.net.SocketFactory {
    private final javax.net.SocketFactory plain = javax.net.SocketFactory.getDefault();

    private static java.net.Socket noDelay(java.net.Socket socket) throws IOException {
      socket.setTcpNoDelay(true);
      return socket;
    }

    @Override
    public java.net.Socket createSocket() throws IOException {
      return noDelay(plain.createSocket());
    }

    @Override
    public java.net.Socket createSocket(String host, int port) throws IOException {
      return noDelay(plain.createSocket(host, port));
    }

    @Override
    public java.net.Socket createSocket(String host, int port, java.net.InetAddress local, int localPort)
        throws IOException {
      return noDelay(plain.createSocket(host, port, local, localPort));
    }

    @Override
    public java.net.Socket createSocket(java.net.InetAddress host, int port) throws IOException {
      return noDelay(plain.createSocket(host, port));
    }

    @Override
    public java.net.Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress local,
        int localPort) throws IOException {
      return noDelay(plain.createSocket(address, port, local, localPort));
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static void row(String name, long[] sortedNanos, int expected) {
    if (sortedNanos.length == 0) {
      System.out.printf(Locale.ROOT, "| %s | 0 of %,d | - | - | - |%n", name, expected);
      return;
    }
    System.out.printf(Locale.ROOT, "| %s | %,d of %,d | %.1f ms | %.1f ms | %.1f ms |%n", name, sortedNanos.length,
        expected, percentile(sortedNanos, 0.50), percentile(sortedNanos, 0.99),
        sortedNanos[sortedNanos.length - 1] / 1e6);
  }

  private static double percentile(long[] sortedNanos, double fraction) {
    int index = (int) Math.ceil(fraction * sortedNanos.length) - 1;
    return sortedNanos[Math.max(0, index)] / 1e6;
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = WebhookLatencyBenchmark.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing benchmark resource " + name);
      }
      return in.readAllBytes();
    }
  }

  /** Notes when the sink acknowledged each pull request's envelope; the first acknowledgement counts. */
  private record AcknowledgementRecorder(Sink delegate, AtomicLongArray acknowledged, CountDownLatch allAcknowledged)
      implements Sink {
    @Override
    public CompletableFuture<Void> publish(List<Envelope> envelopes) {
      return delegate.publish(envelopes).thenRun(() -> {
        long now = System.nanoTime();
        for (Envelope envelope : envelopes) {
          if (envelope.data() instanceof PullRequest pull && pull.number() < acknowledged.length()
              && acknowledged.compareAndSet((int) pull.number(), 0, now)) {
            allAcknowledged.countDown();
          }
        }
      });
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
