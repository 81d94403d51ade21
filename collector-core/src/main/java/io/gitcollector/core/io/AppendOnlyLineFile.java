package io.gitcollector.core.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A file of newline-terminated records that appends durably with group commit: {@link #append} returns once its bytes
 * are synced, and a writer whose bytes are not synced yet either waits for the sync in progress or, if none is, syncs
 * everything written so far itself. One {@code fsync} thus covers every append made while the previous one ran, so
 * many concurrent writers pay for few syncs instead of queueing for one each.
 *
 * <p>Used by the embedded defaults (JSON-lines sink, file state store); not an extension point.
 */
public final class AppendOnlyLineFile implements AutoCloseable {
  private final Path path;
  private final FileChannel channel;
  private final Object writeLock = new Object();
  private final Object syncLock = new Object();
  private long written; // guarded by writeLock
  private long synced; // guarded by syncLock
  private boolean syncing; // guarded by syncLock
  private volatile IOException failed;

  private AppendOnlyLineFile(Path path, FileChannel channel) throws IOException {
    this.path = path;
    this.channel = channel;
    this.written = channel.size();
    this.synced = written;
    channel.position(written);
  }

  /**
   * Opens (creating if needed) the file for appending. A last record without its newline, left by a process killed
   * mid-write, was never acknowledged and is cut off rather than glued to the next record.
   */
  public static AppendOnlyLineFile open(Path path) throws IOException {
    Objects.requireNonNull(path, "path");
    FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.READ);
    try {
      dropUnterminatedTail(channel);
      return new AppendOnlyLineFile(path, channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  /** The write or sync failure after which this file accepts nothing more, if one happened. */
  public java.util.Optional<IOException> failure() {
    return java.util.Optional.ofNullable(failed);
  }

  /**
   * Appends whole records (the bytes must end with a newline) and returns once they are synced to disk. After a
   * failed sync nothing more is accepted: the kernel may have dropped the unsynced pages, so a later successful sync
   * would not prove that earlier records survived.
   */
  public void append(byte[] records) throws IOException {
    if (records.length == 0) {
      return;
    }
    if (records[records.length - 1] != '\n') {
      throw new IllegalArgumentException("records must end with a newline");
    }
    long end;
    synchronized (writeLock) {
      checkUsable();
      try {
        ByteBuffer buffer = ByteBuffer.wrap(records);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      } catch (IOException e) {
        failed = e;
        throw e;
      }
      written += records.length;
      end = written;
    }
    awaitSynced(end);
  }

  private void awaitSynced(long end) throws IOException {
    synchronized (syncLock) {
      while (synced < end && syncing) {
        checkUsable();
        try {
          syncLock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for " + path + " to be synced");
        }
      }
      checkUsable();
      if (synced >= end) {
        return;
      }
      syncing = true;
    }
    long target;
    synchronized (writeLock) {
      target = written;
    }
    try {
      channel.force(false);
    } catch (IOException e) {
      failed = e;
    } finally {
      synchronized (syncLock) {
        syncing = false;
        if (failed == null) {
          synced = Math.max(synced, target);
        }
        syncLock.notifyAll();
      }
    }
    checkUsable();
  }

  private void checkUsable() throws IOException {
    IOException failure = failed;
    if (failure != null) {
      throw new IOException("cannot write " + path + " durably since an earlier write or sync failed ("
          + failure.getMessage() + "); reopen it", failure);
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (writeLock) {
      channel.close();
    }
  }

  private static void dropUnterminatedTail(FileChannel channel) throws IOException {
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
}
