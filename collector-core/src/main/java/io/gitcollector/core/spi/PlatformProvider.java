package io.gitcollector.core.spi;

import io.gitcollector.core.model.RepositoryRef;

/**
 * Entry point of a platform adapter, found with {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/io.gitcollector.core.spi.PlatformProvider} and put the jar on the classpath.
 */
public interface PlatformProvider {

  /** Lower-case platform id, the {@code source} of its envelopes: {@code github}, {@code gitlab}, … */
  String id();

  /**
   * Whether this platform serves the repository. {@code config} carries the configured API base URL, so that a
   * self-hosted instance's host is accepted too.
   */
  boolean accepts(RepositoryRef repository, PlatformConfig config);

  /** Creates a client; the engine closes it. */
  PlatformClient create(PlatformConfig config, PlatformContext context);
}
