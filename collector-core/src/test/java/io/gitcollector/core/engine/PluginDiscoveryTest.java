package io.gitcollector.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.codec.EnvelopeCodec;
import io.gitcollector.core.model.DuplicateProviderException;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.UnknownPlatformException;
import io.gitcollector.core.spi.SyncMode;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A platform adapter compiled into its own jar at test time, unknown to core, is found by ServiceLoader once the jar
 * is on the class path, and collects through the engine like any built-in adapter.
 */
class PluginDiscoveryTest {

  private static final String PROVIDER = """
      package com.example.forge;

      import io.gitcollector.core.model.*;
      import io.gitcollector.core.spi.*;
      import java.time.Instant;
      import java.util.List;
      import java.util.Optional;

      public final class %2$s implements PlatformProvider {
        public String id() { return "%1$s"; }
        public boolean accepts(RepositoryRef ref, PlatformConfig config) {
          return ref.host().equals("forge.example.com");
        }
        public PlatformClient create(PlatformConfig config, PlatformContext context) {
          return new PlatformClient() {
            final Instant t = Instant.parse("2024-01-01T00:00:00Z");
            public Page<Repository> repository(RepositoryRef ref, StreamRequest request) {
              return new Page<>(List.of(new Repository("1", ref.name(), ref.path(), Optional.empty(), "main",
                  "public", false, false, Optional.empty(), 0, 0, 0, 0, t, t, Optional.empty(), ref.webUrl())),
                  "done", true);
            }
            public Page<Commit> commits(RepositoryRef ref, StreamRequest request) {
              // two pages, the second resuming after the first
              GitIdentity who = new GitIdentity("A", "a@example.com", t, Optional.empty());
              String sha = request.cursor().isEmpty() ? "aaaa1111" : "bbbb2222";
              boolean last = request.cursor().isPresent();
              return new Page<>(List.of(new Commit(sha, List.of(), who, who, "m", 1, 1, 1, List.of(), "u")),
                  last ? "done" : "page-1", last);
            }
            public Page<PullRequest> pullRequests(RepositoryRef ref, StreamRequest request) {
              return new Page<>(List.of(), "done", true);
            }
            public Page<Contributor> contributors(RepositoryRef ref, StreamRequest request) {
              return new Page<>(List.of(), "done", true);
            }
          };
        }
      }
      """;

  @Test
  void aProviderInItsOwnJarIsDiscoveredAndCollects(@TempDir Path work) throws Exception {
    Path jar = pluginJarWithAllClasses(work, "forge", "ForgeProvider");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader());
        GitCollector collector = GitCollector.builder().classLoader(loader).dataDirectory(work.resolve("data"))
            .build()) {
      assertTrue(collector.platformIds().contains("forge"), collector.platformIds().toString());
      SyncResult result = collector.sync("https://forge.example.com/team/app", SyncMode.FULL);
      assertEquals(2, result.delivered(StreamKind.COMMITS));
      List<String> lines = Files.readAllLines(work.resolve("data/git.commits.jsonl"));
      Envelope first = EnvelopeCodec.fromJson(lines.get(0).getBytes(StandardCharsets.UTF_8));
      assertEquals("forge", first.source());
      assertEquals("forge:forge.example.com/team/app", first.repositoryId());
    }
  }

  @Test
  void withoutThePluginTheHostIsRefusedByName(@TempDir Path work) {
    try (GitCollector collector = GitCollector.builder().dataDirectory(work).build()) {
      UnknownPlatformException error = assertThrows(UnknownPlatformException.class,
          () -> collector.sync("https://forge.example.com/team/app", SyncMode.FULL));
      assertTrue(error.getMessage().contains("forge.example.com"), error.getMessage());
    }
  }

  @Test
  void twoProvidersWithOneIdFailFast(@TempDir Path work) throws Exception {
    Path first = pluginJarWithAllClasses(work.resolve("one"), "twin", "TwinProvider");
    Path second = pluginJarWithAllClasses(work.resolve("two"), "twin", "OtherTwinProvider");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {first.toUri().toURL(), second.toUri().toURL()},
        getClass().getClassLoader())) {
      DuplicateProviderException error = assertThrows(DuplicateProviderException.class,
          () -> GitCollector.builder().classLoader(loader).dataDirectory(work.resolve("data")).build());
      assertTrue(error.getMessage().contains("'twin'"), error.getMessage());
    }
  }

  private static Path pluginJarWithAllClasses(Path work, String platformId, String className) throws IOException {
    Path sources = Files.createDirectories(work.resolve("src/com/example/forge"));
    Path classes = Files.createDirectories(work.resolve("classes"));
    Path source = sources.resolve(className + ".java");
    Files.writeString(source, PROVIDER.formatted(platformId, className));
    int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-classpath",
        System.getProperty("java.class.path"), "-d", classes.toString(), source.toString());
    assertEquals(0, status, "the plugin compiles against the SPI alone");
    Path jar = work.resolve(platformId + "-plugin.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes)) {
      out.putNextEntry(new JarEntry("META-INF/services/io.gitcollector.core.spi.PlatformProvider"));
      out.write(("com.example.forge." + className + "\n").getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        out.write(Files.readAllBytes(file));
        out.closeEntry();
      }
    }
    return jar;
  }
}
