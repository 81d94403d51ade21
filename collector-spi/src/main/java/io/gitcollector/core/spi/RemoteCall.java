package io.gitcollector.core.spi;

import java.io.IOException;

/**
 * One attempt at one HTTP exchange, performed by the adapter with its own HTTP library. An {@link IOException} counts
 * as a transient failure.
 */
@FunctionalInterface
public interface RemoteCall<T> {
  CallResult<T> attempt() throws IOException;
}
