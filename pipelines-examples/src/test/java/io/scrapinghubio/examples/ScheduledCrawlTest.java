package io.scrapinghubio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.store.JobState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example against its embedded emulator, on the Direct runner and on embedded Flink: every
 * crawl's items, in the directory its last line names.
 */
class ScheduledCrawlTest {

  private static void runAndCheck(String runner, Path dir) throws Exception {
    String[] args = {"--runner=" + runner, "--categories=poetry,travel,science", "--output=" + dir.resolve("crawl"),
        "--poll-seconds=1"};
    try (ExampleEnvironment env = ExampleEnvironment.forCrawls(args)) {
      List<String> beamArgs = new ArrayList<>(List.of(env.beamArgs()));
      if (runner.equals("FlinkRunner")) {
        beamArgs.add("--flink-master=[local]");
      }
      ScheduledCrawl.Options options = ExampleArgs.options(beamArgs.toArray(new String[0]), ScheduledCrawl.Options.class);
      ScheduledCrawl.Summary summary = ScheduledCrawl.run(env, options);
      Path printed = PrintedPath.in(summary.toString(), "files in ", " (");
      assertEquals(dir.resolve("crawl"), printed);
      List<String> lines = new ArrayList<>();
      for (Path f : PrintedPath.entries(printed)) {
        String name = f.getFileName().toString();
        assertTrue(name.matches("(items|failures)-\\d{5}-of-\\d{5}\\.(jl|txt)"), "only the crawl's files: " + name);
        if (name.startsWith("items-")) {
          lines.addAll(Files.readAllLines(f));
        } else {
          assertEquals(List.of(), Files.readAllLines(f), "no failures");
        }
      }
      assertEquals(75, lines.size(), "3 categories x 25 items");
      for (String c : List.of("poetry", "travel", "science")) {
        assertEquals(25, lines.stream().filter(l -> l.contains("\"category\":\"" + c + "\"")).count(), c);
      }
      List<JobState> jobs = env.emulator().state().project(env.project()).jobs();
      assertEquals(3, jobs.size(), "one job per category");
      for (JobState j : jobs) {
        assertEquals("finished", j.state());
        List<?> tags = (List<?>) j.get("tags");
        assertTrue(tags.contains("consumed") && tags.contains("pipeline"), String.valueOf(tags));
      }
      assertEquals(3, summary.scheduled());
      assertEquals(3, summary.consumed());
      assertEquals(0, summary.failures());
    }
  }

  @Test
  void direct(@TempDir Path dir) throws Exception {
    runAndCheck("DirectRunner", dir);
  }

  @Test
  void embeddedFlink(@TempDir Path dir) throws Exception {
    runAndCheck("FlinkRunner", dir);
  }
}
