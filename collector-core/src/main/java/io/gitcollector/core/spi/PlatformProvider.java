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

  /**
   * The origins this platform's credential may go to with this configuration: the configured API URL's origin (and
   * any derived from it, like a GraphQL endpoint), or the public service's by default. The engine refuses requests
   * to any other origin. The default, for plugins written before this existed, is the configured API URL's origin,
   * or none declared (nothing refused) when there is no configured URL.
   */
  default ApiOrigins apiOrigins(PlatformConfig config) {
    return config.apiBaseUrl().map(ApiOrigins::of).orElseGet(ApiOrigins::undeclared);
  }

  /**
   * How this platform's webhook deliveries are authenticated, verified and read, without a client. Empty (the default,
   * for plugins written before this existed): the body is read and a client's {@link PlatformClient#parseWebhook}
   * decides.
   */
  default java.util.Optional<WebhookSupport> webhooks() {
    return java.util.Optional.empty();
  }

  /**
   * The request header that authenticates this platform's webhook deliveries ({@code X-Hub-Signature-256},
   * {@code X-Gitlab-Token}, …): a server refuses a delivery without it before reading its body. Derived from
   * {@link #webhooks()}; empty when the platform does not say.
   */
  default java.util.Optional<String> webhookAuthenticationHeader() {
    return webhooks().map(WebhookSupport::authenticationHeader);
  }

  /** Creates a client; the engine closes it. */
  PlatformClient create(PlatformConfig config, PlatformContext context);
}
