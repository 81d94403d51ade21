package io.gitcollector.core.spi.toolkit;

import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.ApiOrigins;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformProvider;
import io.gitcollector.core.spi.Setting;
import io.gitcollector.core.spi.WebhookSupport;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A {@link PlatformProvider} declared rather than written: the platform's id, public hosts, default API URL, how deep
 * its repository paths are, its webhooks and its settings. What is left to the adapter is {@code create}: the client.
 * Hosts are served as {@link PlatformHosts#serves} says; the token's origin is the configured API URL's, or the
 * default's.
 */
public abstract class HostedPlatform implements PlatformProvider {
  private final Declaration declaration;

  /** What a hosted platform is. */
  public record Declaration(String id, Set<String> publicHosts, String defaultApiUrl, OptionalInt pathSegments,
      Optional<WebhookSupport> webhooks, List<Setting> settings, Set<io.gitcollector.core.model.EntityKind> kinds,
      boolean organizations) {
    public Declaration {
      Objects.requireNonNull(id, "id");
      publicHosts = Set.copyOf(publicHosts);
      Objects.requireNonNull(defaultApiUrl, "defaultApiUrl");
      Objects.requireNonNull(pathSegments, "pathSegments");
      Objects.requireNonNull(webhooks, "webhooks");
      settings = List.copyOf(settings);
      kinds = Set.copyOf(kinds);
    }

    /** A platform {@code id} whose public service's API is at {@code defaultApiUrl}, on {@code publicHosts}. */
    public static Declaration of(String id, String defaultApiUrl, String... publicHosts) {
      return new Declaration(id, Set.of(publicHosts), defaultApiUrl, OptionalInt.empty(), Optional.empty(),
          List.of(), io.gitcollector.core.model.EntityKind.STANDARD, false);
    }

    /** Repository paths of exactly {@code segments} segments ({@code owner/name}: 2); default any depth. */
    public Declaration pathSegments(int segments) {
      return new Declaration(id, publicHosts, defaultApiUrl, OptionalInt.of(segments), webhooks, settings, kinds,
          organizations);
    }

    /** Deliveries authenticated by {@code header} and read by {@code reader}. */
    public Declaration webhooks(String header, io.gitcollector.core.spi.WebhookReader reader) {
      return new Declaration(id, publicHosts, defaultApiUrl, pathSegments,
          Optional.of(new WebhookSupport(header, reader)), settings, kinds, organizations);
    }

    /** The adapter's own settings. */
    public Declaration settings(List<Setting> own) {
      return new Declaration(id, publicHosts, defaultApiUrl, pathSegments, webhooks, own, kinds, organizations);
    }

    /**
     * The client lists organizations' repositories
     * ({@link io.gitcollector.core.spi.PlatformClient#organizationRepositories}); an organization's path is one segment shorter than a repository's, or any depth when repository paths are.
     */
    public Declaration listsOrganizations() {
      return new Declaration(id, publicHosts, defaultApiUrl, pathSegments, webhooks, settings, kinds, true);
    }

    /** Kinds the adapter serves besides the standard ones ({@link io.gitcollector.core.model.EntityKind#STANDARD}). */
    public Declaration alsoServes(io.gitcollector.core.model.EntityKind... more) {
      Set<io.gitcollector.core.model.EntityKind> all = new java.util.HashSet<>(kinds);
      all.addAll(List.of(more));
      return new Declaration(id, publicHosts, defaultApiUrl, pathSegments, webhooks, settings, all, organizations);
    }
  }

  protected HostedPlatform(Declaration declaration) {
    this.declaration = Objects.requireNonNull(declaration, "declaration");
  }

  @Override
  public final String id() {
    return declaration.id();
  }

  @Override
  public boolean accepts(RepositoryRef repository, PlatformConfig config) {
    return declaration.pathSegments().stream().allMatch(n -> repository.pathSegments().size() == n)
        && PlatformHosts.serves(repository, config, declaration.publicHosts());
  }

  @Override
  public boolean acceptsOrganization(io.gitcollector.core.model.OrganizationRef organization,
      PlatformConfig config) {
    return declaration.organizations()
        && declaration.pathSegments().stream().allMatch(n -> organization.pathSegments().size() == n - 1)
        && PlatformHosts.serves(organization, config, declaration.publicHosts());
  }

  /** The configured API URL, or the public service's, without a trailing slash. */
  public String apiUrl(PlatformConfig config) {
    String url = config.apiBaseUrl().orElse(declaration.defaultApiUrl());
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  public ApiOrigins apiOrigins(PlatformConfig config) {
    return ApiOrigins.of(apiUrl(config));
  }

  @Override
  public Optional<WebhookSupport> webhooks() {
    return declaration.webhooks();
  }

  @Override
  public List<Setting> settings() {
    return declaration.settings();
  }

  @Override
  public Set<io.gitcollector.core.model.EntityKind> kinds() {
    return declaration.kinds();
  }
}
