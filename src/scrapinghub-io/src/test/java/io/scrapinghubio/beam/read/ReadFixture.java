package io.scrapinghubio.beam.read;

import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.ProjectState;
import io.scrapinghubio.emulator.store.RecordLog;
import io.scrapinghubio.emulator.store.RecordType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test data written straight into an emulator's state, and the records a read must return. A test
 * helper of the read, follow and rows tests.
 */
public final class ReadFixture {
  public static final String KEY = "0123456789abcdef0123456789abcdef";

  private ReadFixture() {}

  /** {@link #config} as the transforms take it. */
  public static ScrapinghubConnection connection(ScrapyCloudEmulator emu) {
    return ScrapinghubConnection.fromClientConfig(config(emu));
  }

  /** Fast retries so fault tests run in seconds; generous attempts so injected faults never win. */
  public static ClientConfig config(ScrapyCloudEmulator emu) {
    return ClientConfig.builder().apiKey(KEY)
        .storageEndpoint(emu.storageUrl()).dashEndpoint(emu.dashUrl())
        .retryPolicy(RetryPolicy.of(60, Duration.ofMillis(1), Duration.ofMillis(20), Duration.ofMinutes(3)))
        .build();
  }

  public static String job(ScrapyCloudEmulator emu, long project, String spider, String state, List<String> tags, int items) {
    ProjectState p = emu.state().project(project);
    JobState job = p.createJob(p.addSpider(spider), state, tags, 2, 1, Map.of(), ProjectState.Origin.DASH);
    List<Object> batch = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("id", i);
      item.put("job", job.key());
      item.put("name", "product " + i + " of " + spider);
      item.put("price", Math.round(i * 1.37 * 100) / 100.0);
      item.put("tags", List.of("t" + (i % 7), "t" + (i % 3)));
      batch.add(item);
      if (batch.size() == 5000) {
        emu.state().appendItems(job.key(), batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      emu.state().appendItems(job.key(), batch);
    }
    return job.key();
  }

  /** What read() must emit for these jobs: JSON exactly as stored, with job key and index. */
  public static List<ScrapinghubRecord> expected(ScrapyCloudEmulator emu, RecordType type, String... jobKeys) {
    List<ScrapinghubRecord> out = new ArrayList<>();
    for (String key : jobKeys) {
      RecordLog.View v = emu.state().records(key, type).view();
      for (int i = 0; i < v.size(); i++) {
        out.add(new ScrapinghubRecord(key, i, new String(v.copy(i), StandardCharsets.UTF_8)));
      }
    }
    return out;
  }
}
