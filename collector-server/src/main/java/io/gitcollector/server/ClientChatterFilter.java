package io.gitcollector.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Marker;

/**
 * Keeps the client libraries' repeated warnings to one line a minute: during an outage Kafka's {@code NetworkClient}
 * warns at every reconnect, Lettuce and Netty at every attempt. The first line of each (logger, message pattern)
 * passes; the same again within {@link #WINDOW_MILLIS} is dropped. The collector's own lines, and errors, always pass.
 */
public final class ClientChatterFilter extends TurboFilter {
  /** The loggers whose repeats are dropped: the clients of the sinks and state stores. */
  static final List<String> CLIENT_LOGGERS = List.of("org.apache.kafka", "io.lettuce", "io.netty", "com.zaxxer.hikari",
      "org.postgresql", "org.flywaydb");
  static final long WINDOW_MILLIS = 60_000;
  private static final int MAX_REMEMBERED = 1_000;

  private final Map<String, Long> lastPassed = new ConcurrentHashMap<>();

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level == null || format == null || level.isGreaterOrEqual(Level.ERROR) || !isClient(logger.getName())
        || !logger.isEnabledFor(level)) {
      return FilterReply.NEUTRAL;
    }
    long now = System.currentTimeMillis();
    String key = logger.getName() + '|' + format;
    Long previous = lastPassed.get(key);
    if (previous != null && now - previous < WINDOW_MILLIS) {
      return FilterReply.DENY;
    }
    if (lastPassed.size() >= MAX_REMEMBERED) {
      lastPassed.clear();
    }
    lastPassed.put(key, now);
    return FilterReply.NEUTRAL;
  }

  static boolean isClient(String loggerName) {
    for (String prefix : CLIENT_LOGGERS) {
      if (loggerName.equals(prefix) || loggerName.startsWith(prefix + ".")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The command line's progress owns stderr: the client libraries log errors only there (their outages reach the
   * user as the collector's own one-line error), unless {@code LOG_LEVEL} asks for more.
   */
  public static void quietForTheCommandLine(Map<String, String> environment) {
    if (environment.containsKey("LOG_LEVEL")) {
      return;
    }
    for (String name : CLIENT_LOGGERS) {
      if (org.slf4j.LoggerFactory.getLogger(name) instanceof Logger client) {
        client.setLevel(Level.ERROR);
      }
    }
  }
}
