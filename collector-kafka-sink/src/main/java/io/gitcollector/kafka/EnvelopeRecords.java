package io.gitcollector.kafka;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcollector.core.codec.EnvelopeCodec;
import io.gitcollector.core.model.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How an envelope becomes a Kafka record, for the Kafka sink and the Kafka Connect source connector alike: key
 * {@code repository_id} (one repository, one partition, in order), value the envelope's JSON, headers
 * {@code event_id}, {@code event_type}, {@code source}, {@code schema_version}, {@code entity_time},
 * {@code content-type}.
 *
 * <p>Timestamps: a record carries none of its own, so the producer stamps the time it is sent (and a topic with
 * {@code LogAppendTime} the broker its append time); never the entity's own time, which is in {@code entity_time}.
 * Brokers delete and roll segments by record timestamps: a 2015 commit stamped 2015 would be deleted at the next
 * retention check, or refused by {@code message.timestamp.before.max.ms}.
 */
public final class EnvelopeRecords {

  /** A record header; every header of the layout is UTF-8 text. */
  public record Header(String name, String value) {
    public byte[] bytes() {
      return value.getBytes(StandardCharsets.UTF_8);
    }
  }

  private EnvelopeRecords() {}

  public static String key(Envelope envelope) {
    return envelope.repositoryId();
  }

  public static byte[] value(Envelope envelope) {
    return EnvelopeCodec.toJsonBytes(envelope);
  }

  public static List<Header> headers(Envelope envelope) {
    List<Header> headers = new ArrayList<>(8);
    headers.add(new Header("event_id", envelope.eventId()));
    headers.add(new Header("event_type", envelope.eventType()));
    headers.add(new Header("source", envelope.source()));
    headers.add(new Header("schema_version", Integer.toString(envelope.schemaVersion())));
    headers.add(new Header("entity_time", envelope.timestamp().toString()));
    headers.add(new Header("content-type", "application/json"));
    return headers;
  }

  /**
   * The dead-letter record of an envelope that can never be written (too large): what a consumer needs to fetch the
   * entity again (repository, kind, key, version, time) and why it is there, without its data, which is what did not
   * fit.
   */
  public static byte[] deadLetterValue(Envelope envelope, String originalTopic, int sizeBytes, String reason) {
    ObjectNode stub = EnvelopeCodec.mapper().createObjectNode();
    stub.put("event_id", envelope.eventId());
    stub.put("event_type", envelope.eventType());
    stub.put("schema_version", envelope.schemaVersion());
    stub.put("repository_id", envelope.repositoryId());
    stub.put("source", envelope.source());
    stub.put("timestamp", envelope.timestamp().toString());
    stub.put("entity_kind", envelope.kind().name().toLowerCase(Locale.ROOT));
    stub.put("entity_key", envelope.data().key());
    stub.put("entity_version", envelope.data().version());
    stub.put("original_topic", originalTopic);
    stub.put("size_bytes", sizeBytes);
    stub.put("reason", reason);
    return stub.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The envelope's headers, and {@code original_topic} and {@code dlq_reason}. */
  public static List<Header> deadLetterHeaders(Envelope envelope, String originalTopic, String reason) {
    List<Header> headers = headers(envelope);
    headers.add(new Header("original_topic", originalTopic));
    headers.add(new Header("dlq_reason", reason));
    return headers;
  }

  /**
   * The dead-letter record of a repository that cannot be collected at all (not found, permission denied): which,
   * from which platform, the error code and its reason. Keyed by the repository id, like its envelopes.
   */
  public static byte[] repositoryFailureValue(String repositoryId, String source, String errorCode, String reason,
      Instant at) {
    ObjectNode failure = EnvelopeCodec.mapper().createObjectNode();
    failure.put("event_type", "repository_failed");
    failure.put("repository_id", repositoryId);
    failure.put("source", source);
    failure.put("error_code", errorCode);
    failure.put("reason", reason);
    failure.put("timestamp", at.toString());
    return failure.toString().getBytes(StandardCharsets.UTF_8);
  }

  public static List<Header> repositoryFailureHeaders(String source, String errorCode, String reason) {
    return List.of(new Header("event_type", "repository_failed"), new Header("source", source),
        new Header("error_code", errorCode), new Header("dlq_reason", reason),
        new Header("content-type", "application/json"));
  }
}
