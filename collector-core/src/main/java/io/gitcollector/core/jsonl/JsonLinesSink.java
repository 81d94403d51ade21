package io.gitcollector.core.jsonl;

import io.gitcollector.core.codec.EnvelopeCodec;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.SinkException;
import io.gitcollector.core.spi.Sink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * again (the cursor had not moved).
 */
public final class JsonLinesSink implements Sink {

  private final Path directory;
  private final Function<Envelope, String> topicOf;
  private final Map<String, TopicFile> files = new ConcurrentHashMap<>();

  public JsonLinesSink(Path directory) {
    this(directory, Envelope::defaultTopic);
  }

  public JsonLinesSink(Path directory, Function<Envelope, String> topicOf) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.topicOf = Objects.requireNonNull(topicOf, "topicOf");
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new SinkException("cannot create the data directory " + directory + ": " + e.getMessage(), e);
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
    try {
      for (Map.Entry<String, ByteArrayOutputStream> entry : byTopic.entrySet()) {
        files.computeIfAbsent(entry.getKey(), this::open).append(entry.getValue().toByteArray());
      }
      return CompletableFuture.completedFuture(null);
    } catch (SinkException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public String describe() {
    return "jsonl:" + directory;
  }

  @Override
  public void close() {
    for (TopicFile file : files.values()) {
      file.close();
    }
    files.clear();
  }

  private TopicFile open(String topic) {
    Path path = fileOf(topic);
    try {
      FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.READ);
      dropUnacknowledgedTail(channel);
      channel.position(channel.size());
      return new TopicFile(path, channel);
    } catch (IOException e) {
      throw new SinkException("cannot open " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * A process killed during a write can leave a last line without its newline. That batch was never acknowledged
   * (its cursor did not move) and will be written again, so the fragment is cut off rather than glued to the next
   * envelope.
   */
  private static void dropUnacknowledgedTail(FileChannel channel) throws IOException {
    long size = channel.size();
    if (size == 0) {
      return;
    }
    ByteBuffer one = ByteBuffer.allocate(1);
    channel.read(one, size - 1);
    if (one.get(0) == '\n') {
      return;
    }
    long end = size - 1;
    ByteBuffer chunk = ByteBuffer.allocate(8192);
    while (end > 0) {
      long start = Math.max(0, end - chunk.capacity());
      chunk.clear().limit((int) (end - start));
      channel.read(chunk, start);
      for (int i = chunk.position() - 1; i >= 0; i--) {
        if (chunk.get(i) == '\n') {
          channel.truncate(start + i + 1);
          channel.force(true);
          return;
        }
      }
      end = start;
    }
    channel.truncate(0);
    channel.force(true);
  }

  private static final class TopicFile {
    private final Path path;
    private final FileChannel channel;

    TopicFile(Path path, FileChannel channel) {
      this.path = path;
      this.channel = channel;
    }

    synchronized void append(byte[] bytes) {
      try {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(false);
      } catch (IOException e) {
        throw new SinkException("cannot append to " + path + ": " + e.getMessage(), e);
      }
    }

    synchronized void close() {
      try {
        channel.close();
      } catch (IOException e) {
        throw new SinkException("cannot close " + path + ": " + e.getMessage(), e);
      }
    }
  }
}
