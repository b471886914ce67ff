package io.scrapinghubio.emulator.http;

import java.nio.charset.StandardCharsets;

/** An error answer: thrown by handlers, written by the server loop. */
public final class HttpError extends RuntimeException {
  private final int status;
  private final String contentType;
  private final byte[] body;

  public HttpError(int status, String contentType, String body) {
    super(status + " " + body);
    this.status = status;
    this.contentType = contentType;
    this.body = body.getBytes(StandardCharsets.UTF_8);
  }

  /** The storage hosts' bare {@code 404 Not Found} (no content type). */
  public static HttpError notFound() {
    return new HttpError(404, null, "Not Found\n");
  }

  /** A plain-text 400 such as {@code Error parsing data, ...}. */
  public static HttpError badRequest(String message) {
    return new HttpError(400, ContentTypes.TEXT, message + "\n");
  }

  public int status() {
    return status;
  }

  public String contentType() {
    return contentType;
  }

  public byte[] body() {
    return body;
  }
}
