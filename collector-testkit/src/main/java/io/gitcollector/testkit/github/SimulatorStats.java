package io.gitcollector.testkit.github;

import java.util.Map;

/**
 * What the simulator observed.
 *
 * @param requests every request received
 * @param notModified 304 answers (these cost no primary rate-limit points)
 * @param primaryPointsSpent REST requests charged to the primary budget
 * @param graphqlPointsSpent GraphQL queries charged to the GraphQL budget
 * @param rateLimitViolations requests that arrived while their budget was spent (a well-behaved client makes none)
 * @param secondaryLimitViolations requests that arrived before a secondary limit's {@code Retry-After} passed
 * @param peakConcurrentRequests the most requests in flight at once
 * @param byRoute requests per route, e.g. {@code GET /repos/{o}/{r}/commits} or {@code POST /graphql CommitHistory}
 */
public record SimulatorStats(
    long requests,
    long notModified,
    long primaryPointsSpent,
    long graphqlPointsSpent,
    long rateLimitViolations,
    long secondaryLimitViolations,
    int peakConcurrentRequests,
    Map<String, Long> byRoute) {

  public SimulatorStats {
    byRoute = Map.copyOf(byRoute);
  }

  public long route(String route) {
    return byRoute.getOrDefault(route, 0L);
  }
}
