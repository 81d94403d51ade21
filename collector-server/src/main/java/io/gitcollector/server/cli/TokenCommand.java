package io.gitcollector.server.cli;

import io.gitcollector.server.config.ServerConfig;
import io.gitcollector.server.http.JwtAuthenticator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code token}: mints an HS256 token with {@code JWT_SECRET_KEY} for local use. */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = "Prints a bearer token signed with JWT_SECRET_KEY, for local use with curl.")
public final class TokenCommand implements Callable<Integer> {

  @Option(names = "--scope", split = ",", defaultValue = "collect:read,collect:trigger",
      description = "Scopes, comma-separated: collect:read, collect:trigger (default both).")
  List<String> scopes;

  @Option(names = "--ttl", defaultValue = "PT1H", description = "Lifetime, ISO-8601 (default PT1H).")
  Duration ttl;

  @Option(names = "--subject", defaultValue = "local-user")
  String subject;

  @Option(names = "--config", paramLabel = "FILE")
  Path configFile;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(Duration.ofDays(366)) > 0) {
      // a token that is expired when printed, or that never practically expires, is a mistake worth stopping
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--ttl must be positive and at most"
          + " P366D, was " + ttl);
    }
    ServerConfig config = ServerConfig.load(System.getenv(), Optional.ofNullable(configFile));
    System.out.println(JwtAuthenticator.mint(ServeCommand.requireSecret(config), subject,
        new LinkedHashSet<>(scopes), ttl));
    return 0;
  }
}
