package io.scrapinghubio.client;

import io.scrapinghubio.client.http.HttpTransport;

/**
 * The client's transport for tests in other packages that must send a request no resource
 * object would (e.g. a writer with a made-up upload target). {@code ScrapinghubClient.transport()}
 * is package-private because it is not API; this bridge lives in the test sources only, so main
 * code cannot use it.
 */
public final class TransportForTests {
  private TransportForTests() {}

  public static HttpTransport of(ScrapinghubClient client) {
    return client.transport();
  }
}
