package io.gitcollector.core.engine;

import io.gitcollector.core.engine.internal.ServiceRegistry;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.spi.coordination.CoordinatorProvider;
import io.gitcollector.core.spi.PlatformProvider;
import io.gitcollector.core.spi.Setting;
import io.gitcollector.core.spi.SinkProvider;
import io.gitcollector.core.spi.StateStoreProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every setting of every component on the class path, as the components declared them: the collector's own, each
 * platform adapter's (with the {@link PlatformProvider#STANDARD_SETTINGS standard ones}), each sink's, state store's
 * and coordinator's, and whatever an application adds (the server's). Environment variables and configuration-file
 * keys are looked up here, checked here, and listed from here for {@code --help} and the README.
 */
public final class SettingsCatalog {

  /** A component and its settings; its variables start with {@code prefix} unless a setting names its own. */
  public record Component(String role, String id, String prefix, List<Setting> settings) {
    public Component {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(prefix, "prefix");
      settings = List.copyOf(settings);
    }

    /** A component whose variables are {@code <ID>_<NAME>}. */
    static Component prefixed(String role, String id, List<Setting> settings) {
      return new Component(role, id, id.toUpperCase(Locale.ROOT).replace('-', '_') + "_", settings);
    }
  }

  /** One line of the configuration table: the variable, what it configures, and how. */
  public record Row(String variable, String component, Setting setting) {}

  private final List<Component> components;

  private SettingsCatalog(List<Component> components) {
    this.components = List.copyOf(components);
  }

  /** The collector's settings and those of every provider {@code loader} finds. */
  public static SettingsCatalog discover(ClassLoader loader) {
    List<Component> components = new ArrayList<>();
    components.add(new Component("collector", "collector", "COLLECTOR_", EnvironmentSettings.SETTINGS));
    for (PlatformProvider platform : sorted(ServiceRegistry.load("platform", PlatformProvider.class, loader,
        PlatformProvider::id).all(), PlatformProvider::id)) {
      // asking for its kinds declares the kinds of its own, before a sink's settings (a topic per kind) are read
      platform.kinds();
      components.add(Component.prefixed("platform", platform.id(), platformSettings(platform)));
    }
    for (SinkProvider sink : sorted(ServiceRegistry.load("sink", SinkProvider.class, loader, SinkProvider::id).all(),
        SinkProvider::id)) {
      components.add(Component.prefixed("sink", sink.id(), sink.settings()));
    }
    for (StateStoreProvider store : sorted(ServiceRegistry.load("state store", StateStoreProvider.class, loader,
        StateStoreProvider::id).all(), StateStoreProvider::id)) {
      components.add(Component.prefixed("state store", store.id(), store.settings()));
    }
    for (CoordinatorProvider coordinator : sorted(ServiceRegistry.load("coordinator", CoordinatorProvider.class,
        loader, CoordinatorProvider::id).all(), CoordinatorProvider::id)) {
      components.add(Component.prefixed("coordinator", coordinator.id(), coordinator.settings()));
    }
    return new SettingsCatalog(components);
  }

  /** The providers of one kind, by id, so that the catalog's order does not depend on the class path's. */
  private static <P> List<P> sorted(List<P> providers, java.util.function.Function<P, String> id) {
    return providers.stream().sorted(java.util.Comparator.comparing(id)).toList();
  }

  /** The same catalog and an application's own component (the server's settings). */
  public SettingsCatalog with(Component component) {
    List<Component> all = new ArrayList<>(components);
    all.add(component);
    return new SettingsCatalog(all);
  }

  /** The standard settings, replaced by the adapter's declarations of the same name, then its own. */
  static List<Setting> platformSettings(PlatformProvider platform) {
    Map<String, Setting> byName = new LinkedHashMap<>();
    PlatformProvider.STANDARD_SETTINGS.forEach(setting -> byName.put(setting.name(), setting));
    platform.settings().forEach(setting -> byName.put(setting.name(), setting));
    return List.copyOf(byName.values());
  }

  public List<Component> components() {
    return components;
  }

  public Optional<Component> component(String role, String id) {
    return components.stream().filter(c -> c.role().equals(role) && c.id().equals(id)).findFirst();
  }

