package io.scrapinghubio.client;

import static io.scrapinghubio.client.ReplayAssertions.assertJson;
import static io.scrapinghubio.client.ReplayAssertions.assertSameForm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.errors.DuplicateJobException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Replays the jobs scenarios of {@code tests/client/test_projects.py} (project.jobs) and
 * {@code test_spiders.py} (spider.jobs): count, iter, list, iter_last, summary, run (including the
 * duplicate-job error).
 *
 * <p>The python fixture {@code spider} comes from {@code project.spiders.get('hs-test-spider')},
 * recorded in a separate cassette ({@code spider.json}, replayed in {@link ReplaySpidersProjectsTest});
 * here the spider (id 1) is built directly so each cassette holds exactly its test's calls.
 *
 * <p>Listing differs by design: we page the job queue with {@code count=1000} (and {@code start}
 * on later pages) so more than 1000 jobs can be listed (python-scrapinghub #135/#137); python
 * sends no {@code count}.
 */
class ReplayJobsTest {
  private static Jobs jobs(ScrapinghubClient c, boolean spiderScope) {
    return spiderScope ? new Spider(c, 2222222, 1, "hs-test-spider").jobs() : c.getProject(2222222).jobs();
  }

  private static RunRequest run(String subid, String state) {
    RunRequest r = RunRequest.create();
    if (subid != null) {
      r = r.withParam("subid", subid);
    }
    return state == null ? r : r.withMeta(Map.of("state", state));
  }

  private static void count(String cassette, boolean spiderScope) {
    try (CassetteReplayer r = CassetteReplayer.start(cassette); ScrapinghubClient c = r.client()) {
      Jobs jobs = jobs(c, spiderScope);
      RunRequest base = spiderScope ? RunRequest.create() : RunRequest.of("hs-test-spider");
      JobQuery q = JobQuery.all();
      assertEquals(0, jobs.count());
      assertEquals(0, jobs.count(q.state("pending", "running", "finished")));
      jobs.run(base);
      assertSameForm(r, 2);
      assertEquals(1, jobs.count(q.state("pending")));
      for (int i = 0; i < 2; i++) {
        jobs.run(base.withParam("subid", "running-" + i).withMeta(Map.of("state", "running")));
      }
      assertSameForm(r, 4);
      assertEquals(2, jobs.count(q.state("running")));
      for (int i = 0; i < 3; i++) {
        jobs.run(base.withParam("subid", "finished" + i).withMeta(Map.of("state", "finished")));
      }
      assertSameForm(r, 9);
      assertEquals(3, jobs.count(q.state("finished")));
      assertEquals(6, jobs.count(q.state("pending", "running", "finished")));
      assertEquals(1, jobs.count(q.state("pending")));
      assertEquals(2, jobs.count(q.state("running")));
      assertEquals(3, jobs.count(q.state("finished")));
      assertEquals(3, jobs.count(), "without a state only finished jobs are counted");
      r.assertComplete();
    }
  }

  @Test
  void projectJobsCount() {
    count("test_projects/test_project_jobs_count.json", false);
  }

  @Test
  void spiderJobsCount() {
    count("test_spiders/test_spider_jobs_count.json", true);
  }

  private static void iterOrList(String cassette, boolean spiderScope, boolean list) {
    try (CassetteReplayer r = CassetteReplayer.start(cassette); ScrapinghubClient c = r.client()) {
      String spider = spiderScope ? "spider=hs-test-spider&" : "";
      r.expectQuery(1, spider + "count=1000").expectQuery(2, spider + "state=running&count=1000");
      Jobs jobs = jobs(c, spiderScope);
      Job job = jobs.run((spiderScope ? RunRequest.create() : RunRequest.of("hs-test-spider"))
          .withMeta(Map.of("state", "running")));
      List<JobSummary> none = list ? jobs.list(JobQuery.all()) : toList(jobs.iter());
      assertTrue(none.isEmpty(), "no finished jobs");
      List<JobSummary> running = list ? jobs.list(JobQuery.all().state("running"))
          : toList(jobs.iter(JobQuery.all().state("running")));
      assertEquals(1, running.size());
      JobSummary s = running.get(0);
      assertEquals(job.key(), s.key());
      assertEquals("running", s.state());
      assertEquals("hs-test-spider", s.spider());
      assertTrue(s.json().path("running_time").asLong() > 0);
      r.assertComplete();
    }
  }

  private static <T> List<T> toList(Iterable<T> it) {
    List<T> l = new java.util.ArrayList<>();
    it.forEach(l::add);
    return l;
  }

  @Test
  void projectJobsIter() {
    iterOrList("test_projects/test_project_jobs_iter.json", false, false);
  }

  @Test
  void projectJobsList() {
    iterOrList("test_projects/test_project_jobs_list.json", false, true);
  }

  @Test
  void spiderJobsIter() {
    iterOrList("test_spiders/test_spider_jobs_iter.json", true, false);
  }

  @Test
  void spiderJobsList() {
    iterOrList("test_spiders/test_spider_jobs_list.json", true, true);
  }

  private static void iterLast(String cassette, boolean spiderScope) {
    try (CassetteReplayer r = CassetteReplayer.start(cassette); ScrapinghubClient c = r.client()) {
      Jobs jobs = jobs(c, spiderScope);
      RunRequest base = spiderScope ? RunRequest.create() : RunRequest.of("hs-test-spider");
      assertTrue(jobs.iterLast().isEmpty());
      Job j1 = jobs.run(base.withMeta(Map.of("state", "finished")));
      List<JobSummary> last = jobs.iterLast();
      assertEquals(1, last.size());
      assertEquals(j1.key(), last.get(0).key());
      assertEquals("finished", last.get(0).state());
      Job j2 = jobs.run(base.withParam("subid", "1").withMeta(Map.of("state", "finished")));
      last = jobs.iterLast();
      assertEquals(1, last.size());
      assertEquals(j2.key(), last.get(0).key());
      assertEquals("hs-test-spider", last.get(0).spider());
      r.assertComplete();
    }
  }

  @Test
  void projectJobsIterLast() {
    iterLast("test_projects/test_project_jobs_iter_last.json", false);
  }

  /** Spider level: {@code spiders/P/<spider id>/lastjobsummary}. */
  @Test
  void spiderJobsIterLast() {
    iterLast("test_spiders/test_spider_jobs_iter_last.json", true);
  }

  private static void summary(String cassette, boolean spiderScope) {
    try (CassetteReplayer r = CassetteReplayer.start(cassette); ScrapinghubClient c = r.client()) {
      Jobs jobs = jobs(c, spiderScope);
      RunRequest base = spiderScope ? RunRequest.create() : RunRequest.of("hs-test-spider");
      List<JobQueueSummary> empty = jobs.summary();
      assertEquals(List.of("pending", "running", "finished"), empty.stream().map(JobQueueSummary::name).toList());
      assertTrue(empty.stream().allMatch(q -> q.count() == 0 && q.jobs().isEmpty()));
      for (int i = 0; i < 3; i++) {
        jobs.run(base.withParam("subid", "finished" + i).withMeta(Map.of("state", "finished")));
      }
      jobs.run(base.withParam("subid", "pending0").withMeta(Map.of("state", "pending")));
      jobs.run(base.withParam("subid", "running0").withMeta(Map.of("state", "running")));
      jobs.run(base.withParam("subid", "running1").withMeta(Map.of("state", "running")));
      assertSameForm(r, 6);
      List<JobQueueSummary> all = jobs.summary();
      assertEquals(List.of(1L, 2L, 3L), all.stream().map(JobQueueSummary::count).toList());
      assertEquals("pending", all.get(0).jobs().get(0).state());
      JobQueueSummary running = jobs.summary("running");
      assertEquals("running", running.name());
      assertEquals(2, running.count());
      assertEquals(2, running.jobs().size());
      JobQueueSummary finished = jobs.summary("finished", 1, List.of());
      assertEquals(3, finished.count(), "count is the queue total");
      assertEquals(1, finished.jobs().size(), "the list is limited by count");
      JobQueueSummary units = jobs.summary("finished", null, List.of("units"));
      assertEquals(3, units.jobs().size());
      assertEquals(1, units.jobs().get(0).json().path("units").asInt());
      r.assertComplete();
    }
  }

  @Test
  void projectJobsSummary() {
    summary("test_projects/test_project_jobs_summary.json", false);
  }

  /** Spider level: {@code jobq/P/<spider id>/summary}. */
  @Test
  void spiderJobsSummary() {
    summary("test_spiders/test_spider_jobs_summary.json", true);
  }

  private static void run(String cassette, boolean spiderScope) {
    try (CassetteReplayer r = CassetteReplayer.start(cassette); ScrapinghubClient c = r.client()) {
      Jobs jobs = jobs(c, spiderScope);
      RunRequest base = spiderScope ? RunRequest.create() : RunRequest.of("hs-test-spider");
      Job job = jobs.run(base);
      assertSameForm(r, 0);
      JobMeta m = job.metadata();
      assertEquals(2222222, m.get("project").asLong());
      assertEquals("hs-test-spider", m.get("spider").asText());
      assertEquals("pending", m.get("state").asText());
      assertEquals(2, m.get("priority").asInt());
      assertEquals("manual", m.get("spider_type").asText());
      assertJson("[]", m.get("tags"));
      assertEquals(1, m.get("units").asInt());
      assertEquals("http://33.33.33.51:8080/api/", m.get("api_url").asText());
      assertEquals("http://33.33.33.51:9001/", m.get("portia_url").asText());
      long pending = m.get("pending_time").asLong();
      assertEquals(pending, m.get("pending_time").asLong());
      assertEquals("admin", m.get("scheduled_by").asText());

      DuplicateJobException dup = assertThrows(DuplicateJobException.class, () -> jobs.run(base));
      assertTrue(dup.getMessage().contains("hs-test-spider already scheduled"), dup.getMessage());
      assertEquals(400, dup.status());

      Job job2 = jobs.run(base.withArg("arg1", "val1").withArg("arg2", "val2").withPriority(3).withUnits(3)
          .withTags("tagA", "tagB").withMeta(Map.of("state", "running", "meta1", "val1")));
      assertSameForm(r, 14);
      m = job2.metadata();
      for (String k : List.of("project", "spider")) {
        m.get(k);
      }
      assertEquals("running", m.get("state").asText());
      assertEquals(3, m.get("priority").asInt());
      m.get("spider_type");
      assertJson("[\"tagA\",\"tagB\"]", m.get("tags"));
      assertEquals(3, m.get("units").asInt());
      m.get("api_url");
      m.get("portia_url");
      assertEquals("val1", m.get("meta1").asText());
      assertJson("{\"arg1\":\"val1\",\"arg2\":\"val2\"}", m.get("spider_args"));
      assertEquals(m.get("running_time").asLong(), m.get("running_time").asLong());
      assertEquals("admin", m.get("started_by").asText());
      r.assertComplete();
      for (CassetteReplayer.Served s : r.served()) {
        if (s.path().equals("/api/run.json")) {
          assertEquals(1, r.served().stream().filter(x -> x.interaction() == s.interaction()).count(),
              "run.json is never re-sent");
        }
      }
    }
  }

  @Test
  void projectJobsRun() {
    run("test_projects/test_project_jobs_run.json", false);
  }

  @Test
  void spiderJobsRun() {
    run("test_spiders/test_spider_jobs_run.json", true);
  }
}
