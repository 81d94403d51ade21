package io.gitcollector.core.spi;

/** Creates a state store from configuration; found with {@link java.util.ServiceLoader}. */
public interface StateStoreProvider {

  /** Lower-case id used to select the store: {@code file}, {@code redis}, … */
  String id();

  StateStore create(ComponentConfig config);
}
