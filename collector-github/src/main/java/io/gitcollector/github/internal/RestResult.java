package io.gitcollector.github.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Optional;

/** A REST answer the adapter can use: 200 with a body, 304, or an empty 204/409. */
record RestResult(int status, JsonNode body, Optional<String> etag, Optional<String> next) {

  boolean notModified() {
    return status == 304;
  }

  boolean hasBody() {
    return status == 200 && !body.isMissingNode();
  }

  static RestResult empty(int status, Optional<String> etag) {
    return new RestResult(status, MissingNode.getInstance(), etag, Optional.empty());
  }
}
