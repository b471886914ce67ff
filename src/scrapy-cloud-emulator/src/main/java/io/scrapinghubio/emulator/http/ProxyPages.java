package io.scrapinghubio.emulator.http;

import java.nio.charset.StandardCharsets;

/**
 * Bodies of error statuses injected by faults, in the style of the HTML pages the real front
 * proxy sends (503 and 504 are the recorded texts).
 */
final class ProxyPages {
  private ProxyPages() {}

  static byte[] page(int status) {
    String text;
    switch (status) {
      case 429:
        text = "<html><body><h1>429 Too Many Requests</h1>\nYou have sent too many requests in a given amount of time.\n</body></html>\n";
        break;
      case 500:
        text = "<html><body><h1>500 Internal Server Error</h1>\nAn internal server error occurred.\n</body></html>\n";
        break;
      case 502:
        text = "<html><body><h1>502 Bad Gateway</h1>\nThe server returned an invalid or incomplete response.\n</body></html>\n";
        break;
      case 503:
        text = "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n";
        break;
      case 504:
        text = "<html><body><h1>504 Gateway Time-out</h1>\nThe server didn't respond in time.\n</body></html>\n";
        break;
      default:
        text = "<html><body><h1>" + status + " Error</h1>\nInjected fault.\n</body></html>\n";
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
