package io.scrapinghubio.client;

import io.scrapinghubio.client.core.JobKey;

import static io.scrapinghubio.client.ReplayAssertions.assertJson;
import static io.scrapinghubio.client.ReplayAssertions.assertSameForm;
import static io.scrapinghubio.client.ReplayAssertions.assertSameJsonBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Replays {@code tests/client/test_job.py}: cancel (single, bulk, unknown key), start/finish/delete
 * with and without metadata, update, tag updates, metadata get/set/update/delete/list.
 */
class ReplayJobTest {
  private static Jobs jobs(ScrapinghubClient c) {
    return c.getProject(2222222).jobs();
  }

  private static RunRequest spider() {
    return RunRequest.of("hs-test-spider");
  }

  @Test
  void jobBase() {
    try (CassetteReplayer r = CassetteReplayer.start("test_job/test_job_base.json"); ScrapinghubClient c = r.client()) {
      Job job = jobs(c).run(spider());
      assertEquals(JobKey.parse("2222222/1/523"), job.key());
      assertEquals(2222222, job.key().project());
      assertSameForm(r, 0);
      r.assertComplete();
    }
  }

  @Test
  void cancelJobs() {
    try (CassetteReplayer r = CassetteReplayer.start("test_job/test_cancel_jobs.json"); ScrapinghubClient c = r.client()) {
      Job j1 = jobs(c).run(spider().withParam("subid", "tags-1").withTags("tag1"));
      Job j2 = jobs(c).run(spider().withParam("subid", "tags-2").withTags("tag2"));
      assertSameForm(r, 0);
      assertSameForm(r, 1);
      assertEquals("pending", j1.metadata().get("state").asText());
      assertEquals("pending", j2.metadata().get("state").asText());
      assertEquals(2, jobs(c).cancel(List.of(j1.key().toString(), j2.key().toString())));
      assertSameJsonBody(r, 4);
      assertEquals("finished", j1.metadata().get("state").asText());
      assertEquals("finished", j2.metadata().get("state").asText());
      r.assertComplete();
    }
  }

  @Test
  void cancelJobsNonExistent() {
    try (CassetteReplayer r = CassetteReplayer.start("test_job/test_cancel_jobs_non_existent.json");
        ScrapinghubClient c = r.client()) {
      Job j1 = jobs(c).run(spider().withParam("subid", "tags-1").withTags("tag1"));
      assertEquals("pending", j1.metadata().get("state").asText());
      assertEquals(0, jobs(c).cancel(List.of("2222222/1/10000")));
      assertSameJsonBody(r, 2);
      assertEquals("pending", j1.metadata().get("state").asText());
      r.assertComplete();
    }
  }

  @Test
  void cancelPending() {
    try (CassetteReplayer r = CassetteReplayer.start("test_job/test_job_cancel_pending.json");
        ScrapinghubClient c = r.client()) {
      Job job = jobs(c).run(spider());
      assertEquals("pending", job.metadata().get("state").asText());
      job.cancel();
      assertEquals("finished", job.metadata().get("state").asText());
      assertEquals(0, r.servedFor(2).body().length, "cancel sends an empty body");
      r.assertComplete();
    }
  }

  @Test
  void cancelRunning() {
    try (CassetteReplayer r = CassetteReplayer.start("test_job/test_job_cancel_running.json");
        ScrapinghubClient c = r.client()) {
      Job job = jobs(c).run(spider());
      assertEquals("pending", job.start());
      assertSameJsonBody(r, 1);
      assertEquals("running", job.metadata().get("state").asText());
      job.cancel();
      assertEquals("running", job.metadata().get("state").asText(), "a running job stops asynchronously");
      r.assertComplete();
    }
  }

  @Test
  void delete() {
    try (CassetteReplayer r = CassetteReplayer.start("test_job/test_job_delete.json"); ScrapinghubClient c = r.client()) {
      Job job = jobs(c).run(spider().withMeta(Map.of("state", "finished")));
      assertEquals("finished", job.metadata().get("state").asText());
      assertEquals("finished", job.delete());
      assertSameJsonBody(r, 2);
      assertEquals("deleted", job.metadata().get("state").asText());
      r.assertComplete();
    }
  }

  @Test
  void deleteWithMetadata() {
    try (CassetteReplayer r = CassetteReplayer.start("test_job/test_job_delete_with_metadata.json");
        ScrapinghubClient c = r.client()) {
      Job job = jobs(c).run(spider().withMeta(Map.of("meta1", "val1", "meta2", "val3", "state", "finished")));
      assertSameForm(r, 0);
      assertEquals("finished", job.metadata().get("state").asText());
      assertEquals("finished", job.delete(Map.of("meta2", "val2", "meta3", "val3")));
      assertSameJsonBody(r, 2);
      assertEquals("deleted", job.metadata().get("state").asText());
      assertEquals("val1", job.metadata().get("meta1").asText());
      assertEquals("val2", job.metadata().get("meta2").asText());
      assertEquals("val3", job.metadata().get("meta3").asText());
      r.assertComplete();
    }
  }

