package io.scrapinghubio.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.core.ReadFormat;
import io.scrapinghubio.client.activity.ActivityQuery;
import io.scrapinghubio.client.collections.Collection;
import io.scrapinghubio.client.collections.CollectionRecord;
import io.scrapinghubio.client.collections.ScanOptions;
import io.scrapinghubio.client.collections.StoreType;
import io.scrapinghubio.client.errors.BadRequestException;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.client.errors.ValueTooLargeException;
import io.scrapinghubio.client.frontier.Frontier;
import io.scrapinghubio.client.frontier.FrontierRequest;
import io.scrapinghubio.client.frontier.FrontierSlot;
import io.scrapinghubio.client.frontier.Frontiers;
import io.scrapinghubio.client.frontier.QueueBatch;
import io.scrapinghubio.client.http.HttpTransport;
import io.scrapinghubio.client.read.JobDataType;
import io.scrapinghubio.client.settings.Settings;
import io.scrapinghubio.client.write.BatchUploader;
import io.scrapinghubio.client.write.BatchWriter;
import io.scrapinghubio.client.write.JobWriters;
import io.scrapinghubio.client.write.JsonEncoder;
import io.scrapinghubio.client.write.UploadTarget;
import io.scrapinghubio.client.write.WriterOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Replays recorded python-scrapinghub 2.8.0 test interactions (activity, collections, frontiers,
 * settings, project summaries, batch uploader) against this client: each scenario makes the calls
 * the Python test made and the replayer checks every request and serves the recorded answer.
 */
class ReplayExtraTest {
  static final long P = 2222222;
  static final CassetteReplayer.Suite C = CassetteReplayer.Suite.CLIENT;
  static final CassetteReplayer.Suite H = CassetteReplayer.Suite.HUBSTORAGE;
  static final List<String> SKIPPED = new ArrayList<>();

  @AfterAll
  static void printSkipped() {
    System.out.println("Recorded interactions not replayed (" + SKIPPED.size() + "):");
    SKIPPED.forEach(s -> System.out.println("  " + s));
  }

  private static void replay(CassetteReplayer.Suite suite, String cassette, java.util.function.Consumer<CassetteReplayer> setup,
      BiConsumer<CassetteReplayer, ScrapinghubClient> scenario) {
    replay(suite, cassette, setup, ClientConfig.builder(), scenario);
  }

  private static void replay(CassetteReplayer.Suite suite, String cassette, java.util.function.Consumer<CassetteReplayer> setup,
      ClientConfig.Builder cfg, BiConsumer<CassetteReplayer, ScrapinghubClient> scenario) {
    // These scenarios make their calls one after the other, so the recorded order is checked too.
    try (CassetteReplayer r = CassetteReplayer.start(suite, cassette).inRecordedOrder(); ScrapinghubClient c = r.client(cfg)) {
      if (setup != null) {
        setup.accept(r);
      }
      scenario.accept(r, c);
      r.assertComplete();
      SKIPPED.addAll(r.skipReasons());
    }
  }

  private static List<JsonNode> recordedLines(CassetteReplayer r, int i) {
    return r.interaction(i).requestJsonLines();
  }

  private static String page(String pathAndQuery) {
    return pathAndQuery;
  }

  /** The empty page that ends our scan after the recorded one (python stops after one request). */
  private static void endOfScan(CassetteReplayer r, int i, String path, String lastKey) {
    r.allowExtra(i, "count");
    r.insertAfter(i, "GET", path + "?startafter=" + lastKey + "&meta=_key", 200, "application/x-jsonlines; charset=UTF-8", "",
        "count", "prefix", "filter");
  }

  // ---------------------------------------------------------------------------------- activity

