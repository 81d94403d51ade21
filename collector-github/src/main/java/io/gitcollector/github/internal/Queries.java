package io.gitcollector.github.internal;

/** The GraphQL documents the adapter sends; the testkit simulator answers exactly these operations. */
final class Queries {
  private Queries() {}

  /** Commit statistics for up to 100 commits a request, where REST needs one request per commit. */
  static final String COMMIT_HISTORY = """
      query CommitHistory($owner: String!, $name: String!, $oid: GitObjectID!, $first: Int!, $after: String) {
        repository(owner: $owner, name: $name) {
          object(oid: $oid) {
            ... on Commit {
              history(first: $first, after: $after) {
                totalCount
                pageInfo { hasNextPage endCursor }
                nodes {
                  oid url message additions deletions changedFilesIfAvailable
                  parents(first: 20) { nodes { oid } }
                  author { name email date user { login } }
                  committer { name email date user { login } }
                }
              }
            }
          }
        }
      }""";

  private static final String PULL_REQUEST_FIELDS = """
      databaseId number state title isDraft url createdAt updatedAt mergedAt closedAt
      headRefName baseRefName
      author { login }
      mergeCommit { oid }
      labels(first: 50) { nodes { name } }
      reviews(first: 50) {
        totalCount
        pageInfo { hasNextPage }
        nodes { databaseId state body submittedAt author { login } commit { oid } }
      }""";

  /** Pull requests with their reviews nested, so a page of 100 costs one request instead of 101. */
  static final String PULL_REQUESTS = """
      query PullRequests($owner: String!, $name: String!, $first: Int!, $after: String,
                         $orderField: IssueOrderField!, $direction: OrderDirection!) {
        repository(owner: $owner, name: $name) {
          pullRequests(first: $first, after: $after, states: [OPEN, CLOSED, MERGED],
                       orderBy: {field: $orderField, direction: $direction}) {
            pageInfo { hasNextPage endCursor }
            nodes { %s }
          }
        }
      }""".formatted(PULL_REQUEST_FIELDS);

  private static final String ISSUE_FIELDS = """
      databaseId number title body state stateReason url createdAt updatedAt closedAt
      author { login }
      assignees(first: 20) { nodes { login } }
      labels(first: 50) { nodes { name } }
      milestone { title }
      comments(first: 50) {
        totalCount
        pageInfo { hasNextPage }
        nodes { databaseId body createdAt updatedAt author { login } }
      }""";

  /**
   * Issues (never pull requests, unlike REST's {@code /issues}) with their comments nested: a page of 100 issues
   * with their comments costs one request.
   */
  static final String ISSUES = """
      query Issues($owner: String!, $name: String!, $first: Int!, $after: String,
                   $orderField: IssueOrderField!, $direction: OrderDirection!) {
        repository(owner: $owner, name: $name) {
          issues(first: $first, after: $after, orderBy: {field: $orderField, direction: $direction}) {
            pageInfo { hasNextPage endCursor }
            nodes { %s }
          }
        }
      }""".formatted(ISSUE_FIELDS);

  static final String ISSUE = """
      query Issue($owner: String!, $name: String!, $number: Int!) {
        repository(owner: $owner, name: $name) {
          issue(number: $number) { %s }
        }
      }""".formatted(ISSUE_FIELDS);

  static final String PULL_REQUEST = """
      query PullRequest($owner: String!, $name: String!, $number: Int!) {
        repository(owner: $owner, name: $name) {
          pullRequest(number: $number) { %s }
        }
      }""".formatted(PULL_REQUEST_FIELDS);
}
