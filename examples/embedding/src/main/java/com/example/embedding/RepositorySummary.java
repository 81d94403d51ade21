package com.example.embedding;

import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.PullRequest;
import io.gitcollector.core.spi.Sink;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process consumer: a {@link Sink} that folds envelopes into a summary instead of sending them anywhere.
 * Acknowledging at once is right here, because the summary lives as long as the process; a sink that writes
 * somewhere must acknowledge only once the write is durable.
 */
public final class RepositorySummary implements Sink {
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong additions = new AtomicLong();
  private final AtomicLong deletions = new AtomicLong();
  private final AtomicLong pullRequests = new AtomicLong();
  private final AtomicLong mergedPullRequests = new AtomicLong();
  private final AtomicLong reviews = new AtomicLong();
  private final Map<String, Long> commitsByAuthor = new TreeMap<>();

  @Override
  public CompletableFuture<Void> publish(List<Envelope> envelopes) {
    for (Envelope envelope : envelopes) {
      if (envelope.data() instanceof Commit commit) {
        commits.incrementAndGet();
        additions.addAndGet(commit.additions());
        deletions.addAndGet(commit.deletions());
        synchronized (commitsByAuthor) {
          commitsByAuthor.merge(commit.author().email(), 1L, Long::sum);
        }
      } else if (envelope.data() instanceof PullRequest pull) {
        pullRequests.incrementAndGet();
        reviews.addAndGet(pull.reviews().size());
        if (pull.state().equals("merged")) {
          mergedPullRequests.incrementAndGet();
        }
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  public long commits() {
    return commits.get();
  }

  public long additions() {
    return additions.get();
  }

  public long deletions() {
    return deletions.get();
  }

  public long pullRequests() {
    return pullRequests.get();
  }

  public long mergedPullRequests() {
    return mergedPullRequests.get();
  }

  public long reviews() {
    return reviews.get();
  }

  /** The author with the most commits, and how many. */
  public Map.Entry<String, Long> topAuthor() {
    synchronized (commitsByAuthor) {
      return commitsByAuthor.entrySet().stream().max(Map.Entry.comparingByValue()).orElse(Map.entry("nobody", 0L));
    }
  }

  @Override
  public String toString() {
    Map.Entry<String, Long> top = topAuthor();
    return String.format("%,d commits (+%,d −%,d lines), %,d pull requests (%,d merged) with %,d reviews;"
        + " most commits: %s (%,d)", commits(), additions(), deletions(), pullRequests(), mergedPullRequests(),
        reviews(), top.getKey(), top.getValue());
  }
}
