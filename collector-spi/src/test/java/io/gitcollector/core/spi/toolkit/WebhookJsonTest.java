package io.gitcollector.core.spi.toolkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcollector.core.model.MalformedWebhookException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class WebhookJsonTest {
  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void oneObjectIsRead() {
    assertEquals(2, WebhookJson.object(bytes("{\"number\": 2}"), "d").path("number").asInt());
  }

  @Test
  void anythingButOneObjectIsMalformed() {
    for (String body : new String[] {"", "   ", "[1,2]", "{\"a\":1} trailing", "{\"a\":1}{}", "not json", "\"text\"",
        "{\"a\":", "null"}) {
      assertThrows(MalformedWebhookException.class, () -> WebhookJson.object(bytes(body), "d"), body);
    }
    String deep = "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000);
    assertThrows(MalformedWebhookException.class, () -> WebhookJson.object(bytes(deep), "d"), "deep nesting");
  }

  @Test
  void identifiersAreWholePositiveAndInRange() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertEquals(OptionalLong.of(7), WebhookJson.identifier(json.readTree("7"), "number"));
    assertEquals(OptionalLong.empty(), WebhookJson.identifier(json.readTree("{}").path("number"), "number"));
    for (String value : new String[] {"9223372036854775808", "-1", "0", "1.5", "\"7\"", "true"}) {
      assertThrows(MalformedWebhookException.class, () -> WebhookJson.identifier(json.readTree(value), "number"),
          value);
    }
  }
}
