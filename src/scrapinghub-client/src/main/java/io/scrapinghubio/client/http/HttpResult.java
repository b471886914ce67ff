package io.scrapinghubio.client.http;

/** A successful, fully read answer: status, content type (may be null) and body bytes. */
public record HttpResult(int status, String contentType, byte[] body) {
  public boolean isMsgpack() {
    return contentType != null && contentType.startsWith("application/x-msgpack");
  }
}
