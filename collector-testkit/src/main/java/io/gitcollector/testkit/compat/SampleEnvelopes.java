package io.gitcollector.testkit.compat;

import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.GitIdentity;
import io.gitcollector.core.model.PullRequest;
import io.gitcollector.core.model.Repository;
import io.gitcollector.core.model.Review;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Valid envelopes of every kind, for kits and sink tests. */
public final class SampleEnvelopes {
  private static final Instant T = Instant.parse("2024-03-01T12:00:00Z");

  private SampleEnvelopes() {}

  public static Envelope commit(String repositoryId, int index) {
    GitIdentity who = new GitIdentity("Dev " + index % 7, "dev" + index % 7 + "@example.com", T.plusSeconds(index),
        Optional.of("dev" + index % 7));
    String sha = String.format(Locale.ROOT, "%040x", 0xC0FFEEL * 1_000_003L + index);
    return Envelope.of("github", repositoryId, new Commit(sha, List.of(), who, who, "change " + index, index % 50,
        index % 9, 1, List.of(), "https://example.com/commit/" + sha));
  }

  public static Envelope pullRequest(String repositoryId, int number) {
    Review review = new Review(Integer.toString(number * 10), Optional.of("reviewer"), "APPROVED",
        Optional.of("ok"), Optional.of(T), Optional.empty());
    return Envelope.of("github", repositoryId, new PullRequest(Integer.toString(number), number, "open",
        "Pull request " + number, Optional.of("author"), "feature-" + number, "main", T, T.plusSeconds(number),
        Optional.empty(), Optional.empty(), Optional.empty(), false, List.of("bug"), List.of(review),
        "https://example.com/pull/" + number));
  }

  public static Envelope repository(String repositoryId) {
    return Envelope.of("github", repositoryId, new Repository("42", "repo", "owner/repo", Optional.empty(), "main",
        "public", false, false, Optional.of("Java"), 1, 2, 3, 4, T, T, Optional.of(T), "https://example.com/repo"));
  }
}
