package io.gitcollector.testkit.github;

/**
 * Size and shape of a simulated repository.
 *
 * @param commits commits on the default branch
 * @param pullRequests pull requests, every tenth open, the rest closed or merged
 * @param reviewsPerPullRequest reviews each pull request starts with
 * @param contributors distinct commit authors
 * @param privateRepository whether requests without the simulator's token get a 404
 * @param issues issues (numbered from {@link SimulatedRepository#FIRST_ISSUE}), every third closed
 * @param commentsPerIssue comments each issue starts with
 * @param releases releases (tags {@code v1.0.0}, {@code v1.1.0}, …), every fifth a pre-release, every tenth a draft
 * @param ciRuns CI runs, one created a minute (1,440 a day), the newest queued and running, the others finished
 * @param deployments deployments, one an hour, every fourth to staging, the rest to production, the newest in
 *     progress, the others finished (every eighth failed)
 * @param epoch when the repository's history begins (its first commit, pull request, issue, …); by default
 *     {@link SimulatedRepository#EPOCH}
 */
public record RepositorySpec(
    int commits, int pullRequests, int reviewsPerPullRequest, int contributors, boolean privateRepository,
    int issues, int commentsPerIssue, int releases, int ciRuns, int deployments, java.time.Instant epoch) {

  public RepositorySpec {
    java.util.Objects.requireNonNull(epoch, "epoch");
    if (commits < 0 || pullRequests < 0 || reviewsPerPullRequest < 0 || contributors < 1 || issues < 0
        || commentsPerIssue < 0 || releases < 0 || ciRuns < 0 || deployments < 0) {
      throw new IllegalArgumentException("counts must not be negative and there is at least one contributor");
    }
  }

  public static RepositorySpec of(int commits, int pullRequests, int reviewsPerPullRequest) {
    return new RepositorySpec(commits, pullRequests, reviewsPerPullRequest, 25, false, 0, 0, 0, 0, 0,
        SimulatedRepository.EPOCH);
  }

  public RepositorySpec asPrivate() {
    return new RepositorySpec(commits, pullRequests, reviewsPerPullRequest, contributors, true, issues,
        commentsPerIssue, releases, ciRuns, deployments, epoch);
  }

  public RepositorySpec withContributors(int count) {
    return new RepositorySpec(commits, pullRequests, reviewsPerPullRequest, count, privateRepository, issues,
        commentsPerIssue, releases, ciRuns, deployments, epoch);
  }

  /**
   * The same repository with its history beginning at {@code start}, so that it happened lately (activity charts
   * show the last days).
   */
  public RepositorySpec startingAt(java.time.Instant start) {
    return new RepositorySpec(commits, pullRequests, reviewsPerPullRequest, contributors, privateRepository, issues,
        commentsPerIssue, releases, ciRuns, deployments, start);
  }

  /** The same repository with {@code count} issues of {@code comments} comments each. */
  public RepositorySpec withIssues(int count, int comments) {
    return new RepositorySpec(commits, pullRequests, reviewsPerPullRequest, contributors, privateRepository, count,
        comments, releases, ciRuns, deployments, epoch);
  }

  /** The same repository with {@code count} releases. */
  public RepositorySpec withReleases(int count) {
    return new RepositorySpec(commits, pullRequests, reviewsPerPullRequest, contributors, privateRepository, issues,
        commentsPerIssue, count, ciRuns, deployments, epoch);
  }

  /** The same repository with {@code count} CI runs. */
  public RepositorySpec withCiRuns(int count) {
    return new RepositorySpec(commits, pullRequests, reviewsPerPullRequest, contributors, privateRepository, issues,
        commentsPerIssue, releases, count, deployments, epoch);
  }

  /** The same repository with {@code count} deployments. */
  public RepositorySpec withDeployments(int count) {
    return new RepositorySpec(commits, pullRequests, reviewsPerPullRequest, contributors, privateRepository, issues,
        commentsPerIssue, releases, ciRuns, count, epoch);
  }
}
