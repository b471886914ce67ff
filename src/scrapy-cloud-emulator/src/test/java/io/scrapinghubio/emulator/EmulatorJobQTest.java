package io.scrapinghubio.emulator;

import static io.scrapinghubio.emulator.TestHttp.map;
import static io.scrapinghubio.emulator.TestHttp.maps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.JobState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmulatorJobQTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey("KEY");
  static final AtomicLong PROJECT = new AtomicLong(4000);

  static String push(TestHttp h, long p, String body) {
    return (String) map(h.post("jobq/" + p + "/push", body).json()).get("key");
  }

  @Test
  void pushListCountDefaultsToFinished(ScrapyCloudEmulator emu) {
    long p = PROJECT.incrementAndGet();
    emu.state().project(p); // requests never create a project
    TestHttp h = new TestHttp(emu, "KEY");
    String f1 = push(h, p, "{\"spider\": \"s\", \"state\": \"finished\"}");
    TestHttp.Reply running = h.post("jobq/" + p + "/push", "{\"spider\": \"s\", \"state\": \"running\"}");
    assertEquals("application/x-jsonlines", running.contentType());
    assertTrue(((String) map(running.json()).get("auth")).startsWith("ey"));
    push(h, p, "{\"spider\": \"s\", \"state\": \"pending\"}");
    String f2 = push(h, p, "{\"spider\": \"s\", \"state\": \"finished\", \"tags\": [\"t1\"]}");
    assertEquals("2", h.get("jobq/" + p + "/count").text());
    assertEquals("4", h.get("jobq/" + p + "/count?state=pending&state=running&state=finished").text());
    TestHttp.Reply list = h.get("jobq/" + p + "/list");
    assertEquals("application/x-jsonlines", list.contentType());
    List<Map<String, Object>> lines = maps(list.jsonLines());
    assertEquals(List.of(f2, f1), lines.stream().map(m -> m.get("key")).toList());
    Map<String, Object> first = lines.get(0);
    assertEquals("finished", first.get("state"));
    assertEquals(List.of("t1"), first.get("tags"));
    assertFalse(first.containsKey("items"), "a pushed job has no runner counters: " + first);
    assertTrue(first.containsKey("finished_time") && first.containsKey("elapsed") && first.containsKey("ts"));
    assertTrue(list.text().contains("\"key\": \"" + f2 + "\"")); // Python json.dumps style
    assertEquals(List.of(f2), maps(h.get("jobq/" + p + "/list?has_tag=t1").jsonLines()).stream().map(m -> m.get("key")).toList());
    assertEquals(List.of(f1), maps(h.get("jobq/" + p + "/list?lacks_tag=t1").jsonLines()).stream().map(m -> m.get("key")).toList());
    assertEquals(List.of(f1), maps(h.get("jobq/" + p + "/list?start=1&count=5").jsonLines()).stream().map(m -> m.get("key")).toList());
    Map<String, Object> meta = map(h.get("jobq/" + p + "/list?count=1&jobmeta=spider&jobmeta=tags").jsonLines().get(0));
    assertEquals(List.of("key", "state", "elapsed", "ts", "tags", "spider"), List.copyOf(meta.keySet()));
  }

  @Test
  void updateStatesAndMetadata(ScrapyCloudEmulator emu) {
    long p = PROJECT.incrementAndGet();
    emu.state().project(p); // requests never create a project
    TestHttp h = new TestHttp(emu, "KEY");
    String k = push(h, p, "{\"spider\": \"s\"}");
    assertEquals("{\"prevstate\": \"pending\", \"key\": \"" + k + "\"}",
        h.post("jobq/" + p + "/update", "{\"key\": \"" + k + "\", \"state\": \"running\", \"foo\": \"bar\"}").text());
    JobState job = emu.state().job(k).orElseThrow();
    assertEquals("running", job.state());
    assertEquals("bar", job.get("foo"));
    assertEquals("admin", job.get("started_by"));
    h.post("jobq/" + p + "/update", "{\"key\": \"" + k + "\", \"state\": \"finished\", \"close_reason\": \"all-good\"}");
    assertEquals("all-good", job.get("close_reason"));
    assertTrue(job.metadata().containsKey("finished_time"));
    h.post("jobq/" + p + "/update", "{\"key\": \"" + k + "\", \"state\": \"deleted\"}");
    assertEquals("deleted", job.state());
    assertEquals("0", h.get("jobq/" + p + "/count").text());
    assertEquals(0, h.post("jobq/" + p + "/update", "{\"key\": \"" + p + "/1/999\", \"state\": \"running\"}").body().length);
  }

  @Test
  void spiderKeyUpdatesAllLiveJobs(ScrapyCloudEmulator emu) {
    long p = PROJECT.incrementAndGet();
    emu.state().project(p); // requests never create a project
    TestHttp h = new TestHttp(emu, "KEY");
    push(h, p, "{\"spider\": \"s\"}");
    push(h, p, "{\"spider\": \"s\", \"state\": \"running\"}");
    push(h, p, "{\"spider\": \"s\", \"state\": \"deleted\"}");
    List<Object> lines = h.post("jobq/" + p + "/update", "{\"key\": \"" + p + "/1\", \"state\": \"finished\"}").jsonLines();
    assertEquals(2, lines.size());
  }

  @Test
  void cancelPendingFinishesRunningStays(ScrapyCloudEmulator emu) {
    long p = PROJECT.incrementAndGet();
    emu.state().project(p); // requests never create a project
    TestHttp h = new TestHttp(emu, "KEY");
    String a = push(h, p, "{\"spider\": \"s\"}");
    String b = push(h, p, "{\"spider\": \"s\", \"state\": \"running\"}");
    TestHttp.Reply r = h.post("jobq/" + p + "/cancel", "[{\"key\": \"" + a + "\"}, {\"key\": \"" + b + "\"}, {\"key\": \"" + p + "/1/99\"}]");
    assertEquals("application/json", r.contentType());
    assertEquals("{\"count\": 2}", r.text());
    assertEquals("finished", emu.state().job(a).orElseThrow().state());
    assertEquals("running", emu.state().job(b).orElseThrow().state());
    assertEquals("{\"count\": 1}", h.post("jobq/" + b + "/cancel", "").text());
    // A job that has ended is not cancelled, and not counted: the same answer as for an unknown key
    // (recorded: test_cancel_jobs_non_existent). Nothing about the job changes.
    String done = push(h, p, "{\"spider\": \"s\", \"state\": \"finished\", \"close_reason\": \"finished\"}");
    TestHttp.Reply ended = h.post("jobq/" + done + "/cancel", "");
    assertEquals("application/json", ended.contentType());
    assertEquals("{\"count\": 0}", ended.text());
    assertEquals("{\"count\": 0}", h.post("jobq/" + p + "/cancel", "[{\"key\": \"" + done + "\"}]").text());
    assertEquals("finished", emu.state().job(done).orElseThrow().state());
    assertEquals("finished", emu.state().job(done).orElseThrow().get("close_reason"));
    assertFalse(emu.state().job(done).orElseThrow().metadata().containsKey("cancelled_by"));
  }

  @Test
  void summaryAndJobsummary(ScrapyCloudEmulator emu) {
    long p = PROJECT.incrementAndGet();
    emu.state().project(p); // requests never create a project
    TestHttp h = new TestHttp(emu, "KEY");
    for (int i = 0; i < 6; i++) {
      push(h, p, "{\"spider\": \"s\", \"idx\": " + i + "}");
    }
    List<Map<String, Object>> all = maps(h.get("jobq/" + p + "/summary").jsonLines());
    assertEquals(List.of("pending", "running", "finished"), all.stream().map(m -> m.get("name")).toList());
    assertEquals(6, all.get(0).get("count"));
    assertEquals(5, ((List<?>) all.get(0).get("summary")).size());
    Map<String, Object> three = map(h.get("jobq/" + p + "/summary/pending?count=3&start=0&jobmeta=idx").json());
    assertEquals(3, ((List<?>) three.get("summary")).size());
    assertEquals(5, map(((List<?>) three.get("summary")).get(0)).get("idx"));
    String key = p + "/1/2";
    Map<String, Object> js = map(h.get("jobq/" + p + "/jobsummary?key=" + key + "&jobmeta=idx").json());
    assertEquals(1, js.get("idx"));
    assertEquals(1, h.get("jobq/" + p + "/1/summary/pending?count=1").jsonLines().size());
  }

  @Test
  void startjobTakesOldestPendingAndUniqueBlocksDuplicates(ScrapyCloudEmulator emu) {
    long p = PROJECT.incrementAndGet();
    emu.state().project(p); // requests never create a project
    TestHttp h = new TestHttp(emu, "KEY");
    String a = push(h, p, "{\"spider\": \"s\", \"unique\": \"h1\"}");
    push(h, p, "{\"spider\": \"s\"}");
    Map<String, Object> err = map(h.post("jobq/" + p + "/push", "{\"spider\": \"s\", \"unique\": \"h1\"}").json());
    assertEquals("Active job exists with key h1", err.get("error"));
    TestHttp.Reply started = h.post("jobq/" + p + "/startjob", "{}");
    assertEquals("application/json", started.contentType());
    Map<String, Object> job = map(started.json());
    assertEquals(a, job.get("key"));
    assertEquals("running", job.get("state"));
    assertFalse(((String) job.get("auth")).isEmpty());
    h.post("jobq/" + p + "/update", "{\"key\": \"" + a + "\", \"state\": \"finished\"}");
    assertNull(map(h.post("jobq/" + p + "/push", "{\"spider\": \"s\", \"unique\": \"h1\"}").json()).get("error"));
  }

  @Test
  void jobMetadata(ScrapyCloudEmulator emu) {
    long p = PROJECT.incrementAndGet();
    emu.state().project(p); // requests never create a project
    TestHttp h = new TestHttp(emu, "KEY");
    String k = push(h, p, "{\"spider\": \"s\", \"foo\": 1}");
    TestHttp.Reply all = h.get("jobs/" + k);
    assertEquals("application/x-jsonlines", all.contentType());
    assertEquals(1, map(all.json()).get("foo"));
    TestHttp.Reply field = h.get("jobs/" + k + "/state");
    assertEquals("application/json", field.contentType());
    assertEquals("\"pending\"", field.text());
    TestHttp.Reply set = h.post("jobs/" + k + "/meta1", "[\"b\", 1, null, {\"k\": \"c\"}]");
    assertEquals("text/html; charset=utf-8", set.contentType());
    assertEquals("[\"b\", 1, null, {\"k\": \"c\"}]", h.get("jobs/" + k + "/meta1").text());
    assertEquals(200, h.delete("jobs/" + k + "/meta1").code());
    assertEquals(200, h.delete("jobs/" + k + "/never-there").code());
    assertEquals("null", h.get("jobs/" + k + "/meta1").text());
    Map<String, Object> m = map(all.json());
    m.put("bar", "baz");
    m.remove("foo");
    m.put("state", "finished"); // ignored: state is not metadata-writable
    h.post("jobs/" + k, io.scrapinghubio.emulator.json.Json.python(m));
    Map<String, Object> after = map(h.get("jobs/" + k).json());
    assertEquals("baz", after.get("bar"));
    assertFalse(after.containsKey("foo"));
    assertEquals("pending", after.get("state"));
  }

  @Test
  void projectSummariesIdsAndTimestamp(ScrapyCloudEmulator emu) {
    long p = PROJECT.incrementAndGet();
    emu.state().project(p); // requests never create a project
    TestHttp h = new TestHttp(emu, "KEY");
    push(h, p, "{\"spider\": \"hs-test-spider\", \"state\": \"running\"}");
    Map<String, Object> js = map(h.get("projects/" + p + "/jobsummary").json());
    assertEquals(1, js.get("running"));
    assertEquals(true, js.get("has_capacity"));
    assertTrue(h.get("projects/jobsummaries").text().contains("\"project\": " + p));
    assertEquals("1", h.get("ids/" + p + "/spider/hs-test-spider").text());
    assertEquals("null", h.get("ids/" + p + "/spider/nope").text());
    assertEquals("2", h.get("ids/" + p + "/spider/new?create=1").text());
    TestHttp.Reply ts = h.get("system/ts");
    assertEquals("application/json; charset=UTF-8", ts.contentType());
    assertTrue(Long.parseLong(ts.text()) > 1_600_000_000_000L);
    h.post("jobq/" + p + "/update", "{\"key\": \"" + p + "/1\", \"state\": \"finished\"}");
    List<Object> last = h.get("spiders/" + p + "/lastjobsummary").jsonLines();
    assertEquals(1, last.size());
  }
}
