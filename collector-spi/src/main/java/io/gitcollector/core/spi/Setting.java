package io.gitcollector.core.spi;

import io.gitcollector.core.model.InvalidConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One setting a component declares, once: its name, kind, default, bounds, documentation and whether it is secret.
 * Environment variables, configuration files, {@code --help} and the README's configuration table are all derived
 * from declarations; a component reads its value through the declaration ({@link ComponentConfig#value(Setting)},
 * {@link PlatformConfig#value(Setting)}), so its default lives here and nowhere else.
 *
 * <p>A component's settings are named in lower case ({@code read_timeout_seconds}); their environment variable is the
 * component's prefix and the name in upper case ({@code GITHUB_READ_TIMEOUT_SECONDS}), unless the declaration names
 * one ({@link #environment(String)}). A {@link Kind#GROUP} stands for every key under a prefix, passed through as
 * it is ({@code producer.*}: {@code KAFKA_PRODUCER_SASL_MECHANISM} → {@code producer.sasl.mechanism}).
 *
 * @param environmentName the variable's name when it is not derived from the component's prefix
 * @param environmentAliases other variable names that mean the same (older names, the platform's own wording)
 * @param selects setting it alone selects the component ({@code KAFKA_BROKERS} selects the Kafka sink)
 */
public record Setting(
    String name,
    Kind kind,
    Optional<String> defaultValue,
    String documentation,
    boolean secret,
    Optional<String> environmentName,
    List<String> environmentAliases,
    List<String> choices,
    long min,
    long max,
    boolean selects) {

  /** What a value must look like. */
  public enum Kind {
    TEXT("text"),
    BOOLEAN("true or false"),
    INTEGER("whole number"),
    DURATION("duration"),
    URL("http(s) URL"),
    PATH("path"),
    CHOICE("one of"),
    GROUP("any key"),
    PEM("PEM block");

    private final String description;

    Kind(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  public Setting {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[a-z][a-z0-9_.]*")) {
      throw new IllegalArgumentException("a setting's name is lower case, digits, '_' and '.': '" + name + "'");
    }
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(documentation, "documentation");
    Objects.requireNonNull(environmentName, "environmentName");
    environmentAliases = List.copyOf(environmentAliases);
    choices = List.copyOf(choices);
  }

  private static Setting of(String name, Kind kind) {
    return new Setting(name, kind, Optional.empty(), "", false, Optional.empty(), List.of(), List.of(),
        Long.MIN_VALUE, Long.MAX_VALUE, false);
  }

  public static Setting text(String name) {
    return of(name, Kind.TEXT);
  }

  /**
   * A secret PEM block (a private key): several lines, {@code \n} escapes read as line breaks so that it fits in one
   * environment variable; never printed.
   */
  public static Setting pem(String name) {
    return new Setting(name, Kind.PEM, Optional.empty(), "", true, Optional.empty(), List.of(), List.of(),
        Long.MIN_VALUE, Long.MAX_VALUE, false);
  }

  /** A secret: held as a {@link Secret}, never printed, never given a default. */
  public static Setting secret(String name) {
    return new Setting(name, Kind.TEXT, Optional.empty(), "", true, Optional.empty(), List.of(), List.of(),
        Long.MIN_VALUE, Long.MAX_VALUE, false);
  }

  public static Setting bool(String name) {
    return of(name, Kind.BOOLEAN);
  }

  public static Setting integer(String name, long min, long max) {
    return new Setting(name, Kind.INTEGER, Optional.empty(), "", false, Optional.empty(), List.of(), List.of(), min,
        max, false);
  }

  /** ISO-8601 ({@code PT1H}, {@code P7D}) or a whole number of seconds; positive. */
  public static Setting duration(String name) {
    return new Setting(name, Kind.DURATION, Optional.empty(), "", false, Optional.empty(), List.of(), List.of(), 1,
        Long.MAX_VALUE, false);
  }

  /** A duration that may also be zero. */
  public Setting allowingZero() {
    return new Setting(name, kind, defaultValue, documentation, secret, environmentName, environmentAliases, choices,
        0, max, selects);
  }

  public static Setting url(String name) {
    return of(name, Kind.URL);
  }

  public static Setting path(String name) {
    return of(name, Kind.PATH);
  }

  public static Setting choice(String name, String... choices) {
    return new Setting(name, Kind.CHOICE, Optional.empty(), "", false, Optional.empty(), List.of(),
        List.of(choices), Long.MIN_VALUE, Long.MAX_VALUE, false);
  }

  /** Every key {@code <name>.<anything>}, passed through unchecked (a client library's own settings). */
  public static Setting group(String name) {
    return of(name, Kind.GROUP);
  }

  public Setting withDefault(Object value) {
    return new Setting(name, kind, Optional.of(check(String.valueOf(value), name)), documentation, secret,
        environmentName, environmentAliases, choices, min, max, selects);
  }

  public Setting doc(String text) {
    return new Setting(name, kind, defaultValue, text, secret, environmentName, environmentAliases, choices, min, max,
        selects);
  }

  /** The environment variable's name, instead of the component's prefix and the setting's name. */
  public Setting environment(String variable) {
    return new Setting(name, kind, defaultValue, documentation, secret, Optional.of(variable), environmentAliases,
        choices, min, max, selects);
  }

  /** Another variable that means the same, read when the main one is not set. */
  public Setting alsoFrom(String variable) {
    List<String> aliases = new ArrayList<>(environmentAliases);
    aliases.add(variable);
    return new Setting(name, kind, defaultValue, documentation, secret, environmentName, aliases, choices, min, max,
        selects);
  }

  /** Setting this alone selects the component. */
  public Setting selecting() {
    return new Setting(name, kind, defaultValue, documentation, secret, environmentName, environmentAliases, choices,
        min, max, true);
  }

  /** The environment variable of this setting for a component whose variables start with {@code prefix}. */
  public String environmentVariable(String prefix) {
    return environmentName.orElseGet(() -> prefix + name.toUpperCase(Locale.ROOT).replace('.', '_'));
  }

  /** What a value looks like, for help and the configuration table. */
  public String describeKind() {
    return switch (kind) {
      case INTEGER -> min == Long.MIN_VALUE && max == Long.MAX_VALUE ? kind.description()
          : kind.description() + " " + min + "–" + (max == Long.MAX_VALUE ? "…" : Long.toString(max));
      case CHOICE -> String.join(", ", choices);
      default -> secret ? "secret" : kind.description();
    };
  }

  /**
   * The value, checked and normalized (trimmed; booleans and choices in lower case); an
   * {@link InvalidConfigurationException} naming {@code shownAs} (the variable or key the user wrote) otherwise. A
   * secret's value never appears in a message.
   */
  public String check(String value, String shownAs) {
    Objects.requireNonNull(value, "value");
    String trimmed = value.strip();
    String shown = secret ? "" : ", was '" + trimmed + "'";
    switch (kind) {
      case BOOLEAN -> {
        if (!trimmed.equalsIgnoreCase("true") && !trimmed.equalsIgnoreCase("false")) {
          throw new InvalidConfigurationException(shownAs + " must be true or false" + shown);
        }
        return trimmed.toLowerCase(Locale.ROOT);
      }
      case INTEGER -> {
        long parsed;
        try {
          parsed = Long.parseLong(trimmed);
        } catch (NumberFormatException e) {
          throw new InvalidConfigurationException(shownAs + " must be a whole number" + shown);
        }
        if (parsed < min || parsed > max) {
          throw new InvalidConfigurationException(shownAs + " must be between " + min + " and " + max + shown);
        }
        return Long.toString(parsed);
      }
      case DURATION -> {
        if (!(min <= 0 && trimmed.equals("0"))) {
          duration(trimmed, shownAs);
        }
        return trimmed;
      }
      case URL -> {
        try {
          URI uri = new URI(trimmed);
          if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("http")
              || uri.getScheme().equalsIgnoreCase("https")) || uri.getHost() == null) {
            throw new InvalidConfigurationException(shownAs + " must be an http(s) URL with a host" + shown);
          }
        } catch (URISyntaxException e) {
          throw new InvalidConfigurationException(shownAs + " is not a valid URL" + (secret ? "" : ": "
              + e.getReason()));
        }
        return trimmed;
      }
      case CHOICE -> {
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (!choices.contains(lower)) {
          throw new InvalidConfigurationException(shownAs + " must be one of " + String.join(", ", choices) + shown);
        }
        return lower;
      }
      case PEM -> {
        String text = trimmed.replace("\\n", "\n");
        if (!text.matches("(?s)-----BEGIN [A-Z ]+-----.+-----END [A-Z ]+-----")) {
          throw new InvalidConfigurationException(shownAs + " must be a PEM block (-----BEGIN …----- …"
              + " -----END …-----)");
        }
        return text;
      }
      default -> {
        if (secret && trimmed.chars().anyMatch(Character::isWhitespace)) {
          throw new InvalidConfigurationException(shownAs + " contains white space; it is not a valid secret");
        }
        return trimmed;
      }
    }
  }

  /** The value in {@code values} under this setting's name, checked, or the default; empty when neither is there. */
  public Optional<String> valueIn(Map<String, String> values) {
    String raw = values.get(name);
    if (raw == null || raw.isBlank()) {
      return defaultValue;
    }
    return Optional.of(check(raw, "setting '" + name + "'"));
  }

  /** The value, which must be set or have a default. */
  public String requiredIn(Map<String, String> values) {
    return valueIn(values).orElseThrow(() -> new InvalidConfigurationException("missing setting '" + name + "'"
        + environmentName.map(variable -> " (" + variable + ")").orElse("")));
  }

  public boolean booleanIn(Map<String, String> values) {
    return Boolean.parseBoolean(requiredIn(values));
  }

  public long longIn(Map<String, String> values) {
    return Long.parseLong(requiredIn(values));
  }

  public int intIn(Map<String, String> values) {
    return Math.toIntExact(longIn(values));
  }

  public Duration durationIn(Map<String, String> values) {
    String value = requiredIn(values);
    return value.equals("0") ? Duration.ZERO : duration(value, name);
  }

  /** Every key of the group in {@code values}, without the group's prefix ({@code producer.acks} → {@code acks}). */
  public Map<String, String> groupIn(Map<String, String> values) {
    Map<String, String> group = new java.util.LinkedHashMap<>();
    values.forEach((key, value) -> {
      if (key.startsWith(name + ".")) {
        group.put(key.substring(name.length() + 1), value);
      }
    });
    return group;
  }

  /** A checked duration value as a {@link Duration}. */
  public static Duration duration(String value, String shownAs) {
    try {
      Duration parsed = value.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(value)) : Duration.parse(value);
      if (parsed.isNegative() || parsed.isZero()) {
        throw new InvalidConfigurationException(shownAs + " must be positive, was '" + value + "'");
      }
      return parsed;
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new InvalidConfigurationException(shownAs + " must be an ISO-8601 duration such as PT1H or P7D, or"
          + " seconds, was '" + value + "'");
    }
  }
}
