package io.gitcollector.server.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcollector.core.engine.RepositoryFilter;
import io.gitcollector.core.model.EntityKind;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An organization (group, workspace) the server follows: listed every {@code discoveryInterval}, each selected
 * repository subscribed (synced every {@code interval}, or every {@code archivedInterval} once archived), the ones
 * that go unsubscribed. Its one JSON form ({@link #json()}) is both what the API answers and what the state store
 * keeps ({@code organization/<id>}).
 *
 * @param interval the sync interval of its repositories; empty: the server's {@code SYNC_INTERVAL}
 * @param lastPass what the latest listing found, empty before the first
 * @param plan the estimate made by the latest pass that subscribed repositories ({@link PlanJson}), empty before
 */
public record OrganizationSubscription(String organizationId, String url, RepositoryFilter filter,
    Optional<Duration> interval, Duration discoveryInterval, Duration archivedInterval,
    Optional<Set<EntityKind>> kinds, Instant nextDiscovery, Optional<Pass> lastPass, Optional<ObjectNode> plan) {
  /** How often an organization is listed unless its subscription says otherwise. */
  public static final Duration DEFAULT_DISCOVERY_INTERVAL = Duration.ofHours(1);
  /** How often an archived repository is synced (it changes only when unarchived). */
  public static final Duration DEFAULT_ARCHIVED_INTERVAL = Duration.ofDays(7);
  private static final ObjectMapper JSON = new ObjectMapper();

  public OrganizationSubscription {
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(discoveryInterval, "discoveryInterval");
    Objects.requireNonNull(archivedInterval, "archivedInterval");
    kinds = kinds.map(Set::copyOf);
    Objects.requireNonNull(nextDiscovery, "nextDiscovery");
    Objects.requireNonNull(lastPass, "lastPass");
    plan = plan.map(ObjectNode::deepCopy);
  }

  /**
   * What one pass found and did: repositories listed and selected, pages read (and how many were unchanged),
   * requests, changes since the pass before, subscriptions added and removed; or the error that stopped it.
   */
  public record Pass(Instant at, int listed, int selected, int pages, int unchangedPages, long requests, int added,
      int renamed, int archived, int departed, int subscribed, int unsubscribed, Optional<String> error) {
    public Pass {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(error, "error");
    }

    static Pass failed(Instant at, String error) {
      return new Pass(at, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Optional.of(error));
    }
  }

  /** After a pass: its outcome, when the next is due, and its plan if it made one (else the last one stays). */
  OrganizationSubscription after(Pass pass, Instant next, Optional<ObjectNode> newPlan) {
    return new OrganizationSubscription(organizationId, url, filter, interval, discoveryInterval, archivedInterval,
        kinds, next, Optional.of(pass), newPlan.or(() -> plan));
  }

  public ObjectNode json() {
    ObjectNode node = JSON.createObjectNode();
    node.put("organization_id", organizationId);
    node.put("url", url);
    ObjectNode filterNode = node.putObject("filter");
    strings(filterNode.putArray("include"), filter.include());
    strings(filterNode.putArray("exclude"), filter.exclude());
    filterNode.put("forks", filter.forks());
    filterNode.put("archived", filter.archived());
    strings(filterNode.putArray("visibility"), filter.visibility().stream().sorted().toList());
    strings(filterNode.putArray("topics"), filter.topics().stream().sorted().toList());
    node.put("interval", interval.map(Duration::toString).orElse(null));
    node.put("discovery_interval", discoveryInterval.toString());
    node.put("archived_interval", archivedInterval.toString());
    if (kinds.isPresent()) {
      strings(node.putArray("kinds"), EntityKind.all().stream().filter(kinds.get()::contains)
          .map(EntityKind::stream).toList());
    } else {
      node.putNull("kinds");
    }
    node.put("next_discovery", nextDiscovery.toString());
    if (lastPass.isEmpty()) {
      node.putNull("last_discovery");
    } else {
      Pass pass = lastPass.get();
      ObjectNode last = node.putObject("last_discovery");
      last.put("at", pass.at().toString());
      last.put("listed", pass.listed());
      last.put("selected", pass.selected());
      last.put("pages", pass.pages());
      last.put("unchanged_pages", pass.unchangedPages());
      last.put("requests", pass.requests());
      last.put("added", pass.added());
      last.put("renamed", pass.renamed());
      last.put("archived", pass.archived());
      last.put("departed", pass.departed());
      last.put("subscribed", pass.subscribed());
      last.put("unsubscribed", pass.unsubscribed());
      last.put("error", pass.error().orElse(null));
    }
    node.set("plan", plan.<JsonNode>map(ObjectNode::deepCopy).orElse(node.nullNode()));
    return node;
  }

  /**
   * Reads the JSON form.
   *
   * @throws IllegalArgumentException if it cannot be read
   */
  static OrganizationSubscription read(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      JsonNode f = node.path("filter");
      RepositoryFilter filter = RepositoryFilter.builder().include(texts(f.path("include")))
          .exclude(texts(f.path("exclude"))).forks(f.path("forks").asBoolean(true))
          .archived(f.path("archived").asBoolean(true)).visibility(texts(f.path("visibility")))
          .topics(texts(f.path("topics"))).build();
      Optional<Set<EntityKind>> kinds = node.path("kinds").isArray()
          ? Optional.of(EntityKind.parse(String.join(",", texts(node.path("kinds"))), "kinds")) : Optional.empty();
      JsonNode last = node.path("last_discovery");
      Optional<Pass> pass = last.isObject() ? Optional.of(new Pass(Instant.parse(last.path("at").asText()),
          last.path("listed").asInt(), last.path("selected").asInt(), last.path("pages").asInt(),
          last.path("unchanged_pages").asInt(), last.path("requests").asLong(), last.path("added").asInt(),
          last.path("renamed").asInt(), last.path("archived").asInt(), last.path("departed").asInt(),
          last.path("subscribed").asInt(), last.path("unsubscribed").asInt(),
          last.hasNonNull("error") ? Optional.of(last.get("error").asText()) : Optional.empty())) : Optional.empty();
      return new OrganizationSubscription(node.path("organization_id").asText(), node.path("url").asText(), filter,
          node.hasNonNull("interval") ? Optional.of(Duration.parse(node.get("interval").asText())) : Optional.empty(),
          Duration.parse(node.path("discovery_interval").asText()),
          Duration.parse(node.path("archived_interval").asText()), kinds,
          Instant.parse(node.path("next_discovery").asText()), pass,
          node.path("plan").isObject() ? Optional.of((ObjectNode) node.get("plan")) : Optional.empty());
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("unreadable organization subscription: " + e.getMessage(), e);
    }
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static String[] texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values.toArray(String[]::new);
  }
}
