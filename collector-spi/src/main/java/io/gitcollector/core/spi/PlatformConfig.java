package io.gitcollector.core.spi;

import io.gitcollector.core.model.InvalidConfigurationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Configuration of one platform: an optional token, an optional API base URL (GitHub Enterprise, self-hosted GitLab,
 * tests) and free-form settings the adapter documents.
 */
public record PlatformConfig(Optional<Secret> token, Optional<String> apiBaseUrl, Map<String, String> settings)
    implements SettingValues {

  public PlatformConfig {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
    settings = Map.copyOf(settings);
  }

  public static PlatformConfig empty() {
    return new PlatformConfig(Optional.empty(), Optional.empty(), Map.of());
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder newBuilder() {
    Builder builder = new Builder();
    builder.token = token;
    builder.apiBaseUrl = apiBaseUrl;
    builder.settings.putAll(settings);
    return builder;
  }

  public Optional<String> setting(String key) {
    return Optional.ofNullable(settings.get(key));
  }

  @Override
  public Map<String, String> settingValues() {
    return settings;
  }

  public boolean booleanSetting(String key, boolean defaultValue) {
    String value = settings.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new InvalidConfigurationException("setting '" + key + "' must be true or false, was '" + value + "'");
  }

  public int intSetting(String key, int defaultValue, int min, int max) {
    String value = settings.get(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed < min || parsed > max) {
        throw new InvalidConfigurationException(
            "setting '" + key + "' must be between " + min + " and " + max + ", was " + parsed);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new InvalidConfigurationException("setting '" + key + "' must be a whole number, was '" + value + "'");
    }
  }

  @Override
  public String toString() {
    return "PlatformConfig[token=" + token.map(t -> "redacted").orElse("none") + ", apiBaseUrl="
        + apiBaseUrl.orElse("default") + ", settings=" + settings + "]";
  }

  public static final class Builder {
    private Optional<Secret> token = Optional.empty();
    private Optional<String> apiBaseUrl = Optional.empty();
    private final Map<String, String> settings = new LinkedHashMap<>();

    private Builder() {}

    public Builder token(Secret value) {
      this.token = Optional.of(value);
      return this;
    }

    public Builder apiBaseUrl(String value) {
      this.apiBaseUrl = Optional.of(value);
      return this;
    }

    public Builder setting(String key, String value) {
      settings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public PlatformConfig build() {
      return new PlatformConfig(token, apiBaseUrl, settings);
    }
  }
}
