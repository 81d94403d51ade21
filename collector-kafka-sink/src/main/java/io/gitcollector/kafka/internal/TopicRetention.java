package io.gitcollector.kafka.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Reads a topic's configs for what would delete or compact away records the sink writes. */
final class TopicRetention {
  private TopicRetention() {}

  /** One sentence per config of {@code topic} that loses records; empty when the topic keeps everything. */
  static List<String> problems(String topic, Function<String, Optional<String>> config) {
    List<String> problems = new ArrayList<>();
    String policy = config.apply("cleanup.policy").orElse("delete");
    if (policy.contains("compact")) {
      problems.add("Kafka topic '" + topic + "' has cleanup.policy=" + policy + ": compaction keeps only the newest"
          + " record of each key, and the key is the repository");
    }
    long retentionMs = number(config.apply("retention.ms"));
    if (retentionMs >= 0) {
      problems.add("Kafka topic '" + topic + "' deletes records " + human(Duration.ofMillis(retentionMs))
          + " after they are written (retention.ms=" + retentionMs + ")");
    }
    long retentionBytes = number(config.apply("retention.bytes"));
    if (retentionBytes >= 0) {
      problems.add("Kafka topic '" + topic + "' deletes the oldest records of a partition past "
          + retentionBytes + " bytes (retention.bytes=" + retentionBytes + ")");
    }
    return problems;
  }

  private static long number(Optional<String> value) {
    try {
      return value.map(String::trim).map(Long::parseLong).orElse(-1L);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String human(Duration duration) {
    if (duration.toDays() >= 1 && duration.toHoursPart() == 0 && duration.toMinutesPart() == 0) {
      return duration.toDays() + " day(s)";
    }
    if (duration.toHours() >= 1 && duration.toMinutesPart() == 0 && duration.toSecondsPart() == 0) {
      return duration.toHours() + " hour(s)";
    }
    return duration.toMillis() + " ms";
  }
}
