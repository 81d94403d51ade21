package io.gitcollector.core.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * What the engine asks of a stream: the mode of the sync, and the cursor the adapter returned with the last page the
 * sink acknowledged. An empty cursor starts a full pass; a cursor of a completed pass, in INCREMENTAL mode, asks for
 * what changed since; a cursor of an interrupted pass resumes right after its last acknowledged page.
 */
public record StreamRequest(SyncMode mode, Optional<String> cursor) {
  public StreamRequest {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(cursor, "cursor");
  }

  public static StreamRequest start(SyncMode mode) {
    return new StreamRequest(mode, Optional.empty());
  }

  public StreamRequest resumeAfter(String nextCursor) {
    return new StreamRequest(mode, Optional.of(nextCursor));
  }
}
