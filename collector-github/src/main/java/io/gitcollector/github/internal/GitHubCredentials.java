package io.gitcollector.github.internal;

import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.Secret;
import java.util.Optional;

/**
 * Where a request's credential comes from: the configured token, or the token of the GitHub App installation that
 * covers the repository's owner. Each credential has its own rate-limit budget, which {@link #budget} names.
 */
interface GitHubCredentials {

  /** The token to send for a request about the repository (its owner is what matters); empty: anonymous. */
  Optional<Secret> token(RepositoryRef repository);

  /** The rate-limit budget requests with that token spend: {@code ""} for the configured token. */
  default String budget(RepositoryRef repository) {
    return "";
  }

  /**
   * The platform refused {@code refused} for this repository: true if a new credential was obtained and the request
   * is worth sending again (an installation token that expired early); false for a token that will not change.
   */
  default boolean refused(RepositoryRef repository, Secret refused) {
    return false;
  }

  /** Whether requests carry any credential at all. */
  boolean authenticated();

  /** The configured token, or none. */
  static GitHubCredentials of(Optional<Secret> token) {
    return new GitHubCredentials() {
      @Override
      public Optional<Secret> token(RepositoryRef repository) {
        return token;
      }

      @Override
      public boolean authenticated() {
        return token.isPresent();
      }
    };
  }
}
