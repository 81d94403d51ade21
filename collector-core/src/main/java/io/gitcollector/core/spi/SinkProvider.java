package io.gitcollector.core.spi;

/** Creates a sink from configuration; found with {@link java.util.ServiceLoader}. */
public interface SinkProvider {

  /** Lower-case id used to select the sink: {@code jsonl}, {@code kafka}, … */
  String id();

  Sink create(ComponentConfig config);
}
