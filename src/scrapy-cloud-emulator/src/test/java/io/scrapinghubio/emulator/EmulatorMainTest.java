package io.scrapinghubio.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmulatorMainTest {

  private static String[] run(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = EmulatorMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(0)); // stops once ready
    return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void helpPrintsUsage() throws Exception {
    String[] r = run("--help");
    assertEquals("0", r[0]);
    assertTrue(r[1].contains("--demo-items-per-job"));
  }

  @Test
  void badOptionIsNamed() throws Exception {
    String[] r = run("--port", "80x");
    assertEquals("2", r[0]);
    assertTrue(r[2].startsWith("error: option --port: not a number: 80x"), r[2]);
    r = run("--frobnicate");
    assertTrue(r[2].startsWith("error: unknown option: --frobnicate"), r[2]);
    r = run("--apikey");
    assertTrue(r[2].startsWith("error: option --apikey needs a value"), r[2]);
  }

  @Test
  void startsAndPrintsEndpoints() throws Exception {
    String[] r = run("--port", "0", "--apikey", "K", "--demo-jobs", "2", "--demo-items-per-job", "10",
        "--latency-ms", "1", "--no-gzip");
    assertEquals("0", r[0]);
    assertTrue(r[1].contains("storage endpoint: http://127.0.0.1:"), r[1]);
    assertTrue(r[1].contains("/api/"), r[1]);
    assertTrue(r[1].contains("2 jobs x 10 items"), r[1]);
  }

  @Test
  void printsOneReadyLineWithBothUrlsLast() throws Exception {
    String[] r = run("--port", "0", "--demo-jobs", "1", "--demo-items-per-job", "5");
    assertEquals("0", r[0]);
    List<String> lines = r[1].lines().toList();
    List<String> readyLines = lines.stream().filter(l -> l.startsWith(EmulatorReadyLine.PREFIX)).toList();
    assertEquals(1, readyLines.size(), r[1]);
    assertEquals(readyLines.get(0), lines.get(lines.size() - 1), "the ready line comes last");
    EmulatorReadyLine ready = EmulatorReadyLine.parse(readyLines.get(0)).orElseThrow();
    assertTrue(ready.storageUrl().matches("http://127\\.0\\.0\\.1:[1-9]\\d*/"), ready.storageUrl());
    assertEquals(ready.storageUrl() + "api/", ready.dashUrl());
    assertTrue(r[1].contains("storage endpoint: " + ready.storageUrl()), r[1]);
  }

  /** Keys that must not show in ps come from a file; its errors name the file, never a key. */
  @Test
  void acceptsKeysFromAFile(@TempDir Path dir) throws Exception {
    String secret = "pr1vatepr1vatepr1vatepr1vatepr1v";
    Path file = Files.writeString(dir.resolve("keys"), secret + "\n\n  other-key  \n");
    assertEquals(List.of("K", secret, "other-key"), EmulatorMain.parse(new String[] {"--apikey", "K", "--apikey-file", file.toString()}).keys);
    String[] r = run("--port", "0", "--apikey-file", file.toString());
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("auth: 2 API key(s) accepted"), r[1]);
    assertFalse(r[1].contains(secret), r[1]);

    r = run("--apikey-file", dir.resolve("missing").toString());
    assertEquals("2", r[0]);
    assertTrue(r[2].startsWith("error: option --apikey-file: cannot read " + dir.resolve("missing")), r[2]);
    Path blank = Files.writeString(dir.resolve("blank"), "\n \n");
    r = run("--apikey-file", blank.toString());
    assertTrue(r[2].startsWith("error: option --apikey-file: " + blank + " holds no key"), r[2]);
  }

  /** A port in use and an address this machine does not have: one line naming the option, no stack trace. */
  @Test
  void aPortInUseOrABadHostIsOneLine() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      String[] r = run("--port", Integer.toString(taken.getLocalPort()));
      assertEquals("1", r[0]);
      assertEquals(1, r[2].lines().count(), r[2]);
      assertTrue(r[2].startsWith("error: cannot listen on 127.0.0.1:" + taken.getLocalPort()) && r[2].contains("--port"), r[2]);
    }
    String[] r = run("--host", "192.0.2.1", "--port", "0"); // TEST-NET-1: on no interface here
    assertEquals("1", r[0]);
    assertEquals(1, r[2].lines().count(), r[2]);
    assertTrue(r[2].contains("192.0.2.1") && r[2].contains("--host"), r[2]);
  }

  @Test
  void printsNoReadyLineWhenItDoesNotStart() throws Exception {
    assertFalse(run("--help")[1].contains(EmulatorReadyLine.PREFIX));
    assertFalse(run("--port", "x")[1].contains(EmulatorReadyLine.PREFIX));
  }

  @Test
  void namesTheProjectsThatExist() throws Exception {
    String[] r = run("--port", "0", "--project", "11", "--spider", "12/books", "--demo-jobs", "1", "--demo-items-per-job", "1",
        "--demo-project", "13");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("projects: 11, 12, 13"), r[1]);
    assertTrue(run("--port", "0")[1].contains("projects: none"), "a bare emulator says that every project is refused");
    r = run("--spider", "books");
    assertEquals("2", r[0]);
    assertTrue(r[2].startsWith("error: option --spider: expected PROJECT_ID/SPIDER_NAME, but was 'books'"), r[2]);
  }

  @Test
  void networkOptionsAreParsedAndSaid() throws Exception {
    EmulatorMain.Options o = EmulatorMain.parse(new String[] {"--latency-ms", "20", "--latency-jitter-ms", "30",
        "--bandwidth-mbps", "0.5", "--fault-seed", "9"});
    assertEquals(20, o.latencyMs);
    assertEquals(30, o.latencyJitterMs);
    assertEquals(0.5, o.bandwidthMbps);
    assertEquals("latency 20 ms + 0..30 ms jitter (seed 9), 0.5 MB/s per response stream", EmulatorMain.network(o));
    assertTrue(run("--help")[1].contains("--bandwidth-mbps X       bandwidth in MB/s per response stream"), "the unit is named");
    String[] r = run("--port", "0", "--bandwidth-mbps", "12.5");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("network: latency 0 ms, 12.5 MB/s per response stream"), r[1]);
    assertFalse(run("--port", "0")[1].contains("network:"), "nothing to say about loopback");
  }

  @Test
  void badNetworkValuesAreNamed() throws Exception {
    String[] r = run("--bandwidth-mbps", "-1");
    assertEquals("2", r[0]);
    assertTrue(r[2].startsWith("error: option --bandwidth-mbps: expected MB/s per response stream >= 0 (0 = unlimited), but was -1"),
        r[2]);
    r = run("--bandwidth-mbps", "NaN");
    assertTrue(r[2].startsWith("error: option --bandwidth-mbps: expected MB/s per response stream >= 0 (0 = unlimited), but was NaN"),
        r[2]);
    r = run("--bandwidth-mbps", "fast");
    assertTrue(r[2].startsWith("error: option --bandwidth-mbps: not a number of MB/s: fast"), r[2]);
    r = run("--latency-jitter-ms", "-5");
    assertEquals("2", r[0]);
    assertTrue(r[2].startsWith("error: option --latency-jitter-ms: -5 is out of range 0..600000"), r[2]);
    r = run("--bandwidth-mbps");
    assertTrue(r[2].startsWith("error: option --bandwidth-mbps needs a value"), r[2]);
  }

  @Test
  void faultRateInstallsTheMixAndSaysSo() throws Exception {
    EmulatorMain.Options o = EmulatorMain.parse(new String[] {"--fault-rate", "0.1", "--fault-seed", "9"});
    assertEquals(0.1, o.faultRate);
    assertEquals(9, o.faultSeed);
    String[] r = run("--port", "0", "--fault-rate", "0.25");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("faults: 25.0% of requests fail"), r[1]);
    assertFalse(run("--port", "0")[1].contains("faults:"), "no faults unless asked for");
    r = run("--fault-rate", "10");
    assertEquals("2", r[0]);
    assertTrue(r[2].startsWith("error: option --fault-rate: 10 is out of range 0..1"), r[2]);
    r = run("--fault-rate", "ten");
    assertTrue(r[2].startsWith("error: option --fault-rate: not a number between 0 and 1: ten"), r[2]);
  }
}
