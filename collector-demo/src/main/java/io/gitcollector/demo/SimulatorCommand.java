package io.gitcollector.demo;

import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code simulator}: serves a simulated GitHub on 127.0.0.1 until stopped, so that {@code collect} (or any other
 * client) can be run and measured against it in its own process.
 */
@Command(name = "simulator", mixinStandardHelpOptions = true,
    description = "Serves a simulated GitHub with one repository on 127.0.0.1 until interrupted.")
public final class SimulatorCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "0", description = "Port on 127.0.0.1 (0: any free port).")
  int port;

  @Option(names = "--repository", defaultValue = "octo-demo/hello-collector", description = "owner/name")
  String repository;

  @Option(names = "--commits", defaultValue = "20000")
  int commits;

  @Option(names = "--pull-requests", defaultValue = "2000")
  int pullRequests;

  @Option(names = "--reviews", defaultValue = "2", description = "Reviews per pull request.")
  int reviews;

  @Option(names = "--latency-ms", defaultValue = "0", description = "Simulated latency per request.")
  int latencyMs;

  @Option(names = "--token", description = "Token the simulator accepts (default: any request without a token).")
  String token;

  @Override
  public Integer call() throws InterruptedException {
    GitHubSimulator simulator = GitHubSimulator.builder().port(port).token(token)
        .latency(Duration.ofMillis(latencyMs)).start();
    simulator.addRepository(repository, RepositorySpec.of(commits, pullRequests, reviews));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.err.println("simulator stats: " + simulator.stats());
      simulator.close();
      stopped.countDown();
    }));
    System.out.println(simulator.apiBaseUrl());
    System.out.flush();
    System.err.println("serving https://github.com/" + repository + " (" + commits + " commits, " + pullRequests
        + " pull requests) at " + simulator.apiBaseUrl() + "; set GITHUB_API_URL to it. Ctrl-C stops.");
    stopped.await();
    return 0;
  }
}
