package io.gitcollector.connect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The plugin's version, from its own resources. Not from Kafka's {@code AppInfoParser}: Kafka 4.4 moved it to an
 * internal package, and a {@code version()} that calls it fails there with {@code NoClassDefFoundError}.
 */
final class PluginVersion {
  private static final String VERSION = read();

  private PluginVersion() {}

  static String get() {
    return VERSION;
  }

  private static String read() {
    try (InputStream in = PluginVersion.class.getResourceAsStream("plugin.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the plugin's version", e);
    }
  }
}
