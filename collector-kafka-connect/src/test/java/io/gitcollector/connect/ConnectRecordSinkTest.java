package io.gitcollector.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.engine.StreamCheckpoint;
import io.gitcollector.core.engine.StreamKind;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.kafka.EnvelopeRecords;
import io.gitcollector.testkit.compat.SampleEnvelopes;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;

/** The offsets a page's records carry, and when the engine hears that a page was delivered. */
class ConnectRecordSinkTest {
  private static final String REPOSITORY = "github:github.com/acme/app";

  /** Connect's offsets as its reader serves them: what was committed before the task started. */
  private static final class CommittedOffsets implements OffsetStorageReader {
    final Map<Map<String, Object>, Map<String, Object>> committed = new HashMap<>();

    @Override
    public <T> Map<String, Object> offset(Map<String, T> partition) {
      return committed.get(new HashMap<String, Object>(partition));
    }

    @Override
    public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
      Map<Map<String, T>, Map<String, Object>> result = new HashMap<>();
      partitions.forEach(p -> result.put(p, offset(p)));
      return result;
    }
  }

  @Test
  void onlyTheLastRecordOfAPageCarriesTheCheckpointAfterIt() throws Exception {
    CommittedOffsets offsets = new CommittedOffsets();
    StreamCheckpoint committed = new StreamCheckpoint("page-1", false, Instant.parse("2026-01-01T00:00:00Z"));
    offsets.committed.put(ConnectRecordSink.partition(REPOSITORY, StreamKind.COMMITS), committed.toMap());
    ConnectRecordSink sink = new ConnectRecordSink(offsets, Map.of(EntityKind.COMMIT, "team.commits"), "git.dlq",
        1_000_000, false);
    assertEquals(java.util.Optional.of(committed), sink.position(REPOSITORY, StreamKind.COMMITS));

    List<Envelope> page = commits(3);
    StreamCheckpoint after = new StreamCheckpoint("page-2", false);
    CompletableFuture<Void> delivered = sink.publish(REPOSITORY, StreamKind.COMMITS, page, after);
    List<SourceRecord> records = sink.drain(10, 100);
    assertEquals(3, records.size());
    assertEquals(committed.toMap(), records.get(0).sourceOffset());
    assertEquals(committed.toMap(), records.get(1).sourceOffset());
    assertEquals(after.toMap(), records.get(2).sourceOffset());
    assertEquals(java.util.Optional.of(after), sink.position(REPOSITORY, StreamKind.COMMITS));
    assertFalse(sink.closesPage(records.get(1)));
    assertTrue(sink.closesPage(records.get(2)));

    SourceRecord first = records.get(0);
    assertEquals("team.commits", first.topic());
    assertEquals(REPOSITORY, first.key());
    assertEquals(Schema.STRING_SCHEMA, first.valueSchema());
    assertEquals(new String(EnvelopeRecords.value(page.get(0)), java.nio.charset.StandardCharsets.UTF_8),
        first.value());
    assertEquals(null, first.timestamp(), "the producer stamps the send time");
    Header eventId = first.headers().lastWithName("event_id");
    assertEquals(page.get(0).eventId(), eventId.value());

    sink.sent(records.get(2));
    sink.sent(records.get(0));
    assertFalse(delivered.isDone(), "a page is delivered with every one of its records");
    sink.sent(records.get(1));
    assertTrue(delivered.isDone());
  }

  @Test
  void aPartitionSerializesTheSameInEveryJvm() {
    // Connect looks offsets up by the partition's serialized bytes: its keys must come in one order
    Map<String, Object> partition = ConnectRecordSink.partition(REPOSITORY, StreamKind.COMMITS);
    assertEquals(List.of("repository_id", "stream"), List.copyOf(partition.keySet()));
    byte[] json = new org.apache.kafka.connect.json.JsonConverter() {
      {
        configure(Map.of("schemas.enable", "false"), true);
      }
    }.fromConnectData("offsets", null, partition);
    assertEquals("{\"repository_id\":\"" + REPOSITORY + "\",\"stream\":\"commits\"}",
        new String(json, java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void aPageThatFoundNothingMovesTheStreamAndItsNextRecordCarriesIt() throws Exception {
    ConnectRecordSink sink = new ConnectRecordSink(new CommittedOffsets(), Map.of(), "git.dlq", 1_000_000, true);
    StreamCheckpoint quiet = new StreamCheckpoint("quiet", true);
    assertTrue(sink.publish(REPOSITORY, StreamKind.COMMITS, List.of(), quiet).isDone());
    assertTrue(sink.drain(10, 10).isEmpty());
    sink.publish(REPOSITORY, StreamKind.COMMITS, commits(2), new StreamCheckpoint("next", true));
    List<SourceRecord> records = sink.drain(10, 100);
    assertEquals(quiet.toMap(), records.get(0).sourceOffset());
    assertEquals(Schema.BYTES_SCHEMA, records.get(0).valueSchema());
  }

  @Test
  void anEnvelopeTooLargeForARecordGoesToTheDeadLetterTopicWithItsOffset() throws Exception {
    ConnectRecordSink sink = new ConnectRecordSink(new CommittedOffsets(), Map.of(), "git.dlq", 100, false);
    List<Envelope> page = commits(1);
    StreamCheckpoint after = new StreamCheckpoint("after", true);
    sink.publish(REPOSITORY, StreamKind.COMMITS, page, after);
    SourceRecord letter = sink.drain(10, 100).get(0);
    assertEquals("git.dlq", letter.topic());
    assertEquals(after.toMap(), letter.sourceOffset());
    assertTrue(letter.value().toString().contains("\"original_topic\":\"git.commits\""), letter.value().toString());
    assertEquals(1, sink.deadLetters());
  }

  @Test
  void pagesNotYetSentFailWhenTheTaskStops() {
    ConnectRecordSink sink = new ConnectRecordSink(new CommittedOffsets(), Map.of(), "git.dlq", 1_000_000, false);
    CompletableFuture<Void> pending = sink.publish(REPOSITORY, StreamKind.COMMITS, commits(1),
        new StreamCheckpoint("x", true));
    sink.close();
    assertTrue(pending.isCompletedExceptionally());
    assertTrue(sink.publish(REPOSITORY, StreamKind.COMMITS, commits(1), new StreamCheckpoint("y", true))
        .isCompletedExceptionally());
  }

  private static List<Envelope> commits(int count) {
    return java.util.stream.IntStream.range(0, count).mapToObj(i -> SampleEnvelopes.commit(REPOSITORY, i)).toList();
  }
}
