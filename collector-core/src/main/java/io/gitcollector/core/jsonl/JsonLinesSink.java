package io.gitcollector.core.jsonl;

import io.gitcollector.core.codec.EnvelopeCodec;
import io.gitcollector.core.io.AppendOnlyLineFile;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.SinkException;
import io.gitcollector.core.io.WritableDirectory;
import io.gitcollector.core.spi.Health;
import io.gitcollector.core.spi.Sink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The embedded default sink: one file per topic ({@code git.commits.jsonl}, …) under a data directory, one envelope
 * per line. A batch is appended and {@code fsync}'d before the returned future completes, so an acknowledged envelope
 * survives a crash; a crash before the sync may leave a partial last line, which readers skip and the next run writes
 * again (the cursor had not moved). Concurrent publishers share syncs (group commit, see {@link AppendOnlyLineFile}).
 */
public final class JsonLinesSink implements Sink {

  private final Path directory;
  private final Function<Envelope, String> topicOf;
  private final Map<String, AppendOnlyLineFile> files = new ConcurrentHashMap<>();

  public JsonLinesSink(Path directory) {
    this(directory, Envelope::defaultTopic);
  }

  public JsonLinesSink(Path directory, Function<Envelope, String> topicOf) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.topicOf = Objects.requireNonNull(topicOf, "topicOf");
    try {
      WritableDirectory.prepare(directory);
    } catch (IOException e) {
      throw new SinkException("cannot use the data directory " + directory + ": " + e.getMessage(), e);
    }
  }

  /** The file that holds a topic's envelopes. */
  public Path fileOf(String topic) {
    return directory.resolve(topic + ".jsonl");
  }

  @Override
  public CompletableFuture<Void> publish(List<Envelope> envelopes) {
    Map<String, ByteArrayOutputStream> byTopic = new LinkedHashMap<>();
    for (Envelope envelope : envelopes) {
      ByteArrayOutputStream buffer = byTopic.computeIfAbsent(topicOf.apply(envelope), t -> new ByteArrayOutputStream());
      buffer.writeBytes(EnvelopeCodec.toJsonBytes(envelope));
      buffer.write('\n');
    }
    for (Map.Entry<String, ByteArrayOutputStream> entry : byTopic.entrySet()) {
      AppendOnlyLineFile file;
      try {
        file = files.computeIfAbsent(entry.getKey(), this::open);
      } catch (SinkException e) {
        return CompletableFuture.failedFuture(e);
      }
      try {
        file.append(entry.getValue().toByteArray());
      } catch (IOException e) {
        return CompletableFuture.failedFuture(
            new SinkException("cannot append to " + file.path() + ": " + e.getMessage(), e));
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public String describe() {
    return "jsonl:" + directory;
  }

  /** Down when the directory cannot be written, or a file refuses appends since a failed sync. */
  @Override
  public Health health() {
    for (AppendOnlyLineFile file : files.values()) {
      if (file.failure().isPresent()) {
        return Health.down("cannot write " + file.path() + " durably since a write or sync failed: "
            + file.failure().get().getMessage());
      }
    }
    return WritableDirectory.probe(directory, "data directory");
  }

  @Override
  public void close() {
    SinkException failure = null;
    for (AppendOnlyLineFile file : files.values()) {
      try {
        file.close();
      } catch (IOException e) {
        failure = new SinkException("cannot close " + file.path() + ": " + e.getMessage(), e);
      }
    }
    files.clear();
    if (failure != null) {
      throw failure;
    }
  }

  private AppendOnlyLineFile open(String topic) {
    Path path = fileOf(topic);
    try {
      return AppendOnlyLineFile.open(path);
    } catch (IOException e) {
      throw new SinkException("cannot open " + path + ": " + e.getMessage(), e);
    }
  }
}
