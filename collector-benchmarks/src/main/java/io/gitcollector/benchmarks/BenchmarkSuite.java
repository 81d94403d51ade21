package io.gitcollector.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs every benchmark, each in its own JVM (so one scenario's heap, threads and compiled code cannot flatter or
 * burden the next), and writes their tables into the README's performance section between the markers of
 * {@link ReadmeSection}. A scenario that fails is reported as failed in the section; the others still run.
 *
 * <p>Run from the project root: {@code mvn -B -q install -DskipTests && mvn -B -q -pl collector-benchmarks exec:java
 * -Dexec.mainClass=io.gitcollector.benchmarks.BenchmarkSuite} (about 12 minutes on 2 cores; {@code
 * -Dexec.args="--quick"} runs smaller sizes in about 3, {@code --readme PATH} names another file, {@code
 * --print-only} leaves the README alone).
 */
public final class BenchmarkSuite {

  /** A benchmark's main class, its arguments, and the JVM options it runs with (stated beside its figures). */
  record Scenario(String mainClass, List<String> args, List<String> jvmOptions) {
    Scenario(String mainClass, List<String> args) {
      this(mainClass, args, List.of());
    }

    String command() {
      return (jvmOptions.isEmpty() ? "" : "JVM options " + String.join(" ", jvmOptions) + ", ")
          + "-Dexec.mainClass=" + mainClass + (args.isEmpty() ? "" : " -Dexec.args=\"" + String.join(" ", args)
          + "\"");
    }
  }

  /** The webhook server as one would run it for latency: G1 asked for short pauses (see the README). */
  static final List<String> LATENCY_JVM_OPTIONS = List.of("-XX:MaxGCPauseMillis=5");

  private BenchmarkSuite() {}

  static List<Scenario> scenarios(boolean quick) {
    String pkg = BenchmarkSuite.class.getPackageName() + ".";
    if (quick) {
      return List.of(
          new Scenario(pkg + "GitHubCollectionBenchmark", List.of("25", "2000", "200")),
          new Scenario(pkg + "GitLabCollectionBenchmark", List.of("25", "1000", "100")),
          new Scenario(pkg + "IssuesBenchmark", List.of("25", "1000", "3", "50")),
          new Scenario(pkg + "IncrementalSweepBenchmark", List.of("100", "25")),
          new Scenario(pkg + "OrganizationBenchmark", List.of("1000", "25", "200", "64")),
          new Scenario(pkg + "NormalizationBenchmark", List.of()),
          new Scenario(pkg + "KafkaSinkBenchmark", List.of("40000")),
          new Scenario(pkg + "WebhookLatencyBenchmark", List.of("200", "5", "0", "5"), LATENCY_JVM_OPTIONS));
    }
    return List.of(
        new Scenario(pkg + "GitHubCollectionBenchmark", List.of("25", "20000", "2000")),
        new Scenario(pkg + "GitHubCollectionBenchmark", List.of("0", "20000", "2000")),
        new Scenario(pkg + "GitHubCollectionBenchmark", List.of("0", "100000", "10000")),
        new Scenario(pkg + "GitLabCollectionBenchmark", List.of("25", "5000", "500")),
        new Scenario(pkg + "IssuesBenchmark", List.of("25", "5000", "3", "200")),
        new Scenario(pkg + "IncrementalSweepBenchmark", List.of("1000", "25")),
        new Scenario(pkg + "OrganizationBenchmark", List.of("10000", "25", "1000", "64")),
        new Scenario(pkg + "NormalizationBenchmark", List.of()),
        new Scenario(pkg + "KafkaSinkBenchmark", List.of("200000")),
        new Scenario(pkg + "WebhookLatencyBenchmark", List.of("100", "10", "0", "30"), LATENCY_JVM_OPTIONS),
        new Scenario(pkg + "WebhookLatencyBenchmark", List.of("500", "10", "0", "30"), LATENCY_JVM_OPTIONS));
  }

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    boolean printOnly = false;
    Path readme = Files.exists(Path.of("README.md")) ? Path.of("README.md") : Path.of("..", "README.md");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--print-only" -> printOnly = true;
        case "--readme" -> readme = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + " (known: --quick, --print-only, --readme PATH)");
      }
    }
    StringBuilder section = new StringBuilder();
    section.append(String.format(Locale.ROOT, "Generated on %s by `BenchmarkSuite`%s: %d cores, Java %s, %s.%n",
        LocalDate.now(ZoneOffset.UTC), quick ? " --quick" : "", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), System.getProperty("os.name") + " " + System.getProperty("os.arch")));
    String classPath = classPath();
    for (Scenario scenario : scenarios(quick)) {
      System.err.println("== " + scenario.command());
      long started = System.nanoTime();
      section.append("\n").append(run(scenario, classPath)).append(String.format(Locale.ROOT,
          "%n(`%s`, %.0f s)%n", scenario.command(), Duration.ofNanos(System.nanoTime() - started).toMillis() / 1e3));
    }
    System.out.println(section);
    if (!printOnly) {
      String before = Files.readString(readme, StandardCharsets.UTF_8);
      Files.writeString(readme, ReadmeSection.replace(before, section.toString()), StandardCharsets.UTF_8);
      System.err.println("wrote the figures into " + readme.toAbsolutePath().normalize());
    }
  }

  /** The scenario's report: its output from its first {@code ###} heading on, or why there is none. */
  private static String run(Scenario scenario, String classPath) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(javaExecutable()));
    command.addAll(scenario.jvmOptions());
    command.addAll(List.of("-cp", classPath, scenario.mainClass()));
    command.addAll(scenario.args());
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        System.err.println(line);
        lines.add(line);
      }
    }
    int exit = process.waitFor();
    return report(scenario, lines, exit);
  }

  static String report(Scenario scenario, List<String> lines, int exit) {
    int from = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("### ")) {
        from = i;
        break;
      }
    }
    if (exit != 0 || from < 0) {
      return "### " + scenario.mainClass().substring(scenario.mainClass().lastIndexOf('.') + 1) + " "
          + String.join(" ", scenario.args()) + "\n\nFailed (exit code " + exit + ")"
          + (from < 0 ? ", no report printed" : "") + "; its output is on the console.\n";
    }
    return String.join("\n", lines.subList(from, lines.size())).strip() + "\n";
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * The class path to give the scenario JVMs: under {@code exec:java} the project's classes and dependencies are on
   * the plugin's class loader, not on {@code java.class.path}.
   */
  private static String classPath() throws URISyntaxException {
    List<String> entries = new ArrayList<>();
    // only the loader that holds this class: its parents (Maven's own realms) are not the project's class path
    if (BenchmarkSuite.class.getClassLoader() instanceof URLClassLoader urls) {
      for (URL url : urls.getURLs()) {
        entries.add(Path.of(url.toURI()).toString());
      }
    }
    return entries.isEmpty() ? System.getProperty("java.class.path") : String.join(File.pathSeparator, entries);
  }
}
