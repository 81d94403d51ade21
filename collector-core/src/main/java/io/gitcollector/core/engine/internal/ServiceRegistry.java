package io.gitcollector.core.engine.internal;

import io.gitcollector.core.model.DuplicateProviderException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;

/** Providers of one kind found with ServiceLoader, keyed by id; two providers with one id fail fast. */
public final class ServiceRegistry<T> {
  private final String kind;
  private final Map<String, T> byId;

  public ServiceRegistry(String kind, List<T> providers, Function<T, String> idOf) {
    this.kind = kind;
    Map<String, T> map = new LinkedHashMap<>();
    for (T provider : providers) {
      String id = idOf.apply(provider);
      T previous = map.putIfAbsent(id, provider);
      if (previous != null) {
        throw new DuplicateProviderException("two " + kind + " providers claim the id '" + id + "': "
            + previous.getClass().getName() + " and " + provider.getClass().getName()
            + "; remove one of the jars from the classpath");
      }
    }
    this.byId = Collections.unmodifiableMap(map);
  }

  public static <T> ServiceRegistry<T> load(
      String kind, Class<T> type, ClassLoader loader, Function<T, String> idOf) {
    List<T> providers = new ArrayList<>();
    ServiceLoader.load(type, loader).forEach(providers::add);
    return new ServiceRegistry<>(kind, providers, idOf);
  }

  public Optional<T> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  public List<T> all() {
    return List.copyOf(byId.values());
  }

  public List<String> ids() {
    return List.copyOf(byId.keySet());
  }

  public String kind() {
    return kind;
  }
}
