package io.gitcollector.core.spi.toolkit;

import io.gitcollector.core.spi.ApiOrigins;
import io.gitcollector.core.spi.CallResult;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformContext;
import io.gitcollector.core.spi.RemoteCallExecutor;
import io.gitcollector.core.spi.Secret;
import java.util.Objects;
import java.util.Optional;

/**
 * What an adapter's HTTP layer works with, whatever HTTP client it uses: the engine's governed calls, the origins its
 * token may go to, the token itself, and what the platform's answers mean.
 */
public record ApiAccess(RemoteCallExecutor calls, ApiOrigins origins, Optional<Secret> token,
    PlatformResponses responses) {
  public ApiAccess {
    Objects.requireNonNull(calls, "calls");
    Objects.requireNonNull(origins, "origins");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(responses, "responses");
  }

  /** A refusal when a next-page link leaves the token's origins ({@link PlatformResponses#refuseForeign}). */
  public <T> Optional<CallResult<T>> refuseForeign(Optional<String> link, String operation) {
    return responses.refuseForeign(origins, link, operation);
  }

  /**
   * The access a platform client gets from the engine and its configuration.
   *
   * @param platform the platform as messages name it ({@code "GitHub"})
   * @param repositoryNoun what it calls a repository
   * @param tokenVariable where its token is configured, named in 401 and 404 messages
   */
  public static ApiAccess of(PlatformContext context, PlatformConfig config, String platform, String repositoryNoun,
      String tokenVariable) {
    return new ApiAccess(context.calls(), context.apiOrigins(), config.token(),
        new PlatformResponses(platform, repositoryNoun, tokenVariable, config.token().isPresent()));
  }
}
