package io.scrapinghubio.client.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.Project;
import io.scrapinghubio.client.ProjectSummary;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.testing.FakeStorage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SettingsTest {
  FakeStorage fs;
  ScrapinghubClient client;
  Project project;

  @BeforeEach
  void setUp() throws Exception {
    fs = new FakeStorage();
    client = fs.client();
    project = client.getProject(2222222);
  }

  @AfterEach
  void tearDown() {
    client.close();
    fs.close();
  }

  @Test
  void setUpdateGetDelete() {
    Settings s = project.settings();
    assertEquals(0, s.list().size());
    assertTrue(s.get("job_runtime_limit").isEmpty());
    s.set("job_runtime_limit", 20);
    assertEquals(20, s.get("job_runtime_limit").orElseThrow().asInt());
    s.update(Map.of("other", "x", "job_runtime_limit", 24));
    assertEquals(24, s.list().get("job_runtime_limit").asInt());
    assertEquals("x", s.list().get("other").asText());
    s.delete("job_runtime_limit");
    assertFalse(s.get("job_runtime_limit").isPresent());
    assertEquals("x", s.get("other").orElseThrow().asText(), "set/update merge: other keys survive");
  }

  @Test
  void projectSummaries() {
    List<ProjectSummary> all = client.projects().summary();
    assertEquals(1, all.size());
    ProjectSummary p = all.get(0);
    assertEquals(2222222, p.project());
    assertEquals(1, p.pending());
    assertEquals(2, p.running());
    assertEquals(3, p.finished());
    assertTrue(p.hasCapacity());
    client.projects().summary("running");
    assertTrue(fs.requests().contains("GET /projects/jobsummaries?state=running"));
    ProjectSummary one = project.jobsummary();
    assertEquals(4, one.pending());
    assertFalse(one.hasCapacity());
    assertEquals(0, one.json().get("running_units_count").asInt());
  }
}
