package io.gitcollector.server.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcollector.core.engine.CollectionPlan;
import io.gitcollector.core.engine.SyncStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A {@link CollectionPlan} as the API shows and the state store keeps it, and the progress of an organization's
 * repositories against it. Durations are ISO-8601; tokens appear by fingerprint only.
 */
public final class PlanJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PlanJson() {}

  public static ObjectNode write(CollectionPlan plan) {
    ObjectNode node = JSON.createObjectNode();
    node.put("made", plan.made().toString());
    node.put("mode", plan.mode().name().toLowerCase(Locale.ROOT));
    node.put("repositories", plan.repositories());
    node.put("requests", plan.requests());
    node.put("points", plan.points());
    ObjectNode basis = node.putObject("basis");
    basis.put("measured", plan.basis().measured());
    basis.put("sized", plan.basis().sized());
    basis.put("defaulted", plan.basis().defaulted());
    basis.put("incremental", plan.basis().incremental());
    node.put("latency", plan.latency().toString());
    node.put("concurrency", plan.concurrency());
    node.put("request_time", plan.requestTime().toString());
    node.put("wall_time", plan.wallTime().toString());
    node.put("rate_limited", plan.rateLimited());
    ArrayNode tokens = node.putArray("tokens");
    for (CollectionPlan.TokenShare share : plan.tokens()) {
      ObjectNode token = tokens.addObject();
      token.put("token", share.token());
      token.put("repositories", share.repositories());
      token.put("requests", share.requests());
      token.put("points", share.points());
      if (share.budget().isPresent()) {
        CollectionPlan.Budget budget = share.budget().get();
        ObjectNode b = token.putObject("budget");
        b.put("limit", budget.limit());
        b.put("remaining", budget.remaining());
        b.put("reset", budget.reset().toString());
        b.put("window", budget.window().map(Duration::toString).orElse(null));
      } else {
        token.putNull("budget");
      }
      token.put("resets", share.resets());
      token.put("time", share.time().toString());
    }
    return node;
  }

  /**
   * How far the repositories of a plan have got since it was made: done (a sync completed since), failed (the last
   * sync since failed), running, left; the time elapsed and, once some are done, the finish that pace projects,
   * beside the plan's own estimate.
   *
   * @param statuses the statuses of the organization's subscribed repositories
   */
  public static ObjectNode progress(JsonNode plan, List<SyncStatus> statuses, Instant now) {
    Instant made = Instant.parse(plan.path("made").asText());
    int planned = plan.path("repositories").asInt();
    int done = 0;
    int failed = 0;
    int running = 0;
    Instant lastDone = made;
    for (SyncStatus status : statuses) {
      boolean completedSince = status.lastSync().map(at -> !at.isBefore(made)).orElse(false);
      if (completedSince) {
        done++;
        lastDone = status.lastSync().get().isAfter(lastDone) ? status.lastSync().get() : lastDone;
      } else if (status.state() == SyncStatus.State.FAILED
          && status.lastStarted().map(at -> !at.isBefore(made)).orElse(false)) {
        failed++;
      } else if (status.state() == SyncStatus.State.RUNNING) {
        running++;
      }
    }
    ObjectNode node = JSON.createObjectNode();
    node.put("repositories", planned);
    node.put("done", done);
    node.put("failed", failed);
    node.put("running", running);
    node.put("left", Math.max(0, planned - done - failed));
    boolean finished = done + failed >= planned;
    Duration elapsed = Duration.between(made, finished ? lastDone : now);
    node.put("elapsed", elapsed.toString());
    node.put("planned_wall_time", plan.path("wall_time").asText());
    node.put("finished", finished ? lastDone.toString() : null);
    node.put("projected_finish", !finished && done > 0
        ? made.plus(elapsed.multipliedBy(planned).dividedBy(done)).toString() : null);
    node.put("state", finished ? (failed > 0 ? "finished_with_failures" : "finished") : "in_progress");
    return node;
  }
}
