package io.scrapinghubio.client.settings;

import static io.scrapinghubio.client.testing.EmulatorClients.requests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.Job;
import io.scrapinghubio.client.Project;
import io.scrapinghubio.client.ProjectSummary;
import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.testing.EmulatorClients;
import io.scrapinghubio.emulator.log.LoggedRequest;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Project settings and project summaries end to end against the emulator. */
class SettingsEmulatorTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(EmulatorClients.KEY)
      .projects(2222222);

  ScrapyCloudEmulator emu;
  ScrapinghubClient client;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    client = EmulatorClients.client(emu);
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  @Test
  void listSetUpdateGetDelete() {
    Settings s = client.getProject(2222222).settings();
    assertEquals(0, s.list().size());
    assertTrue(s.get("job_runtime_limit").isEmpty());
    s.set("job_runtime_limit", 20);
    assertEquals(20, s.get("job_runtime_limit").orElseThrow().asInt());
    s.update(Map.of("other", "x", "job_runtime_limit", 24, "nested", Map.of("a", List.of(1, 2))));
    assertEquals(24, s.list().get("job_runtime_limit").asInt());
    assertEquals("x", s.list().get("other").asText());
    assertEquals(2, s.get("nested").orElseThrow().get("a").get(1).asInt());
    s.set("other", "y");
    assertEquals(24, s.get("job_runtime_limit").orElseThrow().asInt(), "set merges: other keys survive");
    s.delete("job_runtime_limit");
    assertFalse(s.get("job_runtime_limit").isPresent());
    s.delete("never_set"); // not an error
    assertEquals("y", s.get("other").orElseThrow().asText());
    assertEquals(2, s.list().size());
    // the wire protocol of the official client: GET the dict, POST the merged dict as one line
    List<LoggedRequest> log = requests(emu);
    LoggedRequest post = log.stream().filter(r -> r.method().equals("POST")).reduce((a, b) -> b).orElseThrow();
    assertEquals("/projects/2222222/settings", post.path());
    assertTrue(post.bodyText().contains("\"other\":\"y\"") && post.bodyText().contains("\"job_runtime_limit\":24"), post.bodyText());
    assertTrue(log.stream().anyMatch(r -> r.method().equals("DELETE") && r.path().equals("/projects/2222222/settings/job_runtime_limit")));
    emu.resetFaults();
    assertThrows(IllegalArgumentException.class, () -> s.set("a/b", 1));
    assertThrows(IllegalArgumentException.class, () -> s.get(""));
    assertEquals(List.of(), requests(emu));
  }

  @Test
  void projectSummariesCountJobsByState() {
    long pid = 4444444;
    emu.state().addSpider(pid, "s1");
    emu.state().addSpider(pid, "s2");
    emu.state().addSpider(pid, "s3");
    Project p = client.getProject(pid);
    p.jobs().run(RunRequest.of("s1"));
    Job running = p.jobs().run(RunRequest.of("s2"));
    running.start();
    Job finished = p.jobs().run(RunRequest.of("s3"));
    finished.start();
    finished.finish();
    Job alsoFinished = client.getJob(finished.key().toString()); // the "P/S/J" shortcut
    assertEquals(finished.key(), alsoFinished.key());

    ProjectSummary one = client.projects().summary().stream().filter(s -> s.project() == pid).findFirst().orElseThrow();
    assertEquals(1, one.pending());
    assertEquals(1, one.running());
    assertEquals(1, one.finished());
    assertTrue(one.hasCapacity());
    ProjectSummary direct = p.jobsummary();
    assertEquals(1, direct.pending());
    assertEquals(1, direct.running());
    assertEquals(1, direct.finished());
    assertTrue(direct.hasCapacity());
    assertEquals(1, direct.json().get("running_units_count").asInt());
    assertEquals(pid, client.projects().get(pid).id());
  }
}
