package io.gitcollector.core.spi.coordination;

/**
 * The right to collect one repository for a while. {@link #fencingToken()} grows with every new lease of the
 * repository, so a store can refuse writes of a holder whose lease expired and passed to another instance.
 */
public interface Lease extends AutoCloseable {

  String repositoryId();

  long fencingToken();

  /** Extends the lease; false if it was lost (expired and taken by another instance). */
  boolean renew();

  /** Releases the lease if still held. */
  @Override
  void close();
}
