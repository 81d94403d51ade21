package io.gitcollector.core.state;

import io.gitcollector.core.io.AppendOnlyLineFile;
import io.gitcollector.core.model.StateStoreException;
import io.gitcollector.core.io.WritableDirectory;
import io.gitcollector.core.spi.Health;
import io.gitcollector.core.spi.StateStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The embedded default state store: one small file per key in a directory. A write goes to a temporary file that is
 * synced, then atomically renamed over the old one and the directory synced, so a crash at any moment leaves either
 * the old value or the new one. File names are the key in URL-safe Base64, so any key is a valid name and listing by
 * prefix needs no index.
 *
 * <p>Keys written with an expiry (webhook delivery ids, one per delivery, many per second) do not get a file each: they
 * are appended to one journal with group commit (see {@link AppendOnlyLineFile}) and indexed in memory, forgotten once
 * expired, and the journal is compacted as it grows. Those keys are atomic within the process that writes them; a
 * second store (or process) on the same directory can read them as of its start but not write any.
 */
public final class FileStateStore implements StateStore {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FileStateStore.class);

  private static final String SUFFIX = ".state";
  private static final String HASHED = "~";
  private static final int MAX_NAME = 200;
  private static final String JOURNAL = "expiring.journal";
  private static final String JOURNAL_LOCK = "expiring.lock";
  /** Journal records beyond twice the live keys (plus this slack) trigger a compaction. */
  private static final int COMPACTION_SLACK = 10_000;

  private final Path directory;
  private final Clock clock;
  private final Map<String, Expiring> expiring = new ConcurrentHashMap<>();
  /** Appends share the read side (so they group-commit together); compaction takes the write side. */
  private final ReentrantReadWriteLock journalLock = new ReentrantReadWriteLock();
  private AppendOnlyLineFile journal; // guarded by journalLock, opened on the first expiring write
  private FileChannel journalOwnership; // guarded by journalLock
  private final AtomicLong journalRecords = new AtomicLong();

  public FileStateStore(Path directory) {
    this(directory, Clock.systemUTC());
  }

  FileStateStore(Path directory, Clock clock) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.clock = Objects.requireNonNull(clock, "clock");
    try {
      WritableDirectory.prepare(directory);
      deleteLeftoverTemporaries();
      loadJournal();
    } catch (IOException e) {
      throw new StateStoreException("cannot open the state directory " + directory + ": " + e.getMessage(), e);
    }
  }

  private record Expiring(String value, Instant expiresAt) {
    boolean expired(Instant now) {
      return !expiresAt.isAfter(now);
    }
  }

  @Override
  public Optional<String> get(String key) {
    Path file = fileOf(key);
    try {
      return valueIn(key, Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      Expiring entry = expiring.get(key);
      return entry == null || entry.expired(clock.instant()) ? Optional.empty() : Optional.of(entry.value());
    } catch (IOException e) {
      throw new StateStoreException("cannot read state '" + key + "' from " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void put(String key, String value) {
    Objects.requireNonNull(value, "value");
    Path target = fileOf(key);
    Path temporary = directory.resolve(".tmp-" + UUID.randomUUID());
    try {
      writeSynced(temporary, fileContent(key, value));
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new StateStoreException("the file system of " + directory + " cannot rename atomically", e);
      }
      syncDirectory();
    } catch (IOException e) {
      throw new StateStoreException("cannot write state '" + key + "' to " + target + ": " + e.getMessage(), e);
    } finally {
      deleteTemporary(temporary);
    }
    forgetExpiring(key);
  }

  /**
   * Journals the key instead of giving it a file: one group-committed append, shared with every concurrent caller.
   */
  @Override
  public boolean putIfAbsent(String key, String value, Duration expiry) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(expiry, "expiry");
    if (Files.exists(fileOf(key))) {
      return false;
    }
    Instant now = clock.instant();
    Expiring entry = new Expiring(value, now.plus(expiry));
    boolean[] claimed = {false};
    expiring.compute(key, (k, existing) -> {
      if (existing == null || existing.expired(now)) {
        claimed[0] = true;
        return entry;
      }
      return existing;
    });
    if (!claimed[0]) {
      return false;
    }
    try {
      appendToJournal(putRecord(key, entry));
    } catch (StateStoreException e) {
      expiring.remove(key, entry);
      throw e;
    }
    return true;
  }

  /**
   * Atomic across threads and processes without a lock: the value is written and synced under a temporary name, then
   * hard-linked to its key's name, which fails if that name exists. Where the file system has no hard links, a lock
   * makes it atomic within this process.
   */
  @Override
  public boolean putIfAbsent(String key, String value) {
    Objects.requireNonNull(value, "value");
    Path target = fileOf(key);
    if (Files.exists(target)) {
      return false;
    }
    Path temporary = directory.resolve(".tmp-" + UUID.randomUUID());
    try {
      writeSynced(temporary, fileContent(key, value));
      Files.createLink(target, temporary);
      syncDirectory();
      return true;
    } catch (FileAlreadyExistsException taken) {
      return false;
    } catch (UnsupportedOperationException noHardLinks) {
      return putIfAbsentLocked(key, value);
    } catch (IOException e) {
      throw new StateStoreException("cannot write state '" + key + "' to " + target + ": " + e.getMessage(), e);
    } finally {
      deleteTemporary(temporary);
    }
  }

  private synchronized boolean putIfAbsentLocked(String key, String value) {
    if (get(key).isPresent()) {
      return false;
    }
    put(key, value);
    return true;
  }

  private static void deleteTemporary(Path temporary) {
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException ignored) {
      // best effort: a leftover temporary file is removed on the next start
    }
  }

  private static void writeSynced(Path file, String value) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8));
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  @Override
  public void remove(String key) {
    try {
      Files.deleteIfExists(fileOf(key));
      syncDirectory();
    } catch (IOException e) {
      throw new StateStoreException("cannot remove state '" + key + "': " + e.getMessage(), e);
    }
    forgetExpiring(key);
  }

  private void forgetExpiring(String key) {
    if (expiring.remove(key) != null) {
      appendToJournal("R " + encode(key) + "\n");
    }
  }

  @Override
  public Map<String, String> scan(String prefix) {
    Map<String, String> result = new TreeMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        String key;
        try {
          key = name.startsWith(HASHED) ? keyInHashedFile(entry)
              : new String(Base64.getUrlDecoder().decode(name.substring(0, name.length() - SUFFIX.length())),
                  StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notOurs) {
          continue;
        }
        if (key.startsWith(prefix)) {
          get(key).ifPresent(value -> result.put(key, value));
        }
      }
    } catch (IOException e) {
      throw new StateStoreException("cannot list " + directory + ": " + e.getMessage(), e);
    }
    Instant now = clock.instant();
    expiring.forEach((key, entry) -> {
      if (key.startsWith(prefix) && !entry.expired(now)) {
        result.putIfAbsent(key, entry.value());
      }
    });
    return result;
  }

  @Override
  public String describe() {
    return "file:" + directory;
  }

  /** The file that holds the key (names are Base64, so an operator could not find it from the key). */
  @Override
  public String locationOf(String key) {
    return fileOf(key).toString();
  }

  @Override
  public Health health() {
    AppendOnlyLineFile current;
    synchronized (journalLock) {
      current = journal;
    }
    if (current != null && current.failure().isPresent()) {
      return Health.down("cannot write " + current.path() + " durably since a write or sync failed: "
          + current.failure().get().getMessage());
    }
    return WritableDirectory.probe(directory, "state directory");
  }

  private Path fileOf(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("a state key must not be empty");
    }
    String name = encode(key);
    return directory.resolve((isHashed(key) ? HASHED + Base64.getUrlEncoder().withoutPadding().encodeToString(
        sha256(key)) : name) + SUFFIX);
  }

  /**
   * A key whose Base64 name would not fit a file name (most file systems allow 255 bytes) is stored under a hash of
   * itself, and its file starts with the key, so that {@link #scan} still finds it and a hash collision is seen.
   */
  private static boolean isHashed(String key) {
    return encode(key).length() > MAX_NAME;
  }

  private static byte[] sha256(String key) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM ships SHA-256", e);
    }
  }

  /** What a key's file holds: the value, after the key for a hashed name. */
  private static String fileContent(String key, String value) {
    return isHashed(key) ? encode(key) + "\n" + value : value;
  }

  /** The value in a key's file; empty if a hashed file belongs to another key. */
  private static Optional<String> valueIn(String key, String content) {
    if (!isHashed(key)) {
      return Optional.of(content);
    }
    int newline = content.indexOf('\n');
    return newline > 0 && content.substring(0, newline).equals(encode(key))
        ? Optional.of(content.substring(newline + 1)) : Optional.empty();
  }

  private static String keyInHashedFile(Path file) throws IOException {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException removedMeanwhile) {
      throw new IllegalArgumentException("gone", removedMeanwhile);
    }
    int newline = content.indexOf('\n');
    if (newline <= 0) {
      throw new IllegalArgumentException("not a hashed state file");
    }
    return decode(content.substring(0, newline));
  }

  private static String encode(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String base64) {
    return new String(Base64.getUrlDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private static String putRecord(String key, Expiring entry) {
    return "P " + encode(key) + " " + encode(entry.value()) + " " + entry.expiresAt().toEpochMilli() + "\n";
  }

  /**
   * Replays the journal: later records win, expired keys are dropped. A last line without its newline was cut short
   * by a crash before it was synced, so never acknowledged, and is not replayed; nor is any other unreadable line.
   */
  private void loadJournal() throws IOException {
    Path file = directory.resolve(JOURNAL);
    if (!Files.exists(file)) {
      return;
    }
    String content = Files.readString(file, StandardCharsets.UTF_8);
    long records = 0;
    for (String line : content.substring(0, content.lastIndexOf('\n') + 1).split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      records++;
      String[] fields = line.split(" ");
      try {
        if (fields.length == 4 && fields[0].equals("P")) {
          expiring.put(decode(fields[1]),
              new Expiring(decode(fields[2]), Instant.ofEpochMilli(Long.parseLong(fields[3]))));
        } else if (fields.length == 2 && fields[0].equals("R")) {
          expiring.remove(decode(fields[1]));
        }
      } catch (IllegalArgumentException | java.time.DateTimeException unreadable) {
        LOG.warn("skipping an unreadable record of {}", file);
      }
    }
    Instant now = clock.instant();
    expiring.values().removeIf(entry -> entry.expired(now));
    journalRecords.set(records);
  }

  private void appendToJournal(String record) {
    journalLock.readLock().lock();
    try {
      AppendOnlyLineFile file = openJournal();
      file.append(record.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new StateStoreException("cannot append to " + directory.resolve(JOURNAL) + ": " + e.getMessage(), e);
    } finally {
      journalLock.readLock().unlock();
    }
    long records = journalRecords.incrementAndGet();
    if (records % 1024 == 0) {
      Instant now = clock.instant();
      expiring.values().removeIf(entry -> entry.expired(now));
    }
    if (records > 2L * expiring.size() + COMPACTION_SLACK) {
      try {
        compactJournal();
      } catch (StateStoreException e) {
        // the record is durable already; a journal left uncompacted only costs space and the next attempt retries
        LOG.warn("{}", e.getMessage());
      }
    }
  }

  /** Opens the journal once, taking ownership of it for this store so no other store appends to it meanwhile. */
  private AppendOnlyLineFile openJournal() throws IOException {
    synchronized (journalLock) {
      if (journalOwnership == null) {
        FileChannel ownership = FileChannel.open(directory.resolve(JOURNAL_LOCK), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        java.nio.channels.FileLock lock;
        try {
          lock = ownership.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException sameProcess) {
          lock = null;
        }
        if (lock == null) {
          ownership.close();
          throw new IOException("another file state store on " + directory
              + " writes expiring keys; only one store per directory may");
        }
        journalOwnership = ownership;
      }
      if (journal == null) {
        journal = AppendOnlyLineFile.open(directory.resolve(JOURNAL));
      }
      return journal;
    }
  }

  /** Rewrites the journal with the live keys only, while appends wait. */
  private void compactJournal() {
    journalLock.writeLock().lock();
    try {
      if (journalRecords.get() <= 2L * expiring.size() + COMPACTION_SLACK) {
        return; // another thread compacted meanwhile
      }
      Instant now = clock.instant();
      expiring.values().removeIf(entry -> entry.expired(now));
      StringBuilder live = new StringBuilder();
      expiring.forEach((key, entry) -> live.append(putRecord(key, entry)));
      Path temporary = directory.resolve(".tmp-" + UUID.randomUUID());
      try {
        writeSynced(temporary, live.toString());
        synchronized (journalLock) {
          journal.close();
          journal = null;
          Files.move(temporary, directory.resolve(JOURNAL), StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
          syncDirectory();
          journal = AppendOnlyLineFile.open(directory.resolve(JOURNAL));
        }
        journalRecords.set(expiring.size());
      } catch (IOException e) {
        throw new StateStoreException("cannot compact " + directory.resolve(JOURNAL) + ": " + e.getMessage(), e);
      } finally {
        deleteTemporary(temporary);
      }
    } finally {
      journalLock.writeLock().unlock();
    }
  }

  @Override
  public void close() {
    journalLock.writeLock().lock();
    try {
      synchronized (journalLock) {
        if (journal != null) {
          journal.close();
          journal = null;
        }
        if (journalOwnership != null) {
          journalOwnership.close();
          journalOwnership = null;
        }
      }
    } catch (IOException e) {
      throw new StateStoreException("cannot close " + directory.resolve(JOURNAL) + ": " + e.getMessage(), e);
    } finally {
      journalLock.writeLock().unlock();
    }
  }

  private void syncDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException ignored) {
      // some file systems cannot open a directory for syncing; the rename is still atomic there
    }
  }

  private void deleteLeftoverTemporaries() throws IOException {
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, ".tmp-*")) {
      for (Path leftover : leftovers) {
        Files.deleteIfExists(leftover);
      }
    }
  }
}
