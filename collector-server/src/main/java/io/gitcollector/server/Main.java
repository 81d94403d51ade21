package io.gitcollector.server;

import java.util.concurrent.CompletableFuture;

import io.gitcollector.server.cli.CollectCommand;
import io.gitcollector.server.cli.ServeCommand;
import io.gitcollector.server.cli.TokenCommand;
import io.gitcollector.server.cli.Environment;
import io.gitcollector.core.model.CollectorException;
import io.gitcollector.core.model.ErrorCode;
import io.gitcollector.server.config.ServerConfig;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar collector-server.jar <command>}: the command-line entry point. */
@Command(
    name = "collector-server",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Collects repositories, commits, pull requests and contributors from Git hosting platforms.",
    subcommands = {CollectCommand.class, TokenCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Exit code of a command line that could not be read (picocli's own 2 is taken by MALFORMED_URL). */
  public static final int USAGE_ERROR = 64;
  /** Exit code of an unexpected failure. */
  public static final int INTERNAL_ERROR = 70;

  /** The exit code of each of the collector's error codes (the README's table); 1 for a plugin's own. */
  static final java.util.Map<ErrorCode, Integer> EXIT_CODES = java.util.Map.ofEntries(
      java.util.Map.entry(ErrorCode.MALFORMED_URL, 2), java.util.Map.entry(ErrorCode.UNKNOWN_PLATFORM, 3),
      java.util.Map.entry(ErrorCode.DUPLICATE_PROVIDER, 4), java.util.Map.entry(ErrorCode.MISSING_CREDENTIALS, 5),
      java.util.Map.entry(ErrorCode.INVALID_CREDENTIALS, 6), java.util.Map.entry(ErrorCode.REPOSITORY_NOT_FOUND, 7),
      java.util.Map.entry(ErrorCode.PERMISSION_DENIED, 8), java.util.Map.entry(ErrorCode.RATE_LIMITED, 9),
      java.util.Map.entry(ErrorCode.PLATFORM_UNAVAILABLE, 10), java.util.Map.entry(ErrorCode.SINK_FAILED, 11),
      java.util.Map.entry(ErrorCode.STATE_STORE_FAILED, 12), java.util.Map.entry(ErrorCode.SYNC_IN_PROGRESS, 13),
      java.util.Map.entry(ErrorCode.INVALID_WEBHOOK, 14), java.util.Map.entry(ErrorCode.INVALID_CONFIGURATION, 15),
      java.util.Map.entry(ErrorCode.PROTOCOL_ERROR, 16), java.util.Map.entry(ErrorCode.CANCELLED, 17));

  /** Exit code of a failure a plugin named with a code of its own. */
  public static final int OTHER_FAILURE = 1;

  public static int exitCode(ErrorCode code) {
    return EXIT_CODES.getOrDefault(code, OTHER_FAILURE);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command and returns its exit code; never throws. */
  public static int run(String... args) {
    return run(List.of(new ServeCommand()), args);
  }

  /**
   * The same, with more commands (a {@code serve} among them replaces the server's own): the demo jar adds the
   * commands that need the simulators.
   */
  public static int run(List<Object> commands, String... args) {
    Environment.applyLogLevel(System.getenv());
    CommandLine commandLine = new CommandLine(new Main());
    boolean servePassed = commands.stream().anyMatch(c -> new CommandLine(c).getCommandName().equals("serve"));
    if (!servePassed) {
      commandLine.addSubcommand(new ServeCommand());
    }
    commands.forEach(commandLine::addSubcommand);
    configurationHelp().ifPresent(footer -> {
      commandLine.getCommandSpec().usageMessage().footer(footer);
      for (String command : new String[] {"collect", "serve", "demo"}) {
        CommandLine sub = commandLine.getSubcommands().get(command);
        if (sub != null) {
          sub.getCommandSpec().usageMessage().footer(footer);
        }
      }
    });
    commandLine.setParameterExceptionHandler((error, args1) -> {
      CommandLine cmd = error.getCommandLine();
      cmd.getErr().println("error: " + error.getMessage());
      cmd.getErr().println("usage: " + cmd.getCommandSpec().qualifiedName() + " --help");
      return USAGE_ERROR;
    });
    commandLine.setExecutionExceptionHandler((error, cmd, parseResult) -> {
      if (error instanceof CollectorException collectorError) {
        cmd.getErr().println("error: " + collectorError.getMessage());
        return exitCode(collectorError.code());
      }
      cmd.getErr().println("error: unexpected " + error.getClass().getSimpleName() + ": " + error.getMessage());
      return INTERNAL_ERROR;
    });
    CompletableFuture<Integer> finished = new CompletableFuture<>();
    CURRENT_RUN.set(finished);
    int code = commandLine.execute(args);
    finished.complete(code);
    return code;
  }

  private static final java.util.concurrent.atomic.AtomicReference<CompletableFuture<Integer>> CURRENT_RUN =
      new java.util.concurrent.atomic.AtomicReference<>(new CompletableFuture<>());

  /**
   * The exit code of the command running now, once it printed everything it prints: what a shutdown hook waits for
   * before it ends the JVM with that code (a JVM stopped by a signal would otherwise exit with 128 + the signal).
   */
  public static CompletableFuture<Integer> currentRun() {
    return CURRENT_RUN.get();
  }

  /**
   * Every variable the server and the components on the class path declare, for {@code --help}; empty when the
   * components cannot be loaded (the command then reports why, with its exit code).
   */
  static java.util.Optional<String> configurationHelp() {
    try {
      String rows = ServerConfig.catalog(Main.class.getClassLoader()).helpText();
      return java.util.Optional.of(("\nConfiguration, from environment variables (serve --config FILE takes the same"
          + " keys):\n" + rows).replace("%", "%%").replace("\n", "%n"));
    } catch (CollectorException e) {
      return java.util.Optional.empty();
    }
  }

  /** No command: the usage, and the exit code of a command line that could not be read. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    spec.commandLine().getErr().println("error: name a command: " + String.join(", ",
        spec.commandLine().getSubcommands().keySet()));
    return USAGE_ERROR;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"git-collector " + BuildInfo.version()};
    }
  }
}
