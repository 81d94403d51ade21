package io.gitcollector.core.spi;

/** Creates a sink from configuration; found with {@link java.util.ServiceLoader}. */
public interface SinkProvider {

  /** Lower-case id used to select the sink: {@code jsonl}, {@code kafka}, … */
  String id();

  Sink create(ComponentConfig config);

  /**
   * The settings it reads, declared once: the environment variables ({@code <ID>_<NAME>} unless a setting names its
   * own), configuration-file keys, {@code --help} and the README's table derive from them. Default: none.
   */
  default java.util.List<Setting> settings() {
    return java.util.List.of();
  }
}
