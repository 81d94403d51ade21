package io.gitcollector.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;

/** A client library's repeated warnings pass once a minute; the collector's own lines and errors always pass. */
class ClientChatterFilterTest {

  @Test
  void repeatsOfAClientWarningAreDroppedAndEverythingElsePasses() {
    LoggerContext context = new LoggerContext();
    context.addTurboFilter(new ClientChatterFilter());
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.setContext(context);
    lines.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(lines);
    Logger network = context.getLogger("org.apache.kafka.clients.NetworkClient");
    Logger ours = context.getLogger("io.gitcollector.core.engine.GitCollector");
    for (int attempt = 0; attempt < 50; attempt++) {
      network.warn("[Producer clientId=git-collector] Connection to node {} ({}) could not be established.", -1,
          "127.0.0.1:9092");
      ours.info("collection of {} started: {}", "github:github.com/acme/x", "incremental");
    }
    network.warn("[Producer clientId=git-collector] Bootstrap broker {} disconnected", "127.0.0.1:9092");
    network.error("[Producer clientId=git-collector] an error: {}", "always shown");
    network.error("[Producer clientId=git-collector] an error: {}", "always shown");
    assertEquals(1, count(lines, "org.apache.kafka.clients.NetworkClient", "could not be established"));
    assertEquals(1, count(lines, "org.apache.kafka.clients.NetworkClient", "disconnected"));
    assertEquals(2, count(lines, "org.apache.kafka.clients.NetworkClient", "always shown"));
    assertEquals(50, count(lines, "io.gitcollector.core.engine.GitCollector", "started"));
  }

  private static long count(ListAppender<ILoggingEvent> lines, String logger, String text) {
    return lines.list.stream().filter(e -> e.getLoggerName().equals(logger) && e.getFormattedMessage().contains(text))
        .count();
  }
}
