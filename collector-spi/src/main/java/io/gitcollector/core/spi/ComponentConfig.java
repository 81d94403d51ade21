package io.gitcollector.core.spi;

import io.gitcollector.core.model.InvalidConfigurationException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Configuration handed to a sink or state store provider: string settings read with exact error messages. */
public record ComponentConfig(Map<String, String> values) implements SettingValues {
  public ComponentConfig {
    values = Map.copyOf(values);
  }

  public static ComponentConfig of(Map<String, String> values) {
    return new ComponentConfig(values);
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
  }

  public String require(String key) {
    return get(key).orElseThrow(() -> new InvalidConfigurationException("missing setting '" + key + "'"));
  }

  @Override
  public Map<String, String> settingValues() {
    return values;
  }

  public Path path(String key, Path defaultValue) {
    return get(key).map(Path::of).orElse(defaultValue);
  }

  public int integer(String key, int defaultValue) {
    return get(key).map(v -> {
      try {
        return Integer.parseInt(v.trim());
      } catch (NumberFormatException e) {
        throw new InvalidConfigurationException("setting '" + key + "' must be a whole number, was '" + v + "'");
      }
    }).orElse(defaultValue);
  }
}
