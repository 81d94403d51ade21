package io.gitcollector.core.spi;

/**
 * What the engine lends a platform client: nothing but what it needs. Grows through default methods so that plugins
 * written against an older version keep working.
 */
public interface PlatformContext {

  /** Every request to the platform goes through this. */
  RemoteCallExecutor calls();

  /** Where the platform's credential may be sent: check next-page links with it as they are read. */
  default ApiOrigins apiOrigins() {
    return ApiOrigins.undeclared();
  }

  /** The engine's concurrency budget, a hint for adapters that can fetch pages in parallel. */
  default int concurrency() {
    return 1;
  }
}
