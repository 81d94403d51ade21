package io.gitcollector.demo;

import io.gitcollector.server.Main;
import java.util.List;

/**
 * {@code java -jar collector-demo.jar <command>}: the server's command line, with what needs the simulators: the
 * {@code demo} and {@code simulator} commands and {@code serve --demo}. The production jar
 * ({@code collector-server.jar}) ships none of it.
 */
public final class DemoMain {
  private DemoMain() {}

  public static void main(String[] args) {
    System.exit(Main.run(List.of(new DemoServeCommand(), new DemoCommand(), new SimulatorCommand()), args));
  }
}
