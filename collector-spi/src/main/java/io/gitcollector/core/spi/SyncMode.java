package io.gitcollector.core.spi;

/** FULL walks all history; INCREMENTAL only what changed since the last completed cursor. */
public enum SyncMode {
  FULL,
  INCREMENTAL
}