  @Test
  void activity() {
    replay(C, "test_activity/test_activity_iter.json", null, (r, c) -> {
      c.getProject(P).activity().add(List.of(Map.of("job", "2222222/2/3", "event", "job:completed", "user", "jobrunner"),
          Map.of("job", "2222222/2/3", "event", "job:cancelled", "user", "john")));
      List<JsonNode> all = c.getProject(P).activity().list();
      assertEquals(717, all.size());
      assertEquals("job:cancelled", all.get(0).get("event").asText());
    });
    replay(C, "test_activity/test_activity_list.json", null, (r, c) -> {
      c.getProject(P).activity().add(recordedLines(r, 0).stream().map(n -> (Map<String, ?>) io.scrapinghubio.client.json.Json.MAPPER
          .convertValue(n, Map.class)).toList());
      List<JsonNode> two = c.getProject(P).activity().list(2);
      assertEquals(List.of("john", "jobrunner"), two.stream().map(n -> n.get("user").asText()).toList());
    });
    replay(H, "test_activity/test_post_and_reverse_get.json", null, (r, c) -> {
      for (int i = 0; i < 2; i++) {
        c.getProject(P).activity().add(asMaps(recordedLines(r, i)));
      }
      List<JsonNode> got = c.getProject(P).activity().list(20);
      assertEquals(19, got.get(0).get("counter").asInt());
      assertEquals(0, got.get(19).get("counter").asInt());
    });
    replay(H, "test_activity/test_filters.json", null, (r, c) -> {
      c.getProject(P).activity().add(asMaps(recordedLines(r, 0)));
      List<JsonNode> got = c.getProject(P).activity().list(new ActivityQuery().filter("[\"c\", \">\", [5]]").count(2));
      assertEquals(List.of(9, 8), got.stream().map(n -> n.get("c").asInt()).toList());
    });
    replay(H, "test_activity/test_timestamp.json", null, (r, c) -> {
      c.getProject(P).activity().add(Map.of("foo", "bar", "baz", "qux")); // a single event works
      JsonNode e = c.getProject(P).activity().list(new ActivityQuery().count(1).meta("_ts")).get(0);
      assertEquals(1477663250347L, e.get("_ts").asLong());
    });
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, ?>> asMaps(List<JsonNode> nodes) {
    List<Map<String, ?>> out = new ArrayList<>();
    nodes.forEach(n -> out.add(io.scrapinghubio.client.json.Json.MAPPER.convertValue(n, Map.class)));
    return out;
  }

  // ------------------------------------------------------------------------- settings, summary

  @Test
  void settingsAndSummaries() {
    replay(C, "test_projects/test_settings_get_set.json", null, (r, c) -> {
      Settings s = c.getProject(P).settings();
      s.set("job_runtime_limit", 20);
      assertEquals(20, s.get("job_runtime_limit").orElseThrow().asInt());
      s.set("job_runtime_limit", 24);
      assertEquals(24, s.get("job_runtime_limit").orElseThrow().asInt());
    });
    replay(C, "test_projects/test_settings_iter_list.json", null, (r, c) -> {
      Settings s = c.getProject(P).settings();
      s.set("job_runtime_limit", 24);
      assertEquals(24, s.list().get("job_runtime_limit").asInt());
      assertEquals(1, s.list().size());
    });
    replay(C, "test_projects/test_settings_update.json", null, (r, c) -> {
      Settings s = c.getProject(P).settings();
      s.set("job_runtime_limit", 20);
      s.update(Map.of("job_runtime_limit", 24));
      assertEquals(24, s.get("job_runtime_limit").orElseThrow().asInt());
    });
    replay(C, "test_projects/test_settings_delete.json", null, (r, c) -> {
      c.getProject(P).settings().delete("job_runtime_limit");
      assertTrue(c.getProject(P).settings().get("job_runtime_limit").isEmpty());
    });
    replay(C, "test_projects/test_projects_summary.json",
        r -> r.skip(0, "run.json (form body): replayed with its form fields by ReplayJobsTest (test_project_jobs_run); this "
            + "replayer compares JSON-lines bodies only"),
        (r, c) -> {
          var s = c.projects().summary();
          assertEquals(1, s.size());
          assertEquals(1, s.get(0).running());
          assertTrue(s.get(0).hasCapacity());
        });
    replay(H, "test_client/test_jobsummaries.json",
        r -> r.skip(0, "jobq push: the platform runner's internal job-queue call (hubstorage only), not part of ScrapinghubClient"),
        (r, c) -> assertEquals(2222222, c.projects().summary().get(0).project()));
    replay(H, "test_project/test_jobsummary.json", null, (r, c) -> {
      var s = c.getProject(P).jobsummary();
      assertEquals(0, s.pending());
      assertTrue(s.hasCapacity());
      assertTrue(s.json().has("pending_units_max"));
    });
    replay(H, "test_project/test_settings.json", r -> {
      String botgroups = "botgroups admin API (hubstorage test fixture), not part of ScrapinghubClient";
      r.skip(1, botgroups).skip(8, botgroups);
      r.skip(7, "hubstorage settings.save() replaces the whole dict without reading it first; the Java client only merges "
          + "(GET + POST, as ScrapinghubClient's settings.set/update), so this blind overwrite has no Java call");
    }, (r, c) -> {
      Settings s = c.getProject(P).settings();
      s.delete("botgroups");
      s.update(new java.util.LinkedHashMap<>(Map.of("created", 1476803148638L, "botgroups", List.of("g1"))));
      assertEquals(1476803148638L, s.get("created").orElseThrow().asLong());
      assertEquals("g1", s.get("botgroups").orElseThrow().get(0).asText());
      assertEquals(2, s.list().size());
    });
  }

  // ------------------------------------------------------------------------------ collections

  @Test
  void collectionsListAndErrors() {
    replay(C, "test_collections/test_collections_list.json", null, (r, c) -> {
      var list = c.getProject(P).collections().list();
      assertTrue(list.size() >= 4);
      assertEquals(StoreType.VERSIONED_STORE, list.get(1).type());
    });
    for (String v : new String[] {"test_errors_bad_key-json.json", "test_errors_bad_key.json"}) {
      ClientConfig.Builder cfg = ClientConfig.builder().readFormat(v.contains("json.json") ? ReadFormat.JSON_LINES : ReadFormat.MSGPACK);
      replay(C, "test_collections/" + v, null, cfg,
          (r, c) -> assertThrows(NotFoundException.class, () -> c.getProject(P).collections().getStore("test_collection_123").get("does_not_exist")));
      replay(H, "test_collections/" + v, null, cfg,
          (r, c) -> assertThrows(NotFoundException.class, () -> c.getProject(P).collections().getStore("test_collection_123").get("does_not_exist")));
    }
    for (CassetteReplayer.Suite base : new CassetteReplayer.Suite[] {C, H}) {
      replay(base, "test_collections/test_errors.json", r -> r.skip(0, "record without _key is rejected client-side before sending (BadRequestException), by design"),
          (r, c) -> {
            assertThrows(BadRequestException.class, () -> c.getProject(P).collections().getStore("test_collection_123").set(Map.of("foo", 42)));
            assertEquals(0, r.served().size());
          });
      replay(base, "test_collections/test_simple_count.json", null, (r, c) -> {
        Collection col = c.getProject(P).collections().getStore("test_collection_123");
        col.set(asMaps(recordedLines(r, 0)));
        assertEquals(1, col.count());
      });
    }
    replay(C, "test_collections/test_entity_too_large.json",
        r -> r.skip(0, "record over 1 MiB is rejected client-side before sending (ValueTooLargeException), by design"), (r, c) -> {
          ValueTooLargeException e = assertThrows(ValueTooLargeException.class,
              () -> c.getProject(P).collections().getStore("test_collection_123").set(Map.of("_key", "large_test", "value", "x".repeat(1024 * 1024))));
          assertTrue(e.getMessage().contains("large_test"));
          assertEquals(0, r.served().size());
        });
  }

  @Test
  void collectionsPostGetDelete() {
    for (String v : new String[] {"test_post_get_delete-json.json", "test_post_get_delete.json"}) {
      boolean mp = !v.contains("-json");
      replay(C, "test_collections/" + v, null, ClientConfig.builder().readFormat(mp ? ReadFormat.MSGPACK : ReadFormat.JSON_LINES), (r, c) -> {
        List<String[]> order = List.of(new String[] {"s", "test_collection_123"}, new String[] {"cs", "test_collection_123"},
            new String[] {"vs", "test_collection_123"}, new String[] {"vcs", "test_collection_123"},
            new String[] {"s", "test_collection_123b"}, new String[] {"vs", "test_collection_123b"},
            new String[] {"cs", "test_collection_123b"}, new String[] {"vcs", "test_collection_123b"});
        for (String[] tn : order) {
          Collection col = c.getProject(P).collections().get(StoreType.fromCode(tn[0]), tn[1]);
          col.set(Map.of("_key", "insert_test_key", "field1", "value1", "field2", List.of("value2a", "value2b"), "field3", 3,
              "field4", Map.of("v4k", "v4v")));
          JsonNode got = col.get("insert_test_key");
          assertEquals("value2b", got.get("field2").get(1).asText());
          assertEquals("v4v", got.get("field4").get("v4k").asText());
          assertFalse(got.has("_key"));
          col.delete("insert_test_key");
          assertThrows(NotFoundException.class, () -> col.get("insert_test_key"));
        }
      });
    }
  }

  @Test
  void collectionsScanWriteDeleteTruncate() {
    String path = "/collections/2222222/s/test_collection_123";
    for (String v : new String[] {"test_post_scan-json.json", "test_post_scan.json"}) {
      boolean mp = !v.contains("-json");
      replay(C, "test_collections/" + v, r -> {
        r.ignoreBody(5); // compared below as a set (python sent the keys of a set, in hash order)
        endOfScan(r, 3, path, "post_scan_test19");
        endOfScan(r, 4, path, "post_scan_test19");
      }, ClientConfig.builder().readFormat(mp ? ReadFormat.MSGPACK : ReadFormat.JSON_LINES), (r, c) -> {
        Collection col = c.getProject(P).collections().getStore("test_collection_123");
        BatchWriter<Object> w = col.writer();
        recordedLines(r, 0).forEach(w::write);
        assertEquals(20, w.close().records());
        assertEquals(19, col.get("post_scan_test19").get("counter").asInt());
        assertEquals(2, col.get("post_scan_test2").get("counter").asInt());
        assertEquals(11, col.list(ScanOptions.all().prefix("post_scan_test1")).size());
        List<CollectionRecord> f = col.list(ScanOptions.all().prefix("post_scan_test1").filter("[\"counter\", \">\", [5]]"));
        assertEquals(10, f.size());
        List<String> keys = new ArrayList<>();
        recordedLines(r, 5).forEach(n -> keys.add(n.asText()));
        java.util.Collections.sort(keys);
        col.delete(keys);
        assertThrows(NotFoundException.class, () -> col.get("post_scan_test0"));
        assertThrows(NotFoundException.class, () -> col.get("post_scan_test19"));
      });
    }
    replay(C, "test_collections/test_truncate.json", r -> endOfScan(r, 1, path, "my_key_9"), (r, c) -> {
      Collection col = c.getProject(P).collections().getStore("test_collection_123");
      BatchWriter<Object> w = col.writer();
      recordedLines(r, 0).forEach(w::write);
      w.close();
      assertEquals(20, col.list(ScanOptions.all().prefix("my_key")).size());
      col.truncate();
      r.allowExtra(3, "count");
      assertEquals(0, col.list(ScanOptions.all().prefix("my_key")).size());
    });
    replay(H, "test_collections/test_truncate.json", r -> {
      endOfScan(r, 1, path, "my_key_9");
      r.allowExtra(3, "count");
    }, (r, c) -> {
      Collection col = c.getProject(P).collections().getStore("test_collection_123");
      BatchWriter<Object> w = col.writer();
      recordedLines(r, 0).forEach(w::write);
      w.close();
      assertEquals(20, col.list(ScanOptions.all().prefix("my_key")).size());
      col.truncate();
      assertEquals(0, col.list(ScanOptions.all().prefix("my_key")).size());
    });
    replay(C, "test_collections/test_data_download.json", r -> {
      endOfScan(r, 1, path, "test_data_download19");
      endOfScan(r, 2, path, "test_data_download9");
    }, (r, c) -> {
      Collection col = c.getProject(P).collections().getStore("test_collection_123");
      BatchWriter<Object> w = col.writer();
      recordedLines(r, 0).forEach(w::write);
      w.close();
      assertEquals(11, col.list(ScanOptions.all().prefix("test_data_download1")).size());
      assertEquals(19, col.list(ScanOptions.all().start("test_data_download1")).size());
    });
    replay(H, "test_collections/test_data_download.json", r -> {
      endOfScan(r, 1, path, "test_data_download19");
      endOfScan(r, 2, path, "test_data_download9");
      endOfScan(r, 3, path, "test_data_download9");
      endOfScan(r, 4, path, "test_data_download9");
      endOfScan(r, 5, path, "test_data_download9");
    }, (r, c) -> {
      Collection col = c.getProject(P).collections().getStore("test_collection_123");
      BatchWriter<Object> w = col.writer();
      recordedLines(r, 0).forEach(w::write);
      w.close();
      assertEquals(11, col.list(ScanOptions.all().prefix("test_data_download1")).size());
      assertEquals(19, col.list(ScanOptions.all().start("test_data_download1")).size());
      assertEquals(14, col.list(ScanOptions.all().startafter("test_data_download13")).size());
      assertEquals(9, col.list(ScanOptions.all().startafter("test_data_download18")).size());
      assertEquals(4, col.list(ScanOptions.all().startafter("test_data_download5")).size());
    });
  }

  // ------------------------------------------------------------------------------- frontiers

  @Test
  void frontiers() {
    String fr = "tests-client-test_frontiers-py-";
    replay(C, "test_frontiers/test_frontier.json", null, (r, c) -> {
      Frontier f = c.getProject(P).frontiers().get(fr + "test_frontier");
      f.get("site.com").delete();
      f.get("site.com").fingerprints().add("/some/path.html", "/other/path.html");
      assertEquals(2, f.flush().newcount());
      assertEquals(List.of("site.com"), f.list());
      assertEquals(List.of("site.com"), f.list());
    });
    replay(C, "test_frontiers/test_frontiers.json", null, (r, c) -> {
      Frontiers fs = c.getProject(P).frontiers();
      FrontierSlot s = fs.get(fr + "test_frontiers").get("site.com");
      s.delete();
      s.fingerprints().add("/some/path.html", "/other/path.html");
      fs.flush();
      assertTrue(fs.list().contains(fr + "test_frontiers"));
      assertEquals(2, fs.list().size());
    });
    replay(C, "test_frontiers/test_frontier_slot.json", null, (r, c) -> {
      FrontierSlot s = c.getProject(P).frontiers().get(fr + "test_frontier_slot").get("site.com");
      s.delete();
      s.fingerprints().add("/some/path.html", "/other/path.html");
      s.flush();
      assertEquals(1, s.queue().list().size());
      assertEquals(2, s.queue().list().get(0).requests().size());
      s.queue().add(FrontierRequest.of("page1.html").withPriority(1).withQdata(io.scrapinghubio.client.json.Json.parse("{\"depth\": 1}")));
      s.flush();
      List<QueueBatch> bs = s.queue().list();
      assertEquals(2, bs.size());
      assertEquals(1, bs.get(1).requests().get(0).qdata().get("depth").asInt());
      s.queue().delete(bs.stream().map(QueueBatch::id).toList());
      assertEquals(0, s.queue().list().size());
      s.delete();
      assertEquals(List.of(), s.frontier().list());
      assertEquals(3, s.newcount());
    });
    replay(C, "test_frontiers/test_frontier_newcount.json", null, (r, c) -> {
      Frontiers fs = c.getProject(P).frontiers();
      for (String name : fs.list()) { // clean-up as the python test's fixture does
        Frontier f = fs.get(name);
        for (String slot : f.list()) {
          f.get(slot).delete();
        }
      }
      Frontier f = fs.get(fr + "test_frontier_newcount");
      FrontierSlot first = f.get("site.com");
      first.queue().add(FrontierRequest.of("/some/path.html"), FrontierRequest.of("/other/path.html"));
      first.flush();
      FrontierSlot second = f.get("test2.com");
      second.delete();
      second.queue().add(FrontierRequest.of("/different_path.html"));
      second.flush();
      assertEquals(2, first.newcount());
      assertEquals(1, second.newcount());
      assertEquals(3, f.newcount());
      assertEquals(3, fs.newcount());
    });
    String hf = "tests-hubstorage-test_frontier-py-";
    replay(H, "test_frontier/test_add_read.json", null, (r, c) -> {
      FrontierSlot s = c.getProject(P).frontiers().get(hf + "test_add_read").get("site.com");
      s.delete();
      s.queue().add(FrontierRequest.of("/"), FrontierRequest.of("/index.html"), FrontierRequest.of("/index2.html"));
      s.flush();
      assertEquals(List.of("/", "/index.html", "/index2.html"), s.queue().list().get(0).requests().stream().map(q -> q.fp()).toList());
    });
    replay(H, "test_frontier/test_add_extra_params.json", null, (r, c) -> {
      FrontierSlot s = c.getProject(P).frontiers().get(hf + "test_add_extra_params").get("site.com");
      s.delete();
      s.queue().add(FrontierRequest.of("/").withQdata(io.scrapinghubio.client.json.Json.parse("{\"a\": 1, \"b\": 2, \"c\": 3}")));
      s.flush();
      assertEquals(3, s.queue().list().get(0).requests().get(0).qdata().get("c").asInt());
    });
    replay(H, "test_frontier/test_add_multiple_chunks.json", null, (r, c) -> {
      Frontiers fs = c.getProject(P).frontiers().writerOptions(WriterOptions.frontierDefaults().withMaxRecords(150));
      FrontierSlot s = fs.get(hf + "test_add_multiple_chunks").get("site.com");
      s.delete();
      for (int i = 0; i < 200; i++) {
        s.queue().add(FrontierRequest.of("/index_" + (i < 150 ? i : i - 50) + ".html"));
      }
      s.flush();
      assertEquals(150, s.newcount());
      List<QueueBatch> b = s.queue().list(100);
      assertEquals(100, b.get(0).requests().size());
      s.queue().delete(b.get(0).id());
      assertEquals(50, s.queue().list().get(0).requests().size());
    });
    replay(H, "test_frontier/test_add_big_chunk.json", null, (r, c) -> {
      FrontierSlot s = c.getProject(P).frontiers().get(hf + "test_add_big_chunk").get("site.com");
      s.delete();
      for (int i = 0; i < 300; i++) {
        s.queue().add(FrontierRequest.of("/index_" + i + ".html"));
      }
      assertEquals(300, s.flush().newcount());
      for (int k = 0; k < 3; k++) {
        List<QueueBatch> b = s.queue().list(100);
        assertEquals(100, b.get(0).requests().size());
        if (k < 2) {
          s.queue().delete(b.get(0).id());
        }
      }
    });
  }

  // -------------------------------------------------------------------------- batch uploader

  private static BatchWriter<Object> identityItems(ScrapinghubClient c, JobKey job, int size) {
    HttpTransport transport = TransportForTests.of(c);
    UploadTarget t = new UploadTarget(transport.storage("items", job.toString()).build(), false, true, false, "items " + job);
    return new BatchWriter<>(new BatchUploader(transport, t), JsonEncoder.INSTANCE, WriterOptions.defaults().withMaxRecords(size), null);
  }

  @Test
  void batchUploader() {
    String jobq = "job creation by jobq push/startjob: the platform runner's internal job-queue API (hubstorage only), not part of ScrapinghubClient";
    String readTs = "reading items with meta=_ts: the Java ReadSpec has no meta=_ts option (a stated gap in the README coverage table)";
    for (String v : new String[] {"test_writer_batchsize-json.json", "test_writer_batchsize.json"}) {
      replay(H, "test_batchuploader/" + v, r -> r.skip(0, jobq).skip(1, jobq).skip(14, readTs), (r, c) -> {
        JobKey job = JobKey.parse(r.interaction(2).path.substring("/items/".length()));
        BatchWriter<Object> w = identityItems(c, job, 10);
        for (int i = 0; i < 111; i++) {
          w.write(Map.of("x", i));
        }
        assertEquals(12, w.close().batches());
      });
    }
    for (String v : new String[] {"test_writer_interval-json.json", "test_writer_interval.json"}) {
      replay(H, "test_batchuploader/" + v, r -> r.skip(0, jobq).skip(1, jobq).skip(4, readTs), (r, c) -> {
        JobKey job = JobKey.parse(r.interaction(2).path.substring("/items/".length()));
        BatchWriter<Object> w = identityItems(c, job, 1000);
        int n = linesOf(r, 2) + linesOf(r, 3);
        for (int i = 0; i < n; i++) {
          w.write(Map.of("x", i));
          if (i == 50) {
            w.flush(); // python's 15 s interval fired here; our writer has no timer, the caller flushes
          }
        }
        w.close();
      });
    }
    replay(H, "test_batchuploader/test_writer_contentencoding.json",
        r -> r.skip(0, jobq).skip(1, jobq).skip(4, jobq).skip(5, jobq), (r, c) -> {
          JobKey j1 = JobKey.parse(r.interaction(2).path.substring("/items/".length()));
          BatchWriter<Object> w = identityItems(c, j1, 1000);
          for (int i = 0; i < 111; i++) {
            w.write(Map.of("x", i));
          }
          w.close();
          assertEquals(111, c.getJob(j1).items().count());
          JobKey j2 = JobKey.parse(r.interaction(6).path.substring("/items/".length()));
          BatchWriter<Object> g = c.getJob(j2).writer(JobDataType.ITEMS, WriterOptions.defaults()); // gzip, as the official items writer
          for (int i = 0; i < 111; i++) {
            g.write(Map.of("x", i));
          }
          g.close();
          assertEquals(111, c.getJob(j2).items().count());
        });
    for (String v : new String[] {"test_writer_maxitemsize.json", "test_writer_maxitemsize_custom.json"}) {
      boolean custom = v.contains("custom");
      replay(H, "test_batchuploader/" + v, r -> r.skip(0, jobq).skip(1, jobq), (r, c) -> {
        WriterOptions o = custom ? WriterOptions.defaults().withMaxRecordBytes(10 * 1024) : WriterOptions.defaults();
        BatchWriter<Object> w = c.getJob(JobKey.parse("2222222/1/1451")).writer(JobDataType.ITEMS, o);
        int size = custom ? 10 * 1024 : 1024 * 1024;
        assertThrows(ValueTooLargeException.class, () -> w.write(Map.of("b", "x".repeat(size))));
        assertEquals(0, w.close().records());
        assertEquals(0, r.served().size(), "nothing is uploaded");
      });
    }
  }

  private static int linesOf(CassetteReplayer r, int i) {
    return r.interaction(i).requestJsonLines().size();
  }
}
