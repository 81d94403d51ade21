package io.gitcollector.core.state;

import io.gitcollector.core.model.StateStoreException;
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
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The embedded default state store: one small file per key in a directory. A write goes to a temporary file that is
 * synced, then atomically renamed over the old one and the directory synced, so a crash at any moment leaves either
 * the old value or the new one. File names are the key in URL-safe Base64, so any key is a valid name and listing by
 * prefix needs no index.
 */
public final class FileStateStore implements StateStore {

  private static final String SUFFIX = ".state";
  private final Path directory;

  public FileStateStore(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory");
    try {
      Files.createDirectories(directory);
      deleteLeftoverTemporaries();
    } catch (IOException e) {
      throw new StateStoreException("cannot create the state directory " + directory + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<String> get(String key) {
    Path file = fileOf(key);
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
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
      writeSynced(temporary, value);
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
      writeSynced(temporary, value);
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
  }

  @Override
  public Map<String, String> scan(String prefix) {
    Map<String, String> result = new TreeMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        String key;
        try {
          key = new String(Base64.getUrlDecoder().decode(name.substring(0, name.length() - SUFFIX.length())),
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
    return result;
  }

  @Override
  public String describe() {
    return "file:" + directory;
  }

  private Path fileOf(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("a state key must not be empty");
    }
    String name = Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    if (name.length() > 240) {
      throw new IllegalArgumentException("state key too long for a file name: " + key);
    }
    return directory.resolve(name + SUFFIX);
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