  @Test
  void finish() {
    try (CassetteReplayer r = CassetteReplayer.start("test_job/test_job_finish.json"); ScrapinghubClient c = r.client()) {
      Job job = jobs(c).run(spider());
      assertEquals("pending", job.metadata().get("state").asText());
      assertEquals("pending", job.finish());
      assertSameJsonBody(r, 2);
      assertEquals("finished", job.metadata().get("state").asText());
      r.assertComplete();
    }
  }

  @Test
  void finishWithMetadata() {
    try (CassetteReplayer r = CassetteReplayer.start("test_job/test_job_finish_with_metadata.json");
        ScrapinghubClient c = r.client()) {
      Job job = jobs(c).run(spider().withMeta(Map.of("meta1", "val1", "meta2", "val3")));
      assertSameForm(r, 0);
      job.metadata().get("state");
      assertEquals("pending", job.finish(Map.of("meta2", "val2", "meta3", "val3")));
      assertSameJsonBody(r, 2);
      assertEquals("finished", job.metadata().get("state").asText());
      assertEquals("val1", job.metadata().get("meta1").asText());
      assertEquals("val2", job.metadata().get("meta2").asText());
      assertEquals("val3", job.metadata().get("meta3").asText());
      r.assertComplete();
    }
  }

  @Test
  void start() {
    try (CassetteReplayer r = CassetteReplayer.start("test_job/test_job_start.json"); ScrapinghubClient c = r.client()) {
      Job job = jobs(c).run(spider());
      assertEquals("pending", job.metadata().get("state").asText());
      assertEquals("pending", job.start());
      assertSameJsonBody(r, 2);
      JobMeta m = job.metadata();
      assertEquals("running", m.get("state").asText());
      assertTrue(m.get("running_time").asLong() > m.get("pending_time").asLong());
      assertEquals("hs-test-spider", m.get("spider").asText());
      assertEquals(2, m.get("priority").asInt());
      r.assertComplete();
    }
  }

  /** Metadata values of every JSON type round-trip through {@code update(state, **meta)}. */
  @Test
  void startExtras() {
    try (CassetteReplayer r = CassetteReplayer.start("test_job/test_job_start_extras.json");
        ScrapinghubClient c = r.client()) {
      Job job = jobs(c).run(spider());
      Map<String, Object> extras = new LinkedHashMap<>();
      extras.put("string", "foo");
      extras.put("integer", 1);
      extras.put("float", 3.2);
      extras.put("mixedarray", java.util.Arrays.asList("b", 1, null, true, false, Map.of("k", "c")));
      extras.put("emptyarray", List.of());
      extras.put("mapping", Map.of("alpha", 5, "b", "B", "cama", List.of()));
      extras.put("emptymapping", Map.of());
      extras.put("true", true);
      extras.put("false", false);
      extras.put("nil", null);
      assertEquals("pending", job.start(extras));
      assertSameJsonBody(r, 1);
      JobMeta m = job.metadata();
      assertEquals(false, m.get("false").asBoolean(true));
      assertTrue(m.get("nil").isNull());
      assertEquals(3.2, m.get("float").asDouble());
      assertJson("[\"b\", 1, null, true, false, {\"k\": \"c\"}]", m.get("mixedarray"));
      assertJson("{\"alpha\": 5, \"b\": \"B\", \"cama\": []}", m.get("mapping"));
      assertEquals("foo", m.get("string").asText());
      assertTrue(m.get("true").asBoolean());
      assertJson("[]", m.get("emptyarray"));
      assertJson("{}", m.get("emptymapping"));
      assertEquals(1, m.get("integer").asInt());
      r.assertComplete();
    }
  }

  @Test
  void startWithEnvironment() {
    try (CassetteReplayer r = CassetteReplayer.start("test_job/test_job_start_with_environment.json");
        ScrapinghubClient c = r.client()) {
      Job job = jobs(c).run(spider().withEnvironment(Map.of("VAR1", "VAL1", "VAR2", "VAL2")));
      assertSameForm(r, 0);
      assertJson("{\"VAR1\": \"VAL1\", \"VAR2\": \"VAL2\"}", job.metadata().get("environment"));
      r.assertComplete();
    }
  }

