package io.gitcollector.benchmarks;

import io.gitcollector.core.codec.EnvelopeCodec;
import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.GitIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Scenario 4: normalization and serialization without network, on one thread (so the figure is per core): a commit
 * record wrapped in its envelope (event id: SHA-256 of its identity) and written as the JSON every sink sends; beside
 * it, the same JSON written from a prepared envelope (serialization alone).
 *
 * <p>Runs in the launching JVM ({@code @Fork(0)}): under {@code exec:java} a forked JVM would not see Maven's class
 * path. Run: {@code mvn -B -q install -DskipTests && mvn -B -q -pl collector-benchmarks exec:java
 * -Dexec.mainClass=io.gitcollector.benchmarks.NormalizationBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(0)
@Threads(1)
public class NormalizationBenchmark {
  private static final Instant T = Instant.parse("2025-06-01T12:00:00Z");
  private int index;
  private final Envelope prepared = envelope(42);

  private static Commit commit(int index) {
    GitIdentity who = new GitIdentity("Developer " + index % 25, "dev" + index % 25 + "@example.com",
        T.plusSeconds(index), Optional.of("dev" + index % 25));
    String sha = String.format(Locale.ROOT, "%040x", 0xFEEDL * 1_000_003L + index);
    return new Commit(sha, List.of(sha), who, who, "Change " + index + ": adjust module\n\nBody of the message.",
        index % 400, index % 120, 1 + index % 5, List.of(), "https://github.com/acme/bench/commit/" + sha);
  }

  private static Envelope envelope(int index) {
    return Envelope.of("github", "github:github.com/acme/bench", commit(index));
  }

  /** What the engine does for every entity: envelope with its event id, then the sink's JSON. */
  @Benchmark
  public byte[] normalizeAndSerialize() {
    return EnvelopeCodec.toJsonBytes(envelope(index++));
  }

  /** The JSON alone. */
  @Benchmark
  public byte[] serializeOnly() {
    return EnvelopeCodec.toJsonBytes(prepared);
  }

  public static void main(String[] args) throws Exception {
    java.util.Collection<org.openjdk.jmh.results.RunResult> results =
        new Runner(new OptionsBuilder().include(NormalizationBenchmark.class.getSimpleName()).build()).run();
    System.out.printf(Locale.ROOT, "%n### Normalization and serialization, no network, one thread (JMH, %d cores)%n%n",
        Runtime.getRuntime().availableProcessors());
    System.out.println("| benchmark | envelopes/s per core | error (99.9 %) |");
    System.out.println("|---|---|---|");
    for (org.openjdk.jmh.results.RunResult result : results) {
      org.openjdk.jmh.results.Result<?> primary = result.getPrimaryResult();
      String name = result.getParams().getBenchmark();
      System.out.printf(Locale.ROOT, "| %s | %,.0f | ± %,.0f |%n", name.substring(name.lastIndexOf('.') + 1),
          primary.getScore(), primary.getScoreError());
    }
  }
}
