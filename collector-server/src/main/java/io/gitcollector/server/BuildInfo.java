package io.gitcollector.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** What the build wrote about itself: the version {@code --version} and {@code /health} report. */
public final class BuildInfo {
  private static final String VERSION = read();

  private BuildInfo() {}

  /** The project's version, e.g. {@code 0.1.0-SNAPSHOT}; {@code development} where no build wrote it. */
  public static String version() {
    return VERSION;
  }

  private static String read() {
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in == null) {
        return "development";
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "");
      // an unfiltered copy (an IDE's own build) still says ${project.version}
      return version.isBlank() || version.startsWith("${") ? "development" : version;
    } catch (IOException e) {
      return "development";
    }
  }
}
