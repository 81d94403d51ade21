package io.gitcollector.connect;

import io.gitcollector.core.engine.PositionedSink;
import io.gitcollector.core.engine.StreamCheckpoint;
import io.gitcollector.core.engine.StreamKind;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.SinkException;
import io.gitcollector.kafka.EnvelopeRecords;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's sink inside a source task: pages become {@link SourceRecord}s that {@code poll()} hands to Connect, and
 * a page is acknowledged when Connect reports every one of its records sent ({@code commitRecord}).
 *
 * <p>Positions are Connect's source offsets: partition {@code {repository_id, stream}}, offset the stream's
 * {@link StreamCheckpoint#toMap() checkpoint}. Only the last record of a page carries the checkpoint after the page;
 * the others carry the one before it. Connect commits, per partition, the offset of the newest record that was sent
 * with every record before it, so a committed offset never passes a record that was not written, whichever record
 * of a page the commit happens to fall on; with exactly-once delivery the offsets are written in the records'
 * transaction. A page that produced nothing moves the stream here and reaches Connect with its next record.
 */
final class ConnectRecordSink implements PositionedSink {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectRecordSink.class);
  static final String PARTITION_REPOSITORY = "repository_id";
  static final String PARTITION_STREAM = "stream";

  private final OffsetStorageReader offsets;
  private final Map<EntityKind, String> topics;
  private final String deadLetterTopic;
  private final int maxRecordBytes;
  private final boolean valueAsBytes;
  private final BlockingQueue<SourceRecord> queue = new LinkedBlockingQueue<>();
  private final Map<SourceRecord, PageAck> unsent = Collections.synchronizedMap(new IdentityHashMap<>());
  private final Set<SourceRecord> pageEnds = Collections.synchronizedSet(
      Collections.newSetFromMap(new IdentityHashMap<>()));
  private final Map<Map<String, Object>, StreamCheckpoint> positions = new ConcurrentHashMap<>();
  private final AtomicLong deadLetters = new AtomicLong();
  private volatile boolean closed;

  ConnectRecordSink(OffsetStorageReader offsets, Map<EntityKind, String> topics, String deadLetterTopic,
      int maxRecordBytes, boolean valueAsBytes) {
    this.offsets = offsets;
    this.topics = Map.copyOf(topics);
    this.deadLetterTopic = deadLetterTopic;
    this.maxRecordBytes = maxRecordBytes;
    this.valueAsBytes = valueAsBytes;
  }

  /**
   * A stream's source partition, its keys always in the same order: Connect finds a stored offset by the serialized
   * bytes of its partition, and {@code Map.of} iterates in an order that differs from one JVM to the next, so a task
   * restarted on another worker would not find the offsets a task wrote on this one.
   */
  static Map<String, Object> partition(String repositoryId, StreamKind stream) {
    Map<String, Object> partition = new java.util.LinkedHashMap<>();
    partition.put(PARTITION_REPOSITORY, repositoryId);
    partition.put(PARTITION_STREAM, stream.key());
    return java.util.Collections.unmodifiableMap(partition);
  }

  @Override
  public Optional<StreamCheckpoint> position(String repositoryId, StreamKind stream) {
    Map<String, Object> partition = partition(repositoryId, stream);
    StreamCheckpoint known = positions.get(partition);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<StreamCheckpoint> stored = StreamCheckpoint.fromOptionalMap(offsets.offset(partition),
        "the Connect source offset of " + partition);
    stored.ifPresent(checkpoint -> positions.putIfAbsent(partition, checkpoint));
    return stored;
  }

  @Override
  public CompletableFuture<Void> publish(String repositoryId, StreamKind stream, List<Envelope> envelopes,
      StreamCheckpoint after) {
    Map<String, Object> partition = partition(repositoryId, stream);
    Map<String, Object> before = position(repositoryId, stream).map(StreamCheckpoint::toMap).orElse(Map.of());
    List<SourceRecord> records = new ArrayList<>(envelopes.size());
    for (int i = 0; i < envelopes.size(); i++) {
      records.add(record(envelopes.get(i), partition, i == envelopes.size() - 1 ? after.toMap() : before));
    }
    positions.put(partition, after);
    return handOver(records);
  }

  /** Envelopes outside a stream's walk (a refetched entity): each carries its stream's current position. */
  @Override
  public CompletableFuture<Void> publish(List<Envelope> envelopes) {
    List<SourceRecord> records = new ArrayList<>(envelopes.size());
    for (Envelope envelope : envelopes) {
      StreamKind stream = StreamKind.of(envelope.kind());
      records.add(record(envelope, partition(envelope.repositoryId(), stream),
          position(envelope.repositoryId(), stream).map(StreamCheckpoint::toMap).orElse(Map.of())));
    }
    return handOver(records);
  }

  /**
   * A record on the dead-letter topic saying a repository cannot be collected (not found, permission denied); it
   * carries the repository stream's current position, so committing it moves nothing.
   */
  CompletableFuture<Void> repositoryFailed(String repositoryId, String source, String errorCode, String reason) {
    Map<String, Object> partition = partition(repositoryId, StreamKind.REPOSITORY);
    Map<String, Object> offset = position(repositoryId, StreamKind.REPOSITORY).map(StreamCheckpoint::toMap)
        .orElse(Map.of());
    byte[] value = EnvelopeRecords.repositoryFailureValue(repositoryId, source, errorCode, reason, Instant.now());
    ConnectHeaders headers = new ConnectHeaders();
    EnvelopeRecords.repositoryFailureHeaders(source, errorCode, reason)
        .forEach(header -> headers.addString(header.name(), header.value()));
    return handOver(List.of(new SourceRecord(partition, offset, deadLetterTopic, null, Schema.STRING_SCHEMA,
        repositoryId, valueSchema(), value(value), null, headers)));
  }

  private CompletableFuture<Void> handOver(List<SourceRecord> records) {
    if (closed) {
      return CompletableFuture.failedFuture(new SinkException("the source task is stopping; the page is not"
          + " handed to Connect and its position is not committed"));
    }
    if (records.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    PageAck ack = new PageAck(records.size());
    records.forEach(record -> unsent.put(record, ack));
    pageEnds.add(records.get(records.size() - 1));
    queue.addAll(records);
    return ack.future;
  }

  private SourceRecord record(Envelope envelope, Map<String, Object> partition, Map<String, Object> offset) {
    String topic = topics.getOrDefault(envelope.kind(), envelope.kind().defaultTopic());
    byte[] value = EnvelopeRecords.value(envelope);
    ConnectHeaders headers = new ConnectHeaders();
    if (value.length > maxRecordBytes) {
      String reason = "envelope of " + value.length + " bytes exceeds max.record.bytes of " + maxRecordBytes;
      LOG.warn("sending {} {} to the dead-letter topic {}: {}", envelope.eventType(), envelope.eventId(),
          deadLetterTopic, reason);
      deadLetters.incrementAndGet();
      EnvelopeRecords.deadLetterHeaders(envelope, topic, reason)
          .forEach(header -> headers.addString(header.name(), header.value()));
      return new SourceRecord(partition, offset, deadLetterTopic, null, Schema.STRING_SCHEMA,
          EnvelopeRecords.key(envelope), valueSchema(),
          value(EnvelopeRecords.deadLetterValue(envelope, topic, value.length, reason)), null, headers);
    }
    EnvelopeRecords.headers(envelope).forEach(header -> headers.addString(header.name(), header.value()));
    // no timestamp: the worker's producer stamps the send time (see EnvelopeRecords)
    return new SourceRecord(partition, offset, topic, null, Schema.STRING_SCHEMA, EnvelopeRecords.key(envelope),
        valueSchema(), value(value), null, headers);
  }

  private Schema valueSchema() {
    return valueAsBytes ? Schema.BYTES_SCHEMA : Schema.STRING_SCHEMA;
  }

  private Object value(byte[] json) {
    return valueAsBytes ? json : new String(json, StandardCharsets.UTF_8);
  }

  /** Up to {@code max} records, waiting up to {@code wait} for the first. */
  List<SourceRecord> drain(int max, long waitMillis) throws InterruptedException {
    List<SourceRecord> records = new ArrayList<>();
    SourceRecord first = queue.poll(waitMillis, TimeUnit.MILLISECONDS);
    if (first == null) {
      return records;
    }
    records.add(first);
    queue.drainTo(records, max - 1);
    return records;
  }

  /** Whether a record closes a page (a transaction may end after it). */
  boolean closesPage(SourceRecord record) {
    return pageEnds.remove(record);
  }

  /** Connect sent the record (or a transformation dropped it): its page is acknowledged with its last record. */
  void sent(SourceRecord record) {
    PageAck ack = unsent.remove(record);
    if (ack != null) {
      ack.recordSent();
    }
  }

  long deadLetters() {
    return deadLetters.get();
  }

  /** Pages not yet acknowledged fail, so the engine saves nothing past them; Connect's offsets stay where they are. */
  @Override
  public void close() {
    closed = true;
    List<PageAck> waiting;
    synchronized (unsent) {
      waiting = new ArrayList<>(unsent.values());
      unsent.clear();
    }
    waiting.forEach(ack -> ack.future.completeExceptionally(new SinkException("the source task stopped before"
        + " Connect sent the page")));
    queue.clear();
  }

  @Override
  public String describe() {
    return "kafka-connect " + topics.values().stream().distinct().toList() + " dlq " + deadLetterTopic;
  }

  private static final class PageAck {
    private final AtomicInteger remaining;
    private final CompletableFuture<Void> future = new CompletableFuture<>();

    PageAck(int records) {
      this.remaining = new AtomicInteger(records);
    }

    void recordSent() {
      if (remaining.decrementAndGet() == 0) {
        future.complete(null);
      }
    }
  }
}
