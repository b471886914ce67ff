package io.scrapinghubio.emulator;

import static io.scrapinghubio.emulator.TestHttp.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code run.json} schedules only spiders that were deployed (configured), as a real project after
 * a deploy; JobQ still gives any name an id (recorded), but that does not deploy it.
 */
class EmulatorSpiderDeploymentTest {
  private static final long P = 9101;

  @Test
  void runJsonRefusesASpiderThatWasNeverDeployed() {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey("KEY").spiders(P, "books").start()) {
      TestHttp d = new TestHttp(emu.dashUrl(), "KEY");
      TestHttp.Reply refused = d.form("run.json", "project=" + P + "&spider=boks");
      assertEquals(400, refused.code());
      assertEquals("{\"status\":\"error\",\"message\":\"Spider boks not found\"}", refused.text());
      assertTrue(emu.state().findProject(P).orElseThrow().jobs().isEmpty(), "no job was created");
      assertEquals("ok", map(d.form("run.json", "project=" + P + "&spider=books").json()).get("status"));
    }
  }

  @Test
  void anIdFromJobqIsNotADeploy() {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey("KEY").spiders(P, "books").start()) {
      TestHttp h = new TestHttp(emu, "KEY");
      h.post("jobq/" + P + "/push", "{\"spider\": \"pushed\"}");
      assertEquals("2", h.get("ids/" + P + "/spider/pushed").text());
      TestHttp d = new TestHttp(emu.dashUrl(), "KEY");
      assertEquals(400, d.form("run.json", "project=" + P + "&spider=pushed").code());
      assertEquals(400, d.form("run.json", "project=" + P + "&jobq_id=2").code());
      List<?> listed = (List<?>) map(d.get("spiders/list.json?project=" + P).json()).get("spiders");
      assertEquals(List.of("books"), listed.stream().map(s -> ((Map<?, ?>) s).get("id")).toList());
      assertEquals(404, d.get("v2/projects/" + P + "/spiders/2").code());
    }
  }

  @Test
  void spidersTheCrawlSimulationDeclaresAreDeployed() {
    CrawlSimulation sim = CrawlSimulation.builder().spider("declared", CrawlSimulation.Spider.defaults()).build();
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey("KEY").projects(P).crawlSimulation(sim).start()) {
      TestHttp d = new TestHttp(emu.dashUrl(), "KEY");
      assertEquals(200, d.form("run.json", "project=" + P + "&spider=declared").code());
      assertEquals(400, d.form("run.json", "project=" + P + "&spider=undeclared").code());
    }
  }
}
