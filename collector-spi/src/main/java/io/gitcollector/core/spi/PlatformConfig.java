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

  /**
   * Every token of the platform: {@link #token()} and those of the {@code tokens} setting (comma or space separated),
   * each once, in that order. Several make a pool: each repository is pinned to one, each has its own budget.
   */
  public java.util.List<Secret> tokens() {
    java.util.LinkedHashMap<String, Secret> all = new java.util.LinkedHashMap<>();
    token.ifPresent(t -> all.put(t.reveal(), t));
    Optional.ofNullable(settings.get(PlatformProvider.TOKENS.name())).ifPresent(list -> {
      for (String value : list.split("[,\\s]+")) {
        if (!value.isBlank()) {
          all.putIfAbsent(value.strip(), Secret.of(value));
        }
      }
    });
    return java.util.List.copyOf(all.values());
  }

  /** This configuration with one token of its pool only: what a client of that token is given. */
  public PlatformConfig withOnly(Optional<Secret> pooled) {
    Map<String, String> rest = new LinkedHashMap<>(settings);
    rest.remove(PlatformProvider.TOKENS.name());
    return new PlatformConfig(pooled, apiBaseUrl, rest);
  }

  /** Settings whose names say they hold a credential are shown redacted. */
  @Override
  public String toString() {
    Map<String, String> shown = new java.util.TreeMap<>();
    settings.forEach((key, value) -> shown.put(key, key.matches(".*(token|secret|key|password).*") ? "redacted"
        : value));
    return "PlatformConfig[token=" + token.map(t -> "redacted").orElse("none") + ", apiBaseUrl="
        + apiBaseUrl.orElse("default") + ", settings=" + shown + "]";
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
