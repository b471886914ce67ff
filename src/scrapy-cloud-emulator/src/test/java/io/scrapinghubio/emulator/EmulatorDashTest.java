package io.scrapinghubio.emulator;

import static io.scrapinghubio.emulator.TestHttp.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.JobState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmulatorDashTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey("KEY").projects(3001, 3002, 3003, 3004);

  static TestHttp dash(ScrapyCloudEmulator emu) {
    return new TestHttp(emu.dashUrl(), "KEY");
  }

  @Test
  void runRecordsArgsTagsMetaAndRejectsDuplicates(ScrapyCloudEmulator emu) {
    emu.state().addSpider(3001, "hs-test-spider"); // deployed: run.json schedules deployed spiders only
    TestHttp d = dash(emu);
    TestHttp.Reply r = d.form("run.json", "project=3001&spider=hs-test-spider");
    assertEquals(200, r.code());
    assertEquals("application/json", r.contentType());
    assertEquals("{\"status\":\"ok\",\"jobid\":\"3001/1/1\"}", r.text());
    TestHttp.Reply dup = d.form("run.json", "project=3001&spider=hs-test-spider");
    assertEquals(400, dup.code());
    assertEquals("{\"message\":\"hs-test-spider already scheduled\",\"status\":\"error\"}", dup.text());
    r = d.form("run.json", "arg2=val2&units=3&project=3001&add_tag=tagA&add_tag=tagB&spider=hs-test-spider&priority=3"
        + "&arg1=val1&job_settings=%7B%22X%22%3A+1%7D"
        + "&meta=%7B%22meta1%22%3A+%22val1%22%2C+%22state%22%3A+%22running%22%7D");
    assertEquals("3001/1/2", map(r.json()).get("jobid"));
    JobState job = emu.state().job("3001/1/2").orElseThrow();
    assertEquals("running", job.state());
    assertEquals(3, job.get("units"));
    assertEquals(3, job.get("priority"));
    assertEquals(List.of("tagA", "tagB"), job.get("tags"));
    assertEquals(Map.of("arg1", "val1", "arg2", "val2"), job.get("spider_args"));
    assertEquals(Map.of("X", 1), job.get("job_settings"));
    assertEquals("val1", job.get("meta1"));
    assertEquals("manual", job.get("spider_type"));
    assertEquals(emu.dashUrl(), job.get("api_url"));
    TestHttp.Reply bad = d.form("run.json", "project=3001&spider=hs-test-spider&priority=9");
    assertEquals(400, bad.code());
    assertEquals("badrequest", map(bad.json()).get("status"));
  }

  @Test
  void listProjectsAndSpiders(ScrapyCloudEmulator emu) {
    emu.state().addSpider(3002, "hs-test-spider");
    TestHttp d = dash(emu);
    Map<String, Object> projects = map(d.get("scrapyd/listprojects.json").json());
    assertEquals("ok", projects.get("status"));
    assertTrue(((List<?>) projects.get("projects")).contains(3002));
    TestHttp.Reply r = d.get("spiders/list.json?project=3002");
    assertEquals("{\"spiders\": [{\"version\": null, \"tags\": [], \"id\": \"hs-test-spider\", \"type\": \"manual\"}], \"status\": \"ok\"}",
        r.text());
  }

  @Test
  void jobsUpdateTags(ScrapyCloudEmulator emu) {
    String a = emu.state().addJob(3003, "s", JobState.FINISHED, Map.of()).key();
    emu.state().addJob(3003, "s", JobState.FINISHED, Map.of());
    TestHttp d = dash(emu);
    TestHttp.Reply r = d.form("jobs/update.json", "add_tag=tagA1&add_tag=tagA2&project=3003&job=" + a.replace("/", "%2F"));
    assertEquals("{\"count\": 1, \"status\": \"ok\"}", r.text());
    assertEquals(List.of("tagA1", "tagA2"), emu.state().job(a).orElseThrow().get("tags"));
    r = d.form("jobs/update.json", "remove_tag=tagA1&add_tag=tagB&project=3003&spider=s");
    assertEquals(2, map(r.json()).get("count"));
    assertEquals(List.of("tagA2", "tagB"), emu.state().job(a).orElseThrow().get("tags"));
  }

  @Test
  void v2SpiderTags(ScrapyCloudEmulator emu) {
    int sid = emu.state().addSpider(3004, "hs-test-spider").id();
    TestHttp d = dash(emu);
    String path = "v2/projects/3004/spiders/" + sid;
    TestHttp.Reply empty = d.patchJson(path + "/tags", "{}");
    assertEquals(400, empty.code());
    assertEquals("{\"non_field_errors\":[\"At least one of \\\"add\\\" or \\\"remove\\\" arguments must not be empty\"]}",
        empty.text());
    assertEquals(List.of("new1", "new2"), map(d.patchJson(path + "/tags", "{\"add\": [\"new1\", \"new2\"]}").json()).get("tags"));
    d.patchJson(path + "/tags", "{\"add\": [\"new3\"], \"remove\": [\"new1\"]}");
    Map<String, Object> spider = map(d.get(path).json());
    assertEquals(List.of("new2", "new3"), spider.get("tags"));
    assertEquals("hs-test-spider", spider.get("name"));
    assertEquals(sid, spider.get("jobq_id"));
    assertEquals(404, d.get("v2/projects/3004/spiders/99").code());
  }

  @Test
  void unknownDashPathIs404(ScrapyCloudEmulator emu) {
    assertEquals(404, dash(emu).get("nope.json").code());
  }
}
