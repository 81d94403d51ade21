package io.gitcollector.core.engine;

import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformContext;
import io.gitcollector.core.spi.PlatformProvider;

/** A test platform {@code forge} on {@code forge.test} that is its own client, quiet unless a test overrides. */
abstract class TestForge implements PlatformProvider, QuietStreams {

  @Override
  public String id() {
    return "forge";
  }

  @Override
  public boolean accepts(RepositoryRef repository, PlatformConfig config) {
    return repository.host().equals("forge.test");
  }

  @Override
  public PlatformClient create(PlatformConfig config, PlatformContext context) {
    return this;
  }
}
