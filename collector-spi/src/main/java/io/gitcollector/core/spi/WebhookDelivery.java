package io.gitcollector.core.spi;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** A webhook request as received: headers (names compared case-insensitively) and the raw body bytes. */
public record WebhookDelivery(Map<String, String> headers, byte[] body) {
  public WebhookDelivery {
    headers = headers.entrySet().stream()
        .collect(Collectors.toUnmodifiableMap(e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue,
            (a, b) -> a));
    body = body.clone();
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}
