package io.scrapinghubio.emulator.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.Job;
import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each setting of the container reaches the emulator: latency, gzip, demo project, key; and the
 * container is "started" only once the emulator answers. Containers are started here by hand
 * (try-with-resources), one per setting, as a user without the JUnit extension would.
 */
@ExtendWith(EmulatorImageUnderTest.class)
class ContainerSettingsTest {

  /** GET of a storage path with the container's key; returns the connection after the body was read. */
  private static HttpURLConnection get(ScrapyCloudEmulatorContainer c, String path) throws Exception {
    HttpURLConnection http = (HttpURLConnection) new URL(c.getStorageUrl() + path).openConnection();
    http.setRequestProperty("Authorization",
        "Basic " + Base64.getEncoder().encodeToString((c.getApiKey() + ":").getBytes(StandardCharsets.UTF_8)));
    http.setRequestProperty("Accept-Encoding", "gzip");
    try (InputStream in = http.getInputStream()) {
      in.readAllBytes();
    }
    return http;
  }

  @Test
  void latencyIsAddedToEveryResponse() throws Exception {
    try (ScrapyCloudEmulatorContainer c = EmulatorImageUnderTest.container().withDemoData(1, 10)
        .withLatency(Duration.ofMillis(400))) {
      c.start();
      get(c, "items/" + c.getDemoProject() + "/1/1?count=1"); // warm-up: JIT and connection
      long t0 = System.nanoTime();
      assertEquals(200, get(c, "items/" + c.getDemoProject() + "/1/1?count=1").getResponseCode());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms >= 400, "400 ms of latency, took " + ms + " ms");
    }
  }

  @Test
  void gzipCanBeTurnedOff() throws Exception {
    try (ScrapyCloudEmulatorContainer gzip = EmulatorImageUnderTest.container().withDemoData(1, 50);
        ScrapyCloudEmulatorContainer plain = EmulatorImageUnderTest.container().withDemoData(1, 50).withGzip(false)) {
      gzip.start();
      plain.start();
      String items = "items/" + gzip.getDemoProject() + "/1/1";
      assertEquals("gzip", get(gzip, items).getHeaderField("Content-Encoding"));
      assertNull(get(plain, items).getHeaderField("Content-Encoding"));
    }
  }

  @Test
  void demoProjectAndKeyAreTheContainers() throws Exception {
    try (ScrapyCloudEmulatorContainer c = EmulatorImageUnderTest.container().withDemoProject(7654321)
        .withDemoData(2, 5).withApiKey("abcdefabcdefabcdefabcdefabcdefab")) {
      c.start();
      assertEquals(200, get(c, "items/7654321/2/2?count=1").getResponseCode());
      assertTrue(c.getLogs().contains("project 7654321, 2 jobs x 5 items"), c.getLogs());
      assertEquals("abcdefabcdefabcdefabcdefabcdefab", c.clientConfig().apiKey().reveal());
    }
  }

  @Test
  void aCrawlSimulationRunsTheJobsScheduledInTheContainer() throws Exception {
    CrawlSimulation sim = CrawlSimulation.builder().pendingTime(Duration.ZERO).itemsPerSecond(100).itemsPerPage(3)
        .itemsPerJob(9).spider("books", CrawlSimulation.Spider.defaults()).build();
    try (ScrapyCloudEmulatorContainer c = EmulatorImageUnderTest.container().withProjects(4242).withCrawlSimulation(sim)) {
      c.start();
      try (ScrapinghubClient client = ScrapinghubClient.create(c.clientConfig())) {
        Job job = client.getProject(4242).jobs().run(RunRequest.of("books"));
        // Waits for the job's end (90 ms of crawling), whatever the engine's speed: what is asserted is what it wrote.
        for (int i = 0; i < 600 && !"finished".equals(job.metadata().get("state").asText()); i++) {
          Thread.sleep(50);
        }
        assertEquals("finished", job.metadata().get("state").asText());
        assertEquals(9, job.items().list(job.items().spec()).size());
        assertEquals(3, job.requests().list(job.requests().spec()).size(), "9 items, 3 to a page");
      }
    }
  }
}
