package io.gitcollector.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformContext;
import io.gitcollector.core.spi.PlatformProvider;
import io.gitcollector.core.spi.Setting;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.core.spi.SinkProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings declared once by components found with ServiceLoader (a platform plugin and a sink plugin registered in a
 * directory of their own), and everything derived from the declarations: variables, checks, selection by id,
 * webhook secrets, the configuration table.
 */
class SettingsCatalogTest {
  @TempDir
  Path plugins;

  private ClassLoader loader;

  @BeforeEach
  void registerPlugins() throws IOException {
    Path services = Files.createDirectories(plugins.resolve("META-INF/services"));
    Files.writeString(services.resolve(PlatformProvider.class.getName()), ForgeProvider.class.getName() + "\n");
    Files.writeString(services.resolve(SinkProvider.class.getName()), ArchiveSinkProvider.class.getName() + "\n");
    loader = new URLClassLoader(new URL[] {plugins.toUri().toURL()}, getClass().getClassLoader());
  }

  @Test
  void aPluginsSettingsAreReadFromTheVariablesItsDeclarationsName() {
    EnvironmentSettings settings = EnvironmentSettings.of(Map.of("FORGE_TOKEN", "t0ken", "FORGE_PAGE_SIZE", " 20 ",
        "FORGE_API_URL", "https://forge.example.com/api", "FORGE_WEBHOOK_SECRET", "hook-secret"));
    PlatformConfig config = settings.platformConfig(loader, "forge").orElseThrow();
    assertEquals("t0ken", config.token().orElseThrow().reveal());
    assertEquals("https://forge.example.com/api", config.apiBaseUrl().orElseThrow());
    assertEquals(20, config.integer(ForgeProvider.PAGE_SIZE));
    assertFalse(config.settings().containsKey("webhook_secret"), "the webhook secret is the server's, not the client's");
    assertEquals("hook-secret", settings.webhookSecrets(loader).get("forge").reveal());
  }

  @Test
  void aMalformedValueStopsWithTheVariablesNameAndNeverASecret() {
    InvalidConfigurationException range = assertThrows(InvalidConfigurationException.class,
        () -> EnvironmentSettings.of(Map.of("FORGE_PAGE_SIZE", "500")).check(loader));
    assertEquals("FORGE_PAGE_SIZE must be between 1 and 100, was '500'", range.getMessage());
    InvalidConfigurationException secret = assertThrows(InvalidConfigurationException.class,
        () -> EnvironmentSettings.of(Map.of("FORGE_TOKEN", "two words")).check(loader));
    assertFalse(secret.getMessage().contains("two words"), secret.getMessage());
    assertTrue(secret.getMessage().startsWith("FORGE_TOKEN"), secret.getMessage());
  }

  @Test
  void theSinkIsSelectedByIdOrByASettingOfItsOwn() {
    try (GitCollector byId = EnvironmentSettings.of(Map.of("COLLECTOR_SINK", "archive", "ARCHIVE_BUCKET", "b1"))
        .applyTo(GitCollector.builder(), loader).build()) {
      assertEquals("archive b1", byId.sink().describe());
    }
    try (GitCollector bySetting = EnvironmentSettings.of(Map.of("ARCHIVE_BUCKET", "b2"))
        .applyTo(GitCollector.builder(), loader).build()) {
      assertEquals("archive b2", bySetting.sink().describe());
    }
    InvalidConfigurationException unknown = assertThrows(InvalidConfigurationException.class,
        () -> EnvironmentSettings.of(Map.of("COLLECTOR_SINK", "s3")).applyTo(GitCollector.builder(), loader));
    assertTrue(unknown.getMessage().contains("COLLECTOR_SINK names the sink 's3'"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("archive") && unknown.getMessage().contains("jsonl"));
  }

  @Test
  void anEmbeddersSettingsAreCheckedAgainstTheAdaptersDeclarations() {
    InvalidConfigurationException typo = assertThrows(InvalidConfigurationException.class,
        () -> GitCollector.builder().classLoader(loader)
            .platform("forge", PlatformConfig.builder().setting("page_sise", "10").build()).build());
    assertTrue(typo.getMessage().contains("unknown setting 'page_sise' of platform forge"), typo.getMessage());
    assertThrows(InvalidConfigurationException.class, () -> GitCollector.builder().classLoader(loader)
        .platform("forge", PlatformConfig.builder().setting("page_size", "0").build()).build());
  }

  @Test
  void anUnknownCollectorVariableIsRefusedOtherPrefixesAreNotOurs() {
    SettingsCatalog catalog = EnvironmentSettings.of(Map.of()).catalog(loader);
    InvalidConfigurationException typo = assertThrows(InvalidConfigurationException.class,
        () -> catalog.refuseUnknownCollectorVariables(Map.of("COLLECTOR_PIPELINE_DEPHT", "4")));
    assertTrue(typo.getMessage().contains("COLLECTOR_PIPELINE_DEPTH"), typo.getMessage());
    catalog.refuseUnknownCollectorVariables(Map.of("GITHUB_ACTIONS", "true", "FORGE_SOMETHING_ELSE", "x"));
  }

  @Test
  void theConfigurationTableListsEveryDeclaredVariableOnce() {
    SettingsCatalog catalog = EnvironmentSettings.of(Map.of()).catalog(loader);
    String table = catalog.markdownTable();
    for (String variable : List.of("COLLECTOR_DATA_DIR", "COLLECTOR_SINK", "FORGE_TOKEN", "FORGE_API_URL",
        "FORGE_WEBHOOK_SECRET", "FORGE_PAGE_SIZE", "ARCHIVE_BUCKET")) {
      assertEquals(1, table.split("`" + variable + "`", -1).length - 1, variable + " in\n" + table);
    }
    assertTrue(table.contains("| `FORGE_PAGE_SIZE` | platform forge | whole number 1–100 | `50` |"), table);
    assertTrue(catalog.helpText().contains("FORGE_PAGE_SIZE"));
    assertTrue(catalog.declares("FORGE_PAGE_SIZE") && !catalog.declares("FORGE_PAGESIZE"));
  }

  /** A platform plugin with one setting of its own. */
  public static final class ForgeProvider implements PlatformProvider {
    static final Setting PAGE_SIZE = Setting.integer("page_size", 1, 100).withDefault(50).doc("items a page");

    @Override
    public String id() {
      return "forge";
    }

    @Override
    public List<Setting> settings() {
      return List.of(PAGE_SIZE);
    }

    @Override
    public boolean accepts(RepositoryRef repository, PlatformConfig config) {
      return repository.host().equals("forge.example.com");
    }

    @Override
    public PlatformClient create(PlatformConfig config, PlatformContext context) {
      return new QuietStreams() {};
    }
  }

  /** A sink plugin whose one setting selects it. */
  public static final class ArchiveSinkProvider implements SinkProvider {
    static final Setting BUCKET = Setting.text("bucket").selecting().doc("where envelopes are archived");

    @Override
    public String id() {
      return "archive";
    }

    @Override
    public List<Setting> settings() {
      return List.of(BUCKET);
    }

    @Override
    public Sink create(ComponentConfig config) {
      String bucket = config.require(BUCKET);
      return new Sink() {
        @Override
        public CompletableFuture<Void> publish(List<Envelope> envelopes) {
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public String describe() {
          return "archive " + bucket;
        }
      };
    }
  }
}
