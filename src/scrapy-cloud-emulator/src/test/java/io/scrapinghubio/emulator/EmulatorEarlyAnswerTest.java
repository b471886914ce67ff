package io.scrapinghubio.emulator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * An answer given before the request body was used (an injected 429, a 401) must reach the client
 * and leave the connection usable, as behind a real front-end that reads and discards the body.
 * Spoken on a raw socket, so that no client library hides a reset or reconnects.
 */
class EmulatorEarlyAnswerTest {
  private static final String KEY = "KEY";

  @Test
  void anEarlyErrorToABigUploadIsDeliveredAndTheConnectionStaysUsable() throws IOException {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).start();
        Socket s = new Socket("127.0.0.1", emu.port())) {
      emu.state().project(1);
      emu.faults().failNext(1, 429, "POST", "^/collections/");
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      byte[] body = new byte[200_000]; // far more than the JDK server drains on its own (64 KiB)
      Arrays.fill(body, (byte) ' ');
      body[0] = '{';
      body[body.length - 2] = '}';
      body[body.length - 1] = '\n';

      out.write(head("POST", "/collections/1/s/big", body.length).getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      assertTrue(readAnswer(in).startsWith("HTTP/1.1 429 "));

      out.write(head("GET", "/system/ts", 0).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertTrue(readAnswer(in).startsWith("HTTP/1.1 200 "), "the same connection answers the next request");
    }
  }

  private static String head(String method, String path, int length) {
    String auth = Base64.getEncoder().encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8));
    return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic " + auth
        + "\r\nContent-Length: " + length + "\r\n\r\n";
  }

  /** Status line and headers, then as many body bytes as Content-Length says. */
  private static String readAnswer(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after: " + head.toString(StandardCharsets.US_ASCII));
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        in.readNBytes(Integer.parseInt(line.substring(15).trim()));
      }
    }
    return text;
  }
}
