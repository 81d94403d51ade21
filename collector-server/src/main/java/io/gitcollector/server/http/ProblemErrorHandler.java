package io.gitcollector.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty raises before a request reaches the API (bad percent-encoding, a URI too long, headers too
 * large, an ambiguous path) answered like every other error: {@code application/problem+json}, never an HTML page.
 * The detail is Jetty's reason, which names the rule that was broken and never echoes the request.
 */
final class ProblemErrorHandler extends ErrorHandler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROBLEM = "application/problem+json";

  static byte[] problem(int status, String reason) {
    ObjectNode body = JSON.createObjectNode();
    body.put("type", "about:blank");
    String title = HttpStatus.getMessage(status);
    body.put("title", title);
    body.put("status", status);
    body.put("detail", reason == null || reason.isBlank() || reason.equals(title)
        ? "the request could not be read (" + title + ")" : reason);
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, PROBLEM);
    response.write(true, ByteBuffer.wrap(problem(code, message)), callback);
  }

  /** Requests the parser refuses (414, 431, bad encoding) are answered from here, without a request object. */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, PROBLEM);
    return ByteBuffer.wrap(problem(status, reason));
  }
}
