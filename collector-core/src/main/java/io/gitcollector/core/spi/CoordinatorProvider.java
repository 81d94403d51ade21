package io.gitcollector.core.spi;

/** Creates a coordinator for several instances from configuration; found with {@link java.util.ServiceLoader}. */
public interface CoordinatorProvider {

  /** {@code redis}, … */
  String id();

  Coordinator create(ComponentConfig config, String instanceId);
}
