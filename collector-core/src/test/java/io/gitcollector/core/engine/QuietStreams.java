package io.gitcollector.core.engine;

import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Contributor;
import io.gitcollector.core.model.PullRequest;
import io.gitcollector.core.model.Repository;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.Page;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.StreamRequest;

/** A test platform client with nothing to say on the collector's four streams; a test overrides what it exercises. */
interface QuietStreams extends PlatformClient {

  @Override
  default Page<Repository> repository(RepositoryRef repository, StreamRequest request) {
    return Page.unchanged("none");
  }

  @Override
  default Page<Commit> commits(RepositoryRef repository, StreamRequest request) {
    return Page.unchanged("none");
  }

  @Override
  default Page<PullRequest> pullRequests(RepositoryRef repository, StreamRequest request) {
    return Page.unchanged("none");
  }

  @Override
  default Page<Contributor> contributors(RepositoryRef repository, StreamRequest request) {
    return Page.unchanged("none");
  }
}