  /**
   * The values a component's settings have in {@code variables}, by setting name: each from its variable or an alias,
   * checked (an {@link InvalidConfigurationException} names the variable); a group's keys from every variable under
   * its prefix ({@code KAFKA_PRODUCER_SASL_MECHANISM} → {@code producer.sasl.mechanism}).
   */
  public static Map<String, String> values(Component component, Map<String, String> variables) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Setting setting : component.settings()) {
      String variable = setting.environmentVariable(component.prefix());
      if (setting.kind() == Setting.Kind.GROUP) {
        String groupPrefix = variable + "_";
        variables.forEach((key, value) -> {
          if (key.startsWith(groupPrefix) && present(value)) {
            values.put(setting.name() + "." + key.substring(groupPrefix.length()).toLowerCase(Locale.ROOT)
                .replace('_', '.'), value.strip());
          }
        });
        continue;
      }
      List<String> names = new ArrayList<>();
      names.add(variable);
      names.addAll(setting.environmentAliases());
      for (String name : names) {
        String value = variables.get(name);
        if (present(value)) {
          values.put(setting.name(), setting.check(value, name));
          break;
        }
      }
    }
    return values;
  }

  /** Whether a variable (or configuration-file key) is one some component declares. */
  public boolean declares(String variable) {
    for (Component component : components) {
      for (Setting setting : component.settings()) {
        String name = setting.environmentVariable(component.prefix());
        if (setting.kind() == Setting.Kind.GROUP ? variable.startsWith(name + "_")
            : name.equals(variable) || setting.environmentAliases().contains(variable)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Every declared variable, sorted, for error messages. */
  public Set<String> variables() {
    Set<String> names = new TreeSet<>();
    rows().forEach(row -> names.add(row.variable()));
    return names;
  }

  /** Checks every variable of every component in {@code variables}: a malformed value stops with its name. */
  public void check(Map<String, String> variables) {
    components.forEach(component -> values(component, variables));
  }

  /**
   * Refuses a variable in the collector's own namespace ({@code COLLECTOR_*}) that nothing in this catalog declares:
   * a typo there would otherwise be silently ignored. (Other prefixes are shared with other software: a CI runner
   * sets {@code GITHUB_*} variables of its own.)
   */
  public void refuseUnknownCollectorVariables(Map<String, String> variables) {
    for (String key : variables.keySet()) {
      if (key.startsWith("COLLECTOR_") && present(variables.get(key)) && !declares(key)) {
        throw new InvalidConfigurationException("unknown setting " + key + "; the collector's settings are "
            + variables().stream().filter(v -> v.startsWith("COLLECTOR_")).toList());
      }
    }
  }

  /** One row per variable, in component order; a variable two components read (the data directory) once. */
  public List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    for (Component component : components) {
      for (Setting setting : component.settings()) {
        String variable = setting.environmentVariable(component.prefix())
            + (setting.kind() == Setting.Kind.GROUP ? "_*" : "");
        if (seen.add(variable)) {
          rows.add(new Row(variable, component.role().equals(component.id()) ? component.role()
              : component.role() + " " + component.id(), setting));
        }
      }
    }
    return rows;
  }

  /** The rows as a Markdown table, for the README. */
  public String markdownTable() {
    StringBuilder table = new StringBuilder("| variable | component | value | default | meaning |\n"
        + "|---|---|---|---|---|\n");
    for (Row row : rows()) {
      Setting setting = row.setting();
      String aliases = setting.environmentAliases().isEmpty() ? ""
          : " (or `" + String.join("`, `", setting.environmentAliases()) + "`)";
      table.append("| `").append(row.variable()).append('`').append(aliases).append(" | ").append(row.component())
          .append(" | ").append(setting.describeKind()).append(" | ")
          .append(setting.defaultValue().map(v -> "`" + v + "`").orElse("")).append(" | ")
          .append(setting.documentation().replace("|", "\\|")).append(" |\n");
    }
    return table.toString();
  }

  /** The rows as plain text, for {@code --help}: the variable, what it is, then what it means. */
  public String helpText() {
    StringBuilder text = new StringBuilder();
    for (Row row : rows()) {
      Setting setting = row.setting();
      text.append("  ").append(row.variable()).append("  (").append(row.component()).append("; ")
          .append(setting.describeKind()).append(setting.defaultValue().map(v -> "; default " + v).orElse(""))
          .append(")\n      ").append(setting.documentation()).append('\n');
    }
    return text.toString();
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }
}
