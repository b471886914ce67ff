package io.scrapinghubio.emulator.demo;

import io.scrapinghubio.emulator.store.EmulatorState;
import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.ProjectState;
import io.scrapinghubio.emulator.store.RecordLog;
import io.scrapinghubio.emulator.store.RecordType;
import io.scrapinghubio.emulator.store.RunCounts;
import io.scrapinghubio.emulator.store.SpiderInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Seeds an {@link EmulatorState} with {@link DemoData}: spiders, finished jobs with realistic
 * metadata, and their items, logs, requests and samples. Jobs are created in order (so JobQ lists
 * them newest first as usual) and their records are generated in parallel, one job per task,
 * straight into the store's byte segments: a million items take seconds.
 */
public final class DemoDataSeeder {
  /** Demo records carry deterministic timestamps from this base (2024-01-01T00:00:00Z). */
  static final long BASE_TIME = 1_704_067_200_000L;

  private DemoDataSeeder() {}

  /**
   * Seeds the data; returns the created job keys, oldest first.
   *
   * @param state the store to seed
   * @param demo what to seed
   * @return the job keys
   */
  public static List<String> seed(EmulatorState state, DemoData demo) {
    ProjectState project = state.project(demo.project());
    project.name("Demo project " + demo.project());
    List<SpiderInfo> spiders = new ArrayList<>();
    for (String s : demo.spiders()) {
      spiders.add(project.addSpider(s));
    }
    List<JobState> jobs = new ArrayList<>();
    for (int j = 0; j < demo.jobs(); j++) {
      SpiderInfo spider = spiders.get(j % spiders.size());
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("version", "1.0." + (j % 7));
      jobs.add(project.createJob(spider, JobState.RUNNING, List.of("demo"), 2, 1, extra, ProjectState.Origin.DASH));
    }
    IntStream.range(0, jobs.size()).parallel().forEach(j -> fill(project, jobs.get(j), demo, j));
    List<String> keys = new ArrayList<>();
    for (JobState job : jobs) {
      RunCounts counts = project.records().counts(job);
      Map<String, Object> scrapy = new LinkedHashMap<>();
      scrapy.put("item_scraped_count", counts.items());
      scrapy.put("response_received_count", counts.pages());
      scrapy.put("log_count/ERROR", counts.errors());
      scrapy.put("finish_reason", "finished");
      // Demo jobs stand for jobs the platform ran: its runner records the outcome and counters.
      project.jobQueue().recordRunOutcome(job, "finished");
      project.updateJob(job, JobState.FINISHED, Map.of("scrapystats", scrapy));
      keys.add(job.key());
    }
    return keys;
  }

  private static void fill(ProjectState project, JobState job, DemoData demo, int jobSeq) {
    long base = BASE_TIME + jobSeq * 3_600_000L;
    DemoRecords gen = new DemoRecords(demo.seed() * 1_000_003L + jobSeq, base);
    RecordBuilder b = new RecordBuilder();
    RecordLog items = project.records().of(job.spiderId(), job.number(), RecordType.ITEMS);
    for (int i = 0; i < demo.itemsPerJob(); i++) {
      b.reset();
      gen.item(b, jobSeq, i);
      items.appendEncoded(b.buf, 0, b.len, b.msgpack, DemoRecords.ITEM_FIELDS, base + i * 250L);
    }
    items.flush();
    RecordLog logs = project.records().of(job.spiderId(), job.number(), RecordType.LOGS);
    String[][] levelKeys = {{"10"}, {"20"}, {"30"}, {"40"}};
    for (int i = 0; i < demo.logsPerJob(); i++) {
      b.reset();
      int level = gen.log(b, i);
      logs.appendEncoded(b.buf, 0, b.len, b.msgpack, levelKeys[level / 10 - 1], base + i * 100L);
    }
    logs.flush();
    RecordLog requests = project.records().of(job.spiderId(), job.number(), RecordType.REQUESTS);
    String[] withParent = {"parent", "duration", "status", "method", "rs", "url"};
    String[] noParent = {"duration", "status", "method", "rs", "url"};
    for (int i = 0; i < demo.requestsPerJob(); i++) {
      b.reset();
      boolean parent = gen.request(b, i);
      requests.appendEncoded(b.buf, 0, b.len, b.msgpack, parent ? withParent : noParent, base + i * 120L);
    }
    requests.flush();
    RecordLog samples = project.records().of(job.spiderId(), job.number(), RecordType.SAMPLES);
    for (int i = 0; i < demo.samplesPerJob(); i++) {
      b.reset();
      gen.sample(b, i);
      samples.appendEncoded(b.buf, 0, b.len, b.msgpack, new String[0], base + i * 60_000L);
    }
    samples.flush();
  }
}
