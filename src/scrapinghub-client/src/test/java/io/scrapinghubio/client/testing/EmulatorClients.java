package io.scrapinghubio.client.testing;

import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.ReadFormat;
import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.emulator.log.LoggedRequest;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import java.time.Duration;
import java.util.List;

/** Clients pointed at an emulator, with a fast retry policy (6 attempts, 2-20 ms back-off). */
public final class EmulatorClients {
  public static final String KEY = "e".repeat(32);
  public static final int ATTEMPTS = 6;

  private EmulatorClients() {}

  public static ClientConfig.Builder config(ScrapyCloudEmulator emu) {
    return ClientConfig.builder().apiKey(KEY).storageEndpoint(emu.storageUrl()).dashEndpoint(emu.dashUrl())
        .retryPolicy(RetryPolicy.of(ATTEMPTS, Duration.ofMillis(2), Duration.ofMillis(20), Duration.ofSeconds(30)));
  }

  public static ScrapinghubClient client(ScrapyCloudEmulator emu) {
    return ScrapinghubClient.create(config(emu).build());
  }

  public static ScrapinghubClient client(ScrapyCloudEmulator emu, ReadFormat format) {
    return ScrapinghubClient.create(config(emu).readFormat(format).build());
  }

  /** The emulator's request log (its reads wait until every request that arrived is logged). */
  public static List<LoggedRequest> requests(ScrapyCloudEmulator emu) {
    return emu.requestLog().all();
  }

  /** Path and query of a logged request, e.g. {@code POST /items/1/2/3?start=0}. */
  public static String line(LoggedRequest r) {
    StringBuilder sb = new StringBuilder(r.method()).append(' ').append(r.path());
    String sep = "?";
    for (var e : r.query().entrySet()) {
      for (String v : e.getValue()) {
        sb.append(sep).append(e.getKey()).append('=').append(v);
        sep = "&";
      }
    }
    return sb.toString();
  }
}
