package io.gitcollector.core.spi;

/**
 * The engine's side of every request an adapter makes: it paces by the rate-limit budget, retries transient failures
 * with backoff, trips the host's circuit breaker, and records metrics. Adapters send every request through it, so they
 * never need a resilience or metrics library of their own.
 */
public interface RemoteCallExecutor {

  /**
   * Runs {@code call} until it succeeds or fails for good.
   *
   * @param operation a short name for metrics and messages, such as {@code commits.history}
   * @param resource the rate-limit budget the call spends, such as {@code core} or {@code graphql}
   * @return the value of the successful attempt
   * @throws io.gitcollector.core.model.CollectorException a permanent failure, exhausted retries, or a rate limit that
   *     would not reset within the configured maximum wait
   */
  <T> T execute(String operation, String resource, RemoteCall<T> call);

  /**
   * Like {@link #execute(String, String, RemoteCall)} for a request to {@code url}, which the engine first checks
   * against the platform's {@link ApiOrigins}: a request to any other origin is refused with a
   * {@link io.gitcollector.core.model.ProtocolException} and never attempted, so the credential the adapter would
   * attach never leaves. Adapters pass the URL of every request here.
   */
  default <T> T execute(String operation, String resource, String url, RemoteCall<T> call) {
    return execute(operation, resource, call);
  }
}
