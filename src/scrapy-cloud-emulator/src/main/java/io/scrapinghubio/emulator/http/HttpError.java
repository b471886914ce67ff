package io.scrapinghubio.emulator.http;

import java.nio.charset.StandardCharsets;

/** An error answer: thrown by handlers, written by the server loop. */
public final class HttpError extends RuntimeException {
  /** See {@link #status()}. */
  private final int status;
  /** See {@link #contentType()}. */
  private final String contentType;
  /** See {@link #body()}. */
  private final byte[] body;

  /**
   * An error answer.
   *
   * @param status the HTTP status
   * @param contentType the content type, or null for none
   * @param body the body's text
   */
  public HttpError(int status, String contentType, String body) {
    super(status + " " + body);
    this.status = status;
    this.contentType = contentType;
    this.body = body.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The storage hosts' bare {@code 404 Not Found} (no content type).
   *
   * @return the error
   */
  public static HttpError notFound() {
    return new HttpError(404, null, "Not Found\n");
  }

  /**
   * A plain-text 400 such as {@code Error parsing data, ...}.
   *
   * @param message the body's text
   * @return the error
   */
  public static HttpError badRequest(String message) {
    return new HttpError(400, ContentTypes.TEXT, message + "\n");
  }

  /**
   * The HTTP status to answer.
   *
   * @return the status
   */
  public int status() {
    return status;
  }

  /**
   * The answer's content type.
   *
   * @return the content type, or null for none
   */
  public String contentType() {
    return contentType;
  }

  /**
   * The answer's body.
   *
   * @return the UTF-8 bytes
   */
  public byte[] body() {
    return body;
  }
}
