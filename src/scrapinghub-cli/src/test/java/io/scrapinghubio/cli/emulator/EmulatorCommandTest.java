package io.scrapinghubio.cli.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.cli.console.CliContext;
import io.scrapinghubio.cli.ScrapinghubCli;
import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ClientConfig;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.BufferedReader;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code emulator}: prints its ready line, serves the demo project to a real client, stops by itself. */
class EmulatorCommandTest {
  private static final Pattern READY =
      Pattern.compile("Scrapy Cloud emulator ready on (\\S+) \\(storage API\\) and (\\S+) \\(dash API\\)");

  @Test
  void servesUntilStopped() throws Exception {
    PipedWriter pipe = new PipedWriter();
    BufferedReader out = new BufferedReader(new PipedReader(pipe, 1 << 16));
    StringWriter err = new StringWriter();
    CliContext context = CliContext.of(Map.of(), new PrintWriter(pipe, true), new PrintWriter(err, true));
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> ScrapinghubCli.commandLine(context)
        .execute("emulator", "--port=0", "--demo-jobs=3", "--demo-items-per-job=50", "--crawl-spider=books", "--stop-after=5s"));

    assertEquals("Project 2222222 has 3 finished demo jobs x 50 items; spiders books run when scheduled; "
        + "any API key accepted. Ctrl-C stops it.", out.readLine());
    String ready = out.readLine();
    Matcher m = READY.matcher(ready);
    assertTrue(m.matches(), ready);
    ClientConfig config = ClientConfig.builder().apiKey("anykeyanykeyanykeyanykeyanykey12")
        .storageEndpoint(m.group(1)).dashEndpoint(m.group(2)).build();
    try (ScrapinghubClient client = ScrapinghubClient.create(config)) {
      assertEquals(3, client.getProject(2222222).jobs().count(JobQuery.all()));
      String job = client.getProject(2222222).jobs().list(JobQuery.all()).get(0).key().toString();
      assertEquals(50, client.getJob(job).items().list().size());
    }
    assertEquals(0, exit.get(60, TimeUnit.SECONDS), err.toString());
    assertEquals("Stopped after 5s.", out.readLine());
  }
}