  @Test
  void update() {
    try (CassetteReplayer r = CassetteReplayer.start("test_job/test_job_update.json"); ScrapinghubClient c = r.client()) {
      Job job = jobs(c).run(spider());
      assertEquals("pending", job.metadata().get("state").asText());
      assertEquals("pending", job.update("running", Map.of("foo", "bar")));
      assertSameJsonBody(r, 2);
      assertEquals("running", job.metadata().get("state").asText());
      assertEquals("bar", job.metadata().get("foo").asText());
      r.assertComplete();
    }
  }

  @Test
  void updateTags() {
    try (CassetteReplayer r = CassetteReplayer.start("test_job/test_job_update_tags.json");
        ScrapinghubClient c = r.client()) {
      Job j1 = jobs(c).run(spider().withParam("subid", "tags-1").withTags("tag1"));
      Job j2 = jobs(c).run(spider().withParam("subid", "tags-2").withTags("tag2"));
      assertEquals(0, j1.updateTags(List.of(), List.of()), "nothing to do: no request");
      assertEquals(1, j1.updateTags(List.of("tagA1", "tagA2"), List.of()));
      assertSameForm(r, 2);
      assertJson("[\"tag1\", \"tagA1\", \"tagA2\"]", j1.metadata().get("tags"));
      assertEquals(1, j1.updateTags(List.of(), List.of("tag1", "tagx")));
      assertSameForm(r, 4);
      assertJson("[\"tagA1\", \"tagA2\"]", j1.metadata().get("tags"));
      assertEquals(1, j1.updateTags(List.of("tagB"), List.of("tagA2")));
      assertSameForm(r, 6);
      assertJson("[\"tagA1\", \"tagB\"]", j1.metadata().get("tags"));
      assertJson("[\"tag2\"]", j2.metadata().get("tags"));
      r.assertComplete();
    }
  }

  @Test
  void metadataDelete() {
    try (CassetteReplayer r = CassetteReplayer.start("test_job/test_metadata_delete.json");
        ScrapinghubClient c = r.client()) {
      Job job = jobs(c).run(spider().withMeta(Map.of("meta1", "data1", "meta2", "data2")));
      job.metadata().delete("meta1");
      assertTrue(job.metadata().get("meta1").isNull());
      assertEquals("data2", job.metadata().get("meta2").asText());
      r.assertComplete();
    }
  }

  @Test
  void metadataIterList() {
    try (CassetteReplayer r = CassetteReplayer.start("test_job/test_metadata_iter_list.json");
        ScrapinghubClient c = r.client()) {
      Job job = jobs(c).run(spider().withMeta(Map.of("meta1", "data1", "meta2", "data2")));
      List<Map.Entry<String, JsonNode>> entries = job.metadata().iter();
      assertTrue(entries.stream().anyMatch(e -> e.getKey().equals("meta1") && e.getValue().asText().equals("data1")));
      JsonNode all = job.metadata().list();
      assertEquals("data2", all.path("meta2").asText());
      assertEquals("pending", all.path("state").asText());
      assertEquals(entries.size(), all.size());
      r.assertComplete();
    }
  }

  @Test
  void metadataSet() {
    try (CassetteReplayer r = CassetteReplayer.start("test_job/test_metadata_set.json"); ScrapinghubClient c = r.client()) {
      Job job = jobs(c).run(spider().withMeta(Map.of("meta1", "data1")));
      assertEquals("data1", job.metadata().get("meta1").asText());
      job.metadata().set("meta1", "data2");
      job.metadata().set("meta2", 123);
      assertEquals("\"data2\"", r.servedFor(2).bodyText());
      assertEquals("123", r.servedFor(3).bodyText());
      assertEquals(null, r.servedFor(2).contentType(), "storage POSTs carry no Content-Type, like the official client");
      assertEquals("data2", job.metadata().get("meta1").asText());
      assertEquals(123, job.metadata().get("meta2").asInt());
      r.assertComplete();
    }
  }

  /** GET the whole dict, POST it back merged, without auth/_key/state. */
  @Test
  void metadataUpdate() {
    try (CassetteReplayer r = CassetteReplayer.start("test_job/test_metadata_update.json");
        ScrapinghubClient c = r.client()) {
      Job job = jobs(c).run(spider().withMeta(Map.of("meta1", "data1")));
      assertEquals("data1", job.metadata().get("meta1").asText());
      job.metadata().update(Map.of("meta1", "data2", "meta2", "data3"));
      assertSameJsonBody(r, 3);
      assertTrue(r.servedFor(3).bodyText().indexOf('\n') < 0, "one line");
      assertEquals("data2", job.metadata().get("meta1").asText());
      assertEquals("data3", job.metadata().get("meta2").asText());
      r.assertComplete();
    }
  }
}
