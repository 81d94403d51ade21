package io.gitcollector.kafka;

import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.Setting;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.core.spi.SinkProvider;
import io.gitcollector.kafka.internal.KafkaSink;

/** Sink id {@code kafka}; its settings are {@link KafkaSinkConfig#settings()}. */
public final class KafkaSinkProvider implements SinkProvider {
  public static final String ID = "kafka";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public java.util.List<Setting> settings() {
    return KafkaSinkConfig.settings();
  }

  @Override
  public Sink create(ComponentConfig config) {
    return create(KafkaSinkConfig.from(config));
  }

  /** A sink from typed configuration, for embedders. */
  public static Sink create(KafkaSinkConfig config) {
    return new KafkaSink(config);
  }
}
