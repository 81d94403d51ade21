package io.gitcollector.core.spi;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Configuration read through declared {@link Setting}s: each value checked, or the declaration's default. */
public interface SettingValues {

  /** The raw values, by setting name. */
  Map<String, String> settingValues();

  /** The declared setting's value, checked, or its default; empty when neither is there. */
  default Optional<String> value(Setting setting) {
    return setting.valueIn(settingValues());
  }

  /** The value, which must be set or have a default. */
  default String require(Setting setting) {
    return setting.requiredIn(settingValues());
  }

  default boolean bool(Setting setting) {
    return setting.booleanIn(settingValues());
  }

  default int integer(Setting setting) {
    return setting.intIn(settingValues());
  }

  default Duration duration(Setting setting) {
    return setting.durationIn(settingValues());
  }

  /** The keys of a group setting ({@code producer.*}), without the prefix. */
  default Map<String, String> group(Setting setting) {
    return setting.groupIn(settingValues());
  }
}
