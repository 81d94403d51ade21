package io.gitcollector.server.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.StreamKind;
import io.gitcollector.core.engine.SyncListener;
import io.gitcollector.core.model.Entity;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.spi.StateStore;
import io.gitcollector.core.spi.SyncMode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the status page shows beyond the state store's statuses: the collections running on this instance with their
 * progress, the latest failures, and each repository's activity per day. Activity is what the collected entities say
 * happened ({@link Entity#activity()}: commits, pull requests opened and merged, …), each entity counted once per
 * series and day however often it is delivered again; it is kept in the state store at the end of each collection,
 * so every instance and every restart sees it, and covers the last {@value #ACTIVITY_DAYS} days.
 */
public final class CollectionBoard implements SyncListener {
  private static final Logger LOG = LoggerFactory.getLogger(CollectionBoard.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The days of activity kept and charted, today included. */
  public static final int ACTIVITY_DAYS = 30;
  /** The failures kept for the page, newest first. */
  public static final int RECENT_FAILURES = 20;

  private final StateStore store;
  private final Clock clock;
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private final Deque<Failure> failures = new ArrayDeque<>();

  /** A collection that failed, and why. */
  public record Failure(String repositoryId, Instant at, String error) {}

  /**
   * One stream of a running collection: pages and entities delivered so far, and the entities its pass holds after
   * them when the platform tells.
   */
  public record StreamProgress(String stream, long pages, long entities, java.util.OptionalLong remaining) {}

  /**
   * A collection running on this instance.
   *
   * @param ratePerSecond entities delivered per second since it started
   * @param percent how much of the streams whose size the platform tells is delivered (0 to 100)
   * @param eta when those streams end at the rate they went so far
   */
  public record Progress(String repositoryId, SyncMode mode, List<String> kinds, Instant started, Duration elapsed,
      long pages, long entities, double ratePerSecond, List<StreamProgress> streams,
      java.util.OptionalDouble percent, Optional<Duration> eta) {}

  /** A repository's activity: the days charted (oldest first), and each series' count on each of them. */
  public record Activity(List<LocalDate> days, Map<String, List<Long>> series) {}

  public CollectionBoard(StateStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Listens to {@code collector}'s collections from now on. */
  public static CollectionBoard watching(GitCollector collector, Clock clock) {
    CollectionBoard board = new CollectionBoard(collector.stateStore(), clock);
    collector.addListener(board);
    return board;
  }

  // ------------------------------------------------------------------ what the engine tells

  @Override
  public void collectionStarted(String repositoryId, SyncMode mode, Set<EntityKind> kinds) {
    running.put(repositoryId, new Running(mode, kinds.stream().map(EntityKind::stream).sorted().toList(),
        clock.instant()));
  }

  @Override
  public void entitiesDelivered(String repositoryId, StreamKind stream, List<? extends Entity> entities) {
    Running collection = running.get(repositoryId);
    if (collection == null) {
      return;
    }
    LocalDate oldest = today().minusDays(ACTIVITY_DAYS - 1L);
    synchronized (collection) {
      long[] counts = collection.streams.computeIfAbsent(stream.key(), key -> new long[2]);
      counts[0]++;
      counts[1] += entities.size();
      for (Entity entity : entities) {
        entity.activity().forEach((series, moment) -> {
          LocalDate day = moment.atOffset(ZoneOffset.UTC).toLocalDate();
          if (!day.isBefore(oldest)) {
            collection.activity.computeIfAbsent(day, d -> new TreeMap<>())
                .computeIfAbsent(series, s -> new HashSet<>()).add(entity.key().hashCode());
          }
        });
      }
    }
  }

  @Override
  public void streamRemaining(String repositoryId, StreamKind stream, long remaining) {
    Running collection = running.get(repositoryId);
    if (collection != null) {
      synchronized (collection) {
        collection.remaining.put(stream.key(), remaining);
      }
    }
  }

  @Override
  public void collectionEnded(String repositoryId, Optional<String> failure) {
    Running collection = running.remove(repositoryId);
    failure.ifPresent(error -> {
      synchronized (failures) {
        failures.addFirst(new Failure(repositoryId, clock.instant(), error));
        while (failures.size() > RECENT_FAILURES) {
          failures.removeLast();
        }
      }
    });
    if (collection != null && !collection.activity.isEmpty()) {
      // what was delivered stays delivered when the collection failed later: it counts either way
      try {
        Map<LocalDate, Map<String, Set<Integer>>> kept = stored(repositoryId);
        synchronized (collection) {
          merge(kept, collection.activity);
        }
        store.put(GitCollector.activityStateKey(repositoryId), write(kept));
      } catch (RuntimeException e) {
        LOG.warn("the activity of {} could not be saved: {}", repositoryId, e.getMessage());
      }
    }
  }

  // ------------------------------------------------------------------ what the page reads

  /** The collections running on this instance, the longest-running first. */
  public List<Progress> running() {
    Instant now = clock.instant();
    List<Progress> progress = new ArrayList<>();
    running.forEach((repositoryId, collection) -> {
      synchronized (collection) {
        List<StreamProgress> streams = new ArrayList<>();
        long pages = 0;
        long entities = 0;
        long sizedDone = 0;
        long sizedLeft = 0;
        for (Map.Entry<String, long[]> stream : collection.streams.entrySet()) {
          Long remaining = collection.remaining.get(stream.getKey());
          streams.add(new StreamProgress(stream.getKey(), stream.getValue()[0], stream.getValue()[1],
              remaining == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(remaining)));
          pages += stream.getValue()[0];
          entities += stream.getValue()[1];
          if (remaining != null) {
            sizedDone += stream.getValue()[1];
            sizedLeft += remaining;
          }
        }
        Duration elapsed = Duration.between(collection.started, now);
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        boolean sized = sizedDone + sizedLeft > 0;
        java.util.OptionalDouble percent = sized
            ? java.util.OptionalDouble.of(100.0 * sizedDone / (sizedDone + sizedLeft))
            : java.util.OptionalDouble.empty();
        Optional<Duration> eta = sized && sizedDone > 0
            ? Optional.of(Duration.ofMillis((long) (sizedLeft * (seconds / sizedDone) * 1000))) : Optional.empty();
        progress.add(new Progress(repositoryId, collection.mode, collection.kinds, collection.started, elapsed, pages,
            entities, entities / seconds, streams, percent, eta));
      }
    });
    progress.sort(java.util.Comparator.comparing(Progress::started));
    return progress;
  }

  /** The latest failures on this instance, newest first. */
  public List<Failure> failures() {
    synchronized (failures) {
      return List.copyOf(failures);
    }
  }

  /** The repository's activity over the last {@value #ACTIVITY_DAYS} days, with what a running collection added. */
  public Activity activity(String repositoryId) {
    return activity(repositoryId, stored(repositoryId));
  }

  /**
   * The activity of every repository that has some (one scan of the state store), with what running collections
   * added, by repository id.
   */
  public Map<String, Activity> activities() {
    Map<String, Map<LocalDate, Map<String, Set<Integer>>>> kept = new TreeMap<>();
    String prefix = GitCollector.activityStateKey("");
    store.scan(prefix).forEach((key, text) -> {
      String repositoryId = key.substring(prefix.length());
      kept.put(repositoryId, read(repositoryId, text));
    });
    running.keySet().forEach(repositoryId -> kept.putIfAbsent(repositoryId, new TreeMap<>()));
    Map<String, Activity> activities = new TreeMap<>();
    kept.forEach((repositoryId, days) -> activities.put(repositoryId, activity(repositoryId, days)));
    return activities;
  }

  private Activity activity(String repositoryId, Map<LocalDate, Map<String, Set<Integer>>> days) {
    Running collection = running.get(repositoryId);
    if (collection != null) {
      synchronized (collection) {
        merge(days, collection.activity);
      }
    }
    List<LocalDate> charted = days();
    Map<String, List<Long>> series = new TreeMap<>();
    days.forEach((day, bySeries) -> bySeries.keySet().forEach(name -> series.computeIfAbsent(name,
        n -> new ArrayList<>(java.util.Collections.nCopies(ACTIVITY_DAYS, 0L)))));
    series.forEach((name, counts) -> {
      for (int i = 0; i < charted.size(); i++) {
        Set<Integer> keys = days.getOrDefault(charted.get(i), Map.of()).get(name);
        counts.set(i, keys == null ? 0L : keys.size());
      }
    });
    return new Activity(charted, series);
  }

  /** The days activity is counted on, the oldest first, today (UTC) last. */
  public List<LocalDate> days() {
    LocalDate today = today();
    List<LocalDate> days = new ArrayList<>();
    for (int back = ACTIVITY_DAYS - 1; back >= 0; back--) {
      days.add(today.minusDays(back));
    }
    return List.copyOf(days);
  }

  // ------------------------------------------------------------------ stored form

  private LocalDate today() {
    return clock.instant().atOffset(ZoneOffset.UTC).toLocalDate();
  }

  private static void merge(Map<LocalDate, Map<String, Set<Integer>>> into,
      Map<LocalDate, Map<String, Set<Integer>>> from) {
    from.forEach((day, bySeries) -> bySeries.forEach((series, keys) -> into.computeIfAbsent(day, d -> new TreeMap<>())
        .computeIfAbsent(series, s -> new HashSet<>()).addAll(keys)));
  }

  /**
   * {@code {"<day>": {"<series>": [<key hash>, …]}}}: the hashes of the entity keys counted on each day, so that an
   * entity delivered again (a full sync, a pull request updated) is not counted twice; days that left the window are
   * dropped. Unreadable activity is started over: it is a view, not data.
   */
  private Map<LocalDate, Map<String, Set<Integer>>> stored(String repositoryId) {
    return store.get(GitCollector.activityStateKey(repositoryId)).map(text -> read(repositoryId, text))
        .orElseGet(TreeMap::new);
  }

  private Map<LocalDate, Map<String, Set<Integer>>> read(String repositoryId, String text) {
    Map<LocalDate, Map<String, Set<Integer>>> days = new TreeMap<>();
    LocalDate oldest = today().minusDays(ACTIVITY_DAYS - 1L);
    try {
      JsonNode node = JSON.readTree(text);
      node.fields().forEachRemaining(day -> {
        LocalDate date = LocalDate.parse(day.getKey());
        if (date.isBefore(oldest)) {
          return;
        }
        day.getValue().fields().forEachRemaining(series -> {
          Set<Integer> keys = days.computeIfAbsent(date, d -> new TreeMap<>()).computeIfAbsent(series.getKey(),
              s -> new HashSet<>());
          series.getValue().forEach(hash -> keys.add(hash.asInt()));
        });
      });
    } catch (IOException | RuntimeException e) {
      LOG.warn("the activity kept for {} is unreadable and starts over: {}", repositoryId, e.getMessage());
      return new TreeMap<>();
    }
    return days;
  }

  private String write(Map<LocalDate, Map<String, Set<Integer>>> days) {
    LocalDate oldest = today().minusDays(ACTIVITY_DAYS - 1L);
    ObjectNode node = JSON.createObjectNode();
    days.forEach((day, bySeries) -> {
      if (!day.isBefore(oldest)) {
        ObjectNode forDay = node.putObject(day.toString());
        bySeries.forEach((series, keys) -> keys.stream().sorted().forEach(forDay.withArray(series)::add));
      }
    });
    return node.toString();
  }

  /** A collection as it goes: pages and entities per stream, and the activity its entities bring. */
  private static final class Running {
    final SyncMode mode;
    final List<String> kinds;
    final Instant started;
    final Map<String, long[]> streams = new LinkedHashMap<>();
    /** Entities each stream's pass holds after its last page, for the streams whose platform tells. */
    final Map<String, Long> remaining = new LinkedHashMap<>();
    final Map<LocalDate, Map<String, Set<Integer>>> activity = new TreeMap<>();

    Running(SyncMode mode, List<String> kinds, Instant started) {
      this.mode = mode;
      this.kinds = kinds;
      this.started = started;
    }
  }
}
