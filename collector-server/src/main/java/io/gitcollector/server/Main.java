package io.gitcollector.server;

import io.gitcollector.server.cli.CollectCommand;
import io.gitcollector.server.cli.DemoCommand;
import io.gitcollector.server.cli.ServeCommand;
import io.gitcollector.server.cli.SimulatorCommand;
import io.gitcollector.server.cli.TokenCommand;
import io.gitcollector.server.cli.Environment;
import io.gitcollector.core.model.CollectorException;
import io.gitcollector.server.config.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar collector-server.jar <command>}: the command-line entry point. */
@Command(
    name = "collector-server",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Collects repositories, commits, pull requests and contributors from Git hosting platforms.",
    subcommands = {CollectCommand.class, DemoCommand.class, ServeCommand.class, TokenCommand.class,
        SimulatorCommand.class})
public final class Main implements Runnable {

  /** Exit code of a command line that could not be read (picocli's own 2 is taken by MALFORMED_URL). */
  public static final int USAGE_ERROR = 64;
  /** Exit code of an unexpected failure. */
  public static final int INTERNAL_ERROR = 70;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command and returns its exit code; never throws. */
  public static int run(String... args) {
    Environment.applyLogLevel(System.getenv());
    CommandLine commandLine = new CommandLine(new Main());
    configurationHelp().ifPresent(footer -> {
      commandLine.getCommandSpec().usageMessage().footer(footer);
      for (String command : new String[] {"collect", "serve", "demo"}) {
        commandLine.getSubcommands().get(command).getCommandSpec().usageMessage().footer(footer);
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
        return collectorError.code().exitCode();
      }
      cmd.getErr().println("error: unexpected " + error.getClass().getSimpleName() + ": " + error.getMessage());
      return INTERNAL_ERROR;
    });
    return commandLine.execute(args);
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

  @Override
  public void run() {
    new CommandLine(this).usage(System.err);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"git-collector " + (version == null ? "development" : version)};
    }
  }
}
