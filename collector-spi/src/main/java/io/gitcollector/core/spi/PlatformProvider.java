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
   * Whether this platform serves the organization (group, workspace) and its client can list its repositories.
   * Default: no, for plugins written before organizations existed.
   */
  default boolean acceptsOrganization(io.gitcollector.core.model.OrganizationRef organization, PlatformConfig config) {
    return false;
  }

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

  /**
   * The adapter's own settings, declared once ({@code commit_files}, {@code read_timeout_seconds}, …): their variables
   * are {@code <PLATFORM>_<NAME>}. Every platform also has {@link #STANDARD_SETTINGS}; declaring one of those by name
   * replaces it (to add an alias, say). Default: none.
   */
  default java.util.List<Setting> settings() {
    return java.util.List.of();
  }

  /** The platform's access token ({@code GITHUB_TOKEN}); without one, public repositories only. */
  Setting TOKEN = Setting.secret("token").doc("access token; without one, public repositories only");
  /**
   * More access tokens ({@code GITHUB_TOKENS}, comma separated), a pool with {@link #TOKEN}: each repository is pinned
   * to one token (its ETags are that token's), each token has its own rate-limit budget, and a token the platform
   * refuses (401) leaves the pool, its repositories moving to the others.
   */
  Setting TOKENS = Setting.secret("tokens").doc("more access tokens, comma separated: a pool, each repository pinned"
      + " to one, each token with its own budget");
  /**
   * How long a pooled token's spent budget is waited for before its repositories use another token of the pool
   * meanwhile ({@code GITHUB_TOKEN_SWITCH_AFTER}).
   */
  Setting TOKEN_SWITCH_AFTER = Setting.duration("token_switch_after").withDefault("PT5M")
      .doc("with several tokens: a repository whose token's budget is spent until later than this uses another one");
  /** The API's base URL ({@code GITHUB_API_URL}): a self-hosted instance, a simulator. */
  Setting API_URL = Setting.url("api_url").doc("API base URL (a self-hosted instance, a simulator)");
  /** The secret that authenticates webhook deliveries ({@code GITHUB_WEBHOOK_SECRET}); unset, they are refused. */
  Setting WEBHOOK_SECRET = Setting.secret("webhook_secret")
      .doc("secret that authenticates webhook deliveries; unset, they are refused");
  /** The host of repository URLs when it is not the API's ({@code GITHUB_WEB_HOST}). */
  Setting WEB_HOST = Setting.text("web_host").doc("host (and port) of repository URLs when it differs from the API's");

  /** What every platform has. */
  java.util.List<Setting> STANDARD_SETTINGS = java.util.List.of(TOKEN, TOKENS, TOKEN_SWITCH_AFTER, API_URL,
      WEBHOOK_SECRET, WEB_HOST);

  /**
   * The kinds this platform's client serves; a sync walks one stream per kind, and skips (and reports) the others.
   * Default: the collector's own four, which every client has a method for.
   */
  default java.util.Set<io.gitcollector.core.model.EntityKind> kinds() {
    return io.gitcollector.core.model.EntityKind.STANDARD;
  }

  /** Creates a client; the engine closes it. */
  PlatformClient create(PlatformConfig config, PlatformContext context);
}
