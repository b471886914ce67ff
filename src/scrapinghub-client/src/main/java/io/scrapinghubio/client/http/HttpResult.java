package io.scrapinghubio.client.http;

/**
 * A successful, fully read answer: status, content type (may be null) and body bytes.
 *
 * @param resentAfterLostAnswer the request was sent again after an attempt whose answer was lost
 *     (see {@link CallTrace#answerLost()}): the service may have applied it twice, so an answer that
 *     counts what the request changed (a frontier's {@code newcount}) may leave out what the
 *     earlier attempt did
 */
public record HttpResult(int status, String contentType, byte[] body, boolean resentAfterLostAnswer) {
  /**
   * A result read whole.
   *
   * @param status the HTTP status
   * @param contentType the content type, or null
   * @param body the body
   */
  public HttpResult(int status, String contentType, byte[] body) {
    this(status, contentType, body, false);
  }

  /**
   * Whether the body is msgpack.
   *
   * @return true for msgpack
   */
  public boolean isMsgpack() {
    return contentType != null && contentType.startsWith("application/x-msgpack");
  }
}
