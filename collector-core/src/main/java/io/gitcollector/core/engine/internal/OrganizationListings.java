package io.gitcollector.core.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcollector.core.engine.Discovery;
import io.gitcollector.core.engine.RepositoryFilter;
import io.gitcollector.core.model.DiscoveredRepository;
import io.gitcollector.core.model.MissingCredentialsException;
import io.gitcollector.core.model.OrganizationRef;
import io.gitcollector.core.model.PermissionDeniedException;
import io.gitcollector.core.model.ProtocolException;
import io.gitcollector.core.model.Repository;
import io.gitcollector.core.model.RepositoryNotFoundException;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.model.StateStoreException;
import io.gitcollector.core.spi.ListingPage;
import io.gitcollector.core.spi.ListingRequest;
import io.gitcollector.core.spi.Page;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.StateStore;
import io.gitcollector.core.spi.StreamRequest;
import io.gitcollector.core.spi.SyncMode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks an organization's listing page by page, each page asked for with the ETag it had last time (an unchanged page
 * is taken from what was kept of it: {@code listing/<id>/pages}), and tells what changed since the listing last
 * {@link #acknowledge acknowledged} ({@code listing/<id>/baseline}): as a cursor moves only after the sink took a
 * page, the baseline moves only after the caller acted on the changes, so changes a crash interrupted are reported
 * again. A repository that left the listing is looked up by its old path before it is called deleted: a listing read
 * while repositories are created or deleted can shift an entry from one page to another, and a transferred repository
 * still answers under its new path.
 */
public final class OrganizationListings {
  private static final Logger LOG = LoggerFactory.getLogger(OrganizationListings.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A listing of more pages than this is taken for a loop (10 million repositories at 100 a page). */
  private static final int MAX_PAGES = 100_000;

  private final StateStore store;

  public OrganizationListings(StateStore store) {
    this.store = store;
  }

  static String pagesKey(String organizationId) {
    return "listing/" + organizationId + "/pages";
  }

  static String baselineKey(String organizationId) {
    return "listing/" + organizationId + "/baseline";
  }

  /** The listing of a pass becomes the one the next pass is compared with. */
  public void acknowledge(Discovery discovery) {
    ObjectNode root = JSON.createObjectNode();
    writeRepositories(root.putArray("repositories"), discovery.listed());
    write(baselineKey(discovery.organizationId()), root);
  }

  /** One pass: the listing walked, the filter applied, the changes since the last pass found and the listing kept. */
  public Discovery discover(PlatformClient client, OrganizationRef organization, String organizationId,
      RepositoryFilter filter) {
    List<StoredPage> previous = loadPages(organizationId);
    Map<Optional<String>, StoredPage> known = new LinkedHashMap<>();
    previous.forEach(page -> known.put(page.page(), page));
    List<StoredPage> walked = new ArrayList<>();
    Set<Optional<String>> visited = new HashSet<>();
    Optional<String> next = Optional.empty();
    int unchanged = 0;
    do {
      if (!visited.add(next) || visited.size() > MAX_PAGES) {
        throw new ProtocolException("the listing of " + organization + " does not end: page " + next.orElse("1")
            + " came again");
      }
      StoredPage kept = known.get(next);
      ListingPage answer = client.organizationRepositories(organization,
          new ListingRequest(next, Optional.ofNullable(kept).flatMap(StoredPage::etag)));
      StoredPage current;
      if (answer.modified()) {
        current = new StoredPage(next, answer.etag(), answer.next(), answer.repositories().orElseThrow());
      } else if (kept != null) {
        current = kept;
        unchanged++;
      } else {
        throw new ProtocolException("the platform answered 'not modified' to a page of " + organization
            + " that was never read");
      }
      walked.add(current);
      next = current.next();
    } while (next.isPresent());

    Map<String, DiscoveredRepository> listed = new LinkedHashMap<>();
    for (StoredPage page : walked) {
      for (DiscoveredRepository repository : page.repositories()) {
        if (!organization.holds(repository.repository())) {
          LOG.warn("the listing of {} named {}, which is not in it; left out", organization, repository.repository());
          continue;
        }
        listed.putIfAbsent(repository.platformId(), repository);
      }
    }
    Map<String, DiscoveredRepository> before = new LinkedHashMap<>();
    loadBaseline(organizationId).forEach(r -> before.putIfAbsent(r.platformId(), r));

    List<DiscoveredRepository> added = new ArrayList<>();
    List<Discovery.Renamed> renamed = new ArrayList<>();
    List<DiscoveredRepository> archived = new ArrayList<>();
    for (DiscoveredRepository now : listed.values()) {
      DiscoveredRepository then = before.get(now.platformId());
      if (then == null) {
        added.add(now);
        continue;
      }
      if (!samePlace(then.repository(), now.repository())) {
        renamed.add(new Discovery.Renamed(then, now));
      }
      if (now.archived() && !then.archived()) {
        archived.add(now);
      }
    }
    List<Discovery.Departure> departed = new ArrayList<>();
    for (DiscoveredRepository then : before.values()) {
      if (!listed.containsKey(then.platformId())) {
        confirmDeparture(client, organization, then).ifPresentOrElse(departed::add,
            () -> listed.put(then.platformId(), then));
      }
    }
    savePages(organizationId, walked);
    List<DiscoveredRepository> all = List.copyOf(listed.values());
    List<DiscoveredRepository> selected = all.stream().filter(r -> filter.matches(organization, r)).toList();
    return new Discovery(organizationId, all, selected, added, renamed, archived, departed, walked.size(), unchanged,
        0, java.time.Duration.ZERO);
  }

  /** The repository looked up under its old path: gone, moved out of the organization, or (empty) still there. */
  private static Optional<Discovery.Departure> confirmDeparture(PlatformClient client, OrganizationRef organization,
      DiscoveredRepository then) {
    Page<Repository> answer;
    try {
      answer = client.repository(then.repository(), StreamRequest.start(SyncMode.FULL));
    } catch (RepositoryNotFoundException | MissingCredentialsException | PermissionDeniedException gone) {
      return Optional.of(new Discovery.Departure(then, Discovery.Departure.Reason.DELETED, Optional.empty()));
    }
    if (answer.items().isEmpty()) {
      return Optional.empty();
    }
    RepositoryRef old = then.repository();
    RepositoryRef now = new RepositoryRef(old.host(), old.port(), List.of(answer.items().get(0).fullName()
        .split("/")));
    if (organization.holds(now)) {
      // listed under its new path on a page read before it moved there: the next pass sees it
      return Optional.empty();
    }
    return Optional.of(new Discovery.Departure(then, Discovery.Departure.Reason.MOVED_OUT, Optional.of(now)));
  }

  private static boolean samePlace(RepositoryRef a, RepositoryRef b) {
    return a.authority().equals(b.authority()) && a.path().equalsIgnoreCase(b.path());
  }

  // ------------------------------------------------------------------ the kept listing

  /** A page of the listing as it was read: where it was asked for, its ETag, the next page and its repositories. */
  record StoredPage(Optional<String> page, Optional<String> etag, Optional<String> next,
      List<DiscoveredRepository> repositories) {}

  private List<StoredPage> loadPages(String organizationId) {
    return read(pagesKey(organizationId)).map(root -> {
      List<StoredPage> pages = new ArrayList<>();
      for (JsonNode page : root.path("pages")) {
        pages.add(new StoredPage(optional(page, "page"), optional(page, "etag"), optional(page, "next"),
            readRepositories(page.path("repositories"))));
      }
      return pages;
    }).orElse(List.of());
  }

  private List<DiscoveredRepository> loadBaseline(String organizationId) {
    return read(baselineKey(organizationId)).map(root -> readRepositories(root.path("repositories")))
        .orElse(List.of());
  }

  private void savePages(String organizationId, List<StoredPage> pages) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode array = root.putArray("pages");
    for (StoredPage page : pages) {
      ObjectNode node = array.addObject();
      node.put("page", page.page().orElse(null));
      node.put("etag", page.etag().orElse(null));
      node.put("next", page.next().orElse(null));
      writeRepositories(node.putArray("repositories"), page.repositories());
    }
    write(pagesKey(organizationId), root);
  }

  /**
   * What the key holds, empty when nothing or something unreadable: a kept listing that cannot be read is read again
   * from the platform (a baseline that cannot, reports every repository as added), which costs requests and loses
   * nothing.
   */
  private Optional<JsonNode> read(String key) {
    Optional<String> text = store.get(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      JsonNode root = JSON.readTree(text.get());
      readRepositories(root.path("repositories"));
      root.path("pages").forEach(page -> readRepositories(page.path("repositories")));
      return Optional.of(root);
    } catch (IOException | RuntimeException e) {
      LOG.warn("the kept listing {} at {} cannot be read ({}); it is built afresh", key, store.locationOf(key),
          e.toString());
      return Optional.empty();
    }
  }

  private void write(String key, ObjectNode root) {
    try {
      store.put(key, JSON.writeValueAsString(root));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new StateStoreException("the listing " + key + " cannot be written: " + e.getMessage(), e);
    }
  }

  private static List<DiscoveredRepository> readRepositories(JsonNode array) {
    List<DiscoveredRepository> repositories = new ArrayList<>();
    for (JsonNode r : array) {
      List<String> topics = new ArrayList<>();
      r.path("topics").forEach(t -> topics.add(t.asText()));
      repositories.add(new DiscoveredRepository(r.path("platform_id").asText(),
          RepositoryRef.parse(r.path("url").asText()), r.path("fork").asBoolean(), r.path("archived").asBoolean(),
          r.path("visibility").asText(), topics, r.path("size_kb").asLong(),
          optional(r, "pushed_at").map(Instant::parse)));
    }
    return repositories;
  }

  private static void writeRepositories(ArrayNode array, List<DiscoveredRepository> repositories) {
    for (DiscoveredRepository r : repositories) {
      ObjectNode item = array.addObject();
      item.put("platform_id", r.platformId());
      item.put("url", r.repository().webUrl());
      item.put("fork", r.fork());
      item.put("archived", r.archived());
      item.put("visibility", r.visibility());
      ArrayNode topics = item.putArray("topics");
      r.topics().forEach(topics::add);
      item.put("size_kb", r.sizeKb());
      item.put("pushed_at", r.pushedAt().map(Instant::toString).orElse(null));
    }
  }

  private static Optional<String> optional(JsonNode node, String field) {
    return node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
  }
}
