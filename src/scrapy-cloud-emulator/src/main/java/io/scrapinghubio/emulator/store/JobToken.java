package io.scrapinghubio.emulator.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The per-job token JobQ hands out for a running job. Clients only pass it back, so only its JWT
 * shape matters; it is derived from the job key so that a job keeps the same token.
 */
final class JobToken {
  private JobToken() {}

  static String of(String jobKey) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String head = b64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8));
    String body = b64.encodeToString(("{\"aud\":\"job:" + jobKey + "\"}").getBytes(StandardCharsets.UTF_8));
    String sig = b64.encodeToString(Integer.toHexString(jobKey.hashCode() * 31 + 7).getBytes(StandardCharsets.UTF_8));
    return head + "." + body + "." + sig;
  }
}
