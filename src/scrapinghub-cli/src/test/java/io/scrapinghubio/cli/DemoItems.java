package io.scrapinghubio.cli;

import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.demo.DemoData;
import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.ProjectState;
import io.scrapinghubio.emulator.store.RecordLog;
import io.scrapinghubio.emulator.store.RecordType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Exported lines and stored items as multisets (line -> count), to compare an export with its source. */
public final class DemoItems {
  private DemoItems() {}

  /** Every item of every finished job of {@code project}, as stored. */
  public static Map<String, Integer> stored(ScrapyCloudEmulator emulator, long project) {
    return stored(emulator, project, RecordType.ITEMS);
  }

  /** Every record of {@code type} of every finished job of {@code project}, as stored. */
  public static Map<String, Integer> stored(ScrapyCloudEmulator emulator, long project, RecordType type) {
    Map<String, Integer> items = new HashMap<>();
    for (JobState job : emulator.state().project(project).jobs()) {
      if (!"finished".equals(job.state())) {
        continue;
      }
      RecordLog.View v = emulator.state().records(job.key(), type).view();
      for (int i = 0; i < v.size(); i++) {
        items.merge(new String(v.copy(i), StandardCharsets.UTF_8), 1, Integer::sum);
      }
    }
    return items;
  }

  /** What the demo mode's emulator stores for these settings: demo data is a pure function of them. */
  public static Map<String, Integer> demo(int jobs, int itemsPerJob) {
    try (ScrapyCloudEmulator twin = ScrapyCloudEmulator.builder().demoData(DemoData.of(jobs, itemsPerJob)).start()) {
      return stored(twin, DemoData.DEFAULT_PROJECT);
    }
  }

  /** Every line of the given files. */
  public static Map<String, Integer> lines(List<Path> files) throws IOException {
    Map<String, Integer> lines = new HashMap<>();
    for (Path f : files) {
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        lines.merge(line, 1, Integer::sum);
      }
    }
    return lines;
  }

  public static int total(Map<String, Integer> multiset) {
    return multiset.values().stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * Every record of {@code type} of every finished job of {@code projectId}, with the {@code --with} fields of
   * {@code with} first, their values as the emulator knows them: the lines {@code export --with} must write.
   */
  public static Map<String, Integer> withProvenance(ScrapyCloudEmulator emu, long projectId, RecordType type, String with) {
    ProjectState project = emu.state().project(projectId);
    List<JobState> finished = project.jobs().stream().filter(j -> "finished".equals(j.state())).toList();
    return withProvenance(emu, project, finished, type, with);
  }

  /** As {@link #withProvenance(ScrapyCloudEmulator, long, RecordType, String)}, for these jobs of {@code project}. */
  public static Map<String, Integer> withProvenance(ScrapyCloudEmulator emu, ProjectState project, List<JobState> jobs,
      RecordType type, String with) {
    Map<String, Integer> lines = new HashMap<>();
    for (JobState job : jobs) {
      String spider = project.spiderName(job.spiderId());
      RecordLog.View v = emu.state().records(job.key(), type).view();
      for (int i = 0; i < v.size(); i++) {
        StringBuilder b = new StringBuilder("{");
        if (with.contains("key")) {
          b.append("\"_key\":\"").append(job.key()).append('/').append(i).append("\",");
        }
        if (with.contains("job")) {
          b.append("\"_job\":\"").append(job.key()).append("\",");
        }
        if (with.contains("spider")) {
          b.append("\"_spider\":\"").append(spider).append("\",");
        }
        if (with.contains("ts")) {
          b.append("\"_ts\":").append(v.timestamp(i)).append(',');
        }
        String stored = new String(v.copy(i), StandardCharsets.UTF_8);
        if (!stored.startsWith("{") || stored.startsWith("{}")) {
          throw new IllegalStateException("not a non-empty JSON object: " + stored);
        }
        lines.merge(b + stored.substring(1), 1, Integer::sum);
      }
    }
    return lines;
  }
}
