package io.gitcollector.benchmarks;

import io.gitcollector.core.codec.EnvelopeCodec;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.kafka.InProcessKafka;
import io.gitcollector.kafka.KafkaSinkConfig;
import io.gitcollector.kafka.KafkaSinkProvider;
import io.gitcollector.testkit.compat.SampleEnvelopes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Envelopes per second into a local KRaft broker with {@code acks=all} and idempotence: the Kafka sink driven as the
 * engine drives it (one thread per stream, each page of 100 acknowledged before the next), beside a bare
 * kafka-clients producer sending the same bytes with the same settings, fire-and-forget with one flush (the ceiling).
 *
 * <p>Run: {@code mvn -B -q install -DskipTests && mvn -B -q -pl collector-benchmarks exec:java}
 * ({@code -Dexec.args="400000"} for another envelope count).
 */
public final class KafkaSinkBenchmark {
  private static final int STREAMS = 4;
  private static final int PAGE = 100;
  private static final int PIPELINE = 8;

  private KafkaSinkBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    List<List<Envelope>> streams = new ArrayList<>();
    for (int s = 0; s < STREAMS; s++) {
      List<Envelope> envelopes = new ArrayList<>(count / STREAMS);
      for (int i = 0; i < count / STREAMS; i++) {
        envelopes.add(SampleEnvelopes.commit("github:github.com/bench/repo-" + s, i));
      }
      streams.add(envelopes);
    }
    long bytes = streams.stream().flatMap(List::stream).mapToLong(e -> EnvelopeCodec.toJsonBytes(e).length).sum();
    try (InProcessKafka kafka = InProcessKafka.start(Map.of())) {
      KafkaSinkConfig config = KafkaSinkConfig.builder(kafka.bootstrapServers()).createTopics(6, (short) 1)
          .deliveryTimeout(Duration.ofMinutes(2)).build();
      KafkaSinkProvider.create(config).close();
      // warm-up of both paths, then three alternating rounds
      bare(kafka.bootstrapServers(), streams.subList(0, 1));
      sink(config, streams.subList(0, 1), 1);
      double[] bareRates = new double[3];
      double[] sinkRates = new double[3];
      double[] pipelinedRates = new double[3];
      for (int round = 0; round < 3; round++) {
        bareRates[round] = bare(kafka.bootstrapServers(), streams);
        sinkRates[round] = sink(config, streams, 1);
        pipelinedRates[round] = sink(config, streams, PIPELINE);
      }
      Arrays.sort(bareRates);
      Arrays.sort(sinkRates);
      Arrays.sort(pipelinedRates);
      System.out.printf(Locale.ROOT, "%n### Kafka sink into an in-process KRaft broker: %,d envelopes, %,d bytes of JSON "
          + "(%.0f bytes each), %d streams, pages of %d, %d cores%n%n", count, bytes, (double) bytes / count, STREAMS,
          PAGE, Runtime.getRuntime().availableProcessors());
      System.out.println("| path | envelopes/s (median of 3) | min | max |");
      System.out.println("|---|---|---|---|");
      System.out.printf(Locale.ROOT, "| bare kafka-clients producer, same bytes (ceiling) | %,.0f | %,.0f | %,.0f |%n",
          bareRates[1], bareRates[0], bareRates[2]);
      System.out.printf(Locale.ROOT, "| Git Collector Kafka sink, each page acknowledged before the next"
          + " (pipeline depth 1, the default) | %,.0f | %,.0f | %,.0f |%n", sinkRates[1], sinkRates[0], sinkRates[2]);
      System.out.printf(Locale.ROOT, "| Git Collector Kafka sink, pipeline depth %d | %,.0f | %,.0f | %,.0f |%n",
          PIPELINE, pipelinedRates[1], pipelinedRates[0], pipelinedRates[2]);
      System.out.printf(Locale.ROOT, "%nsink / ceiling: %.0f %% at depth 1, %.0f %% at depth %d%n",
          100 * sinkRates[1] / bareRates[1], 100 * pipelinedRates[1] / bareRates[1], PIPELINE);
    }
  }

  /**
   * The sink as the engine uses it: each stream hands over pages in order, with at most {@code depth} of them not yet
   * acknowledged (the engine's pipeline depth).
   */
  private static double sink(KafkaSinkConfig config, List<List<Envelope>> streams, int depth) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(streams.size());
    try (Sink sink = KafkaSinkProvider.create(config)) {
      long started = System.nanoTime();
      List<Future<?>> running = new ArrayList<>();
      for (List<Envelope> stream : streams) {
        running.add(pool.submit(() -> {
          java.util.ArrayDeque<java.util.concurrent.CompletableFuture<Void>> inFlight = new java.util.ArrayDeque<>();
          for (int from = 0; from < stream.size(); from += PAGE) {
            inFlight.add(sink.publish(stream.subList(from, Math.min(stream.size(), from + PAGE))));
            while (inFlight.size() >= depth) {
              inFlight.poll().get(2, TimeUnit.MINUTES);
            }
          }
          while (!inFlight.isEmpty()) {
            inFlight.poll().get(2, TimeUnit.MINUTES);
          }
          return null;
        }));
      }
      for (Future<?> future : running) {
        future.get();
      }
      return rate(streams, started);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The same bytes, keys and timestamps through a bare producer with the sink's settings. */
  private static double bare(String bootstrapServers, List<List<Envelope>> streams) {
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (List<Envelope> stream : streams) {
      for (Envelope envelope : stream) {
        records.add(new ProducerRecord<>(envelope.defaultTopic(), null, envelope.timestamp().toEpochMilli(),
            envelope.repositoryId(), EnvelopeCodec.toJsonBytes(envelope)));
      }
    }
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    properties.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer())) {
      long started = System.nanoTime();
      for (ProducerRecord<String, byte[]> record : records) {
        producer.send(record);
      }
      producer.flush();
      return rate(streams, started);
    }
  }

  private static double rate(List<List<Envelope>> streams, long startedNanos) {
    long count = streams.stream().mapToLong(List::size).sum();
    return count / ((System.nanoTime() - startedNanos) / 1e9);
  }
}
