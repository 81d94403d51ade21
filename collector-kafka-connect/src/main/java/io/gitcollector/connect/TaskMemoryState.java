package io.gitcollector.connect;

import io.gitcollector.core.spi.StateStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What a task keeps between its syncs and forgets when it stops: sync status and the start of a full pass. Stream
 * positions are not here: they are Connect's source offsets ({@link ConnectRecordSink}).
 */
final class TaskMemoryState implements StateStore {
  private final Map<String, String> values = new ConcurrentHashMap<>();

  @Override
  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  @Override
  public void put(String key, String value) {
    values.put(key, value);
  }

  @Override
  public void remove(String key) {
    values.remove(key);
  }

  @Override
  public boolean putIfAbsent(String key, String value) {
    return values.putIfAbsent(key, value) == null;
  }

  @Override
  public Map<String, String> scan(String prefix) {
    return values.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  @Override
  public String describe() {
    return "the task's memory";
  }
}
