package io.scrapinghubio.cli;

import io.scrapinghubio.cli.console.CliContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.demo.DemoData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Bad usage and failed runs: one line on stderr that names the bad value and what was expected,
 * exit code 2 when nothing was started, 1 when the run failed; no stack trace; the key never shows.
 */
class UsageErrorsTest {
  private static final String KEY = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
  private static final Map<String, String> WITH_KEY = Map.of("SH_APIKEY", KEY);

  private static CliRun usageError(Map<String, String> env, String... args) {
    CliRun run = CliRun.run(env, args);
    assertEquals(2, run.exitCode(), run.toString());
    assertOneLine(run);
    assertEquals("", run.out(), "nothing started: " + run);
    return run;
  }

  private static void assertOneLine(CliRun run) {
    assertEquals(1, run.errLines().size(), "exactly one line: " + run);
    assertTrue(run.err().startsWith("error: "), run.toString());
    assertFalse(run.err().contains("\tat "), "no stack trace: " + run);
    assertFalse(run.out().contains(KEY) || run.err().contains(KEY), "the key is never printed: " + run);
  }

  private static void assertMentions(CliRun run, String... parts) {
    for (String p : parts) {
      assertTrue(run.err().contains(p), "'" + p + "' in: " + run);
    }
  }

  @Test
  void unknownOption() {
    assertMentions(usageError(Map.of(), "export", "--frobnicate=1"), "Unknown option: '--frobnicate=1'",
        "Beam pipeline options go after --", "export --help");
    assertMentions(usageError(Map.of(), "export", "--outptu=x"), "'--outptu=x'", "did you mean --output");
  }

  /**
   * A --flink-master that does not answer is one line naming it (it was "UnknownHostException:
   * jobmanager" after 12 s); a --parallelism above the cluster's task slots (from its
   * {@code /overview}) is refused before anything is submitted.
   */
  @Test
  void aFlinkClusterIsAskedForItsSlotsFirst() throws Exception {
    com.sun.net.httpserver.HttpServer jm = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    jm.createContext("/overview", x -> {
      byte[] body = "{\"taskmanagers\":2,\"slots-total\":2,\"slots-available\":2}".getBytes();
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    jm.start();
    try {
      String master = "127.0.0.1:" + jm.getAddress().getPort();
      assertMentions(usageError(WITH_KEY, "export", "--project=1", "--flink-master=" + master, "--parallelism=3"),
          "--parallelism=3", "2 task slots", master);
    } finally {
      jm.stop(0);
    }
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    CliRun refused = CliRun.run(WITH_KEY, "export", "--project=1", "--flink-master=127.0.0.1:" + closed, "--output=x");
    assertEquals(1, refused.exitCode(), refused.toString());
    assertEquals(1, refused.errLines().size(), refused.toString());
    assertTrue(refused.err().contains("cannot reach the Flink cluster at --flink-master=127.0.0.1:" + closed)
        && refused.err().contains("connection refused"), refused.toString());
  }

  @Test
  void badValues() {
    assertMentions(usageError(WITH_KEY, "export", "--project=abc"), "'abc' is not a project id", "positive integer");
    assertMentions(usageError(WITH_KEY, "export", "--project=-5"), "'-5' is not a project id");
    assertMentions(usageError(WITH_KEY, "export", "--jobs=123/4"), "'123/4' is not a job key", "PROJECT/SPIDER/JOB");
    assertMentions(usageError(WITH_KEY, "export", "--state=done"), "'done' is not a job state",
        "pending, running, finished, deleted");
    assertMentions(usageError(WITH_KEY, "export", "--project=1", "--start=yesterday"), "'yesterday' is not a time");
    assertMentions(usageError(WITH_KEY, "export", "--project=1", "--start=2024-06-01", "--end=1714521600000"),
        "--start=2024-06-01T00:00:00Z is not before --end=2024-05-01T00:00:00Z");
    assertMentions(usageError(WITH_KEY, "export", "--project=1", "--start=1714521600000", "--end=2024-05-01"),
        "is not before --end");
    assertMentions(usageError(WITH_KEY, "export", "--runner=spark"), "'spark'", "direct, flink");
    assertMentions(usageError(WITH_KEY, "export", "--flink-master=localhost"), "'localhost' is not host:port");
    assertMentions(usageError(WITH_KEY, "export", "--runner=direct", "--flink-master=jm:8081"), "--flink-master=jm:8081");
    assertMentions(usageError(WITH_KEY, "export", "--parallelism=0"), "'0' is not valid", ">= 1");
    // more slots than one JVM's heap and network buffers hold: refused at once, not a hang
    assertMentions(usageError(WITH_KEY, "export", "--project=1", "--parallelism=2000"), "--parallelism=2000", "1..64",
        "--flink-master");
    assertMentions(usageError(WITH_KEY, "export", "--project=1", "--jobs=2/1/1"), "--jobs=2/1/1 is not a job of --project=1");
    assertMentions(usageError(WITH_KEY, "export", "--jobs=2/1/1", "--spider=a"), "--jobs", "--spider");
    assertMentions(usageError(WITH_KEY, "export", "--project=1", "--output=-", "--flink-master=jm:8081"),
        "--output=-", "standard output", "--flink-master");
    assertMentions(usageError(Map.of(), "follow", "--output=-"), "--output=-", "for export", "expected a directory");
    assertMentions(usageError(Map.of(), "schedule", "--spider=books", "--output=-"), "--output=-", "for export");
    assertMentions(usageError(WITH_KEY, "export", "--project=1", "--output=-", "--overwrite"), "--overwrite", "--output=-");
    assertMentions(usageError(WITH_KEY, "export", "--project=1", "--output=-", "--shards=3"), "--shards=3", "--output=-");
    assertMentions(usageError(WITH_KEY, "export", "--project=1", "--output=-", "--compression=gzip"), "--compression=gzip",
        "| gzip");
    assertMentions(usageError(WITH_KEY, "export", "--compression=lz4"), "'lz4'", "none, gzip, zstd");
    assertMentions(usageError(WITH_KEY, "export", "--format=xml"), "'xml'", "jsonl, csv, parquet");
    assertMentions(usageError(WITH_KEY, "export", "--project=1", "--format=parquet", "--output=-"),
        "--format=parquet", "--output=-", "expected --output=DIR");
    assertMentions(usageError(WITH_KEY, "export", "--project=1", "--format=parquet", "--data-type=samples"),
        "--format=parquet", "samples are arrays", "--format=jsonl");
    assertMentions(usageError(WITH_KEY, "export", "--project=1", "--format=parquet", "--with=key"),
        "--with", "--format=parquet", "expected --format=jsonl");
    assertMentions(usageError(WITH_KEY, "export", "--project=1", "--format=csv", "--data-type=samples"),
        "--format=csv", "samples are arrays", "--format=jsonl");
    assertMentions(usageError(WITH_KEY, "export", "--project=1", "--format=csv", "--with=key,spider"),
        "--with", "--format=csv", "expected --format=jsonl");
    assertMentions(usageError(WITH_KEY, "export", "--data-type=item"), "'item'", "items, logs, requests, samples");
    assertMentions(usageError(WITH_KEY, "export", "--project=1", "--endpoint=storage.example.com"),
        "--endpoint=storage.example.com is not a URL");
    assertMentions(usageError(Map.of(), "schedule", "--spider=books", "--each=category"), "--each=category",
        "NAME=V1,V2");
    assertMentions(usageError(Map.of(), "schedule", "--spider=books", "--poll=soon"), "'soon' is not a duration");
    assertMentions(usageError(Map.of(), "schedule", "--spider=books", "--priority=7"), "--priority=7", "0 to 4");
    assertMentions(usageError(Map.of(), "schedule"), "--spider");
    assertMentions(usageError(Map.of()), "missing command", "export, load, follow, schedule, emulator");
    // The emulator's own checks (EmulatorMain's, the same for its command line and container), before it starts.
    assertMentions(usageError(Map.of(), "emulator", "--bandwidth-mbps=-1"), "--bandwidth-mbps",
        "MB/s per response stream >= 0", "but was -1");
    assertMentions(usageError(Map.of(), "emulator", "--bandwidth-mbps=fast"), "not a number of MB/s: fast");
    assertMentions(usageError(Map.of(), "emulator", "--latency-jitter-ms=-5"), "--latency-jitter-ms",
        "-5 is out of range 0..600000");
  }

  @Test
  void spiderArgumentsAndTagsNameTheBadValue() {
    CliRun arg = usageError(Map.of(), "schedule", "--spider=books", "-a", "foo");
    assertMentions(arg, "--arg=foo is not NAME=VALUE", "-a country=fr");
    assertFalse(arg.err().contains("option option"), arg.toString());
    assertMentions(usageError(Map.of(), "schedule", "--spider=books", "-a", "=x"), "--arg==x is not NAME=VALUE");
    assertMentions(usageError(Map.of(), "schedule", "--spider=books", "-a", "n=1", "-a", "n=2"), "--arg=n=2",
        "sets n a second time");
    assertMentions(usageError(Map.of(), "schedule", "--spider=books", "--tag="), "--tag='' is empty");
    assertMentions(usageError(Map.of(), "schedule", "--spider=books", "--close-reason=,"), "--close-reason=",
        "names no close reason");
  }

  /** An endpoint given for one API never leaves the other on the public host, where the key would go too. */
  @Test
  void anEndpointAloneThatIsNotAnEmulatorsIsRefused() {
    assertMentions(usageError(WITH_KEY, "export", "--project=1", "--endpoint=https://storage.example.com/"),
        "--endpoint=https://storage.example.com/ was given without --dash-endpoint", "expected --dash-endpoint=URL");
    assertMentions(usageError(WITH_KEY, "export", "--project=1", "--endpoint=http://127.0.0.1:8080/storage/"),
        "--endpoint=http://127.0.0.1:8080/storage/", "expected --dash-endpoint=URL");
    assertMentions(usageError(WITH_KEY, "schedule", "--project=1", "--spider=books",
        "--dash-endpoint=https://dash.example.com/api/"), "--dash-endpoint=https://dash.example.com/api/ was given "
        + "without --endpoint", "expected --endpoint=URL");
    assertMentions(usageError(WITH_KEY, "follow", "--project=1", "--endpoint=http://10.0.0.5:8080/"),
        "--endpoint=http://10.0.0.5:8080/", "--dash-endpoint");
  }

  /** The emulator serves its dash API under api/ on the same port: an --endpoint of its gives the dash endpoint. */
  @Test
  void anEmulatorsEndpointAloneGivesItsDashEndpoint(@TempDir Path dir) throws Exception {
    // An empty selection makes the read check the project through the dash API.
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DemoData.of(1, 10)).start()) {
      CliRun run = CliRun.run(WITH_KEY, "export", "--project=2222222", "--endpoint=" + emu.storageUrl(),
          "--has-tag=no-such-tag", "--runner=direct", "--progress=none", "--output=" + dir.resolve("none"));
      assertEquals(0, run.exitCode(), run.toString());
      assertFalse(emu.requestLog().matching("GET", "^/api/scrapyd/listprojects\\.json$").isEmpty(),
          "the dash API of the emulator was asked, not the public one: " + run);
    }
  }

  @Test
  void beamOptionsPassThroughAfterDoubleDash() {
    assertMentions(usageError(Map.of(), "export", "--", "--noSuchBeamOption=1"),
        "--noSuchBeamOption is not a Beam pipeline option");
    assertMentions(usageError(Map.of(), "export", "--", "--maxBundleSize=lots"), "bad Beam pipeline option",
        "lots");
    assertMentions(usageError(Map.of(), "export", "stray"), "unexpected argument 'stray'", "after --");
    assertMentions(usageError(Map.of(), "export", "--", "--runner=SparkRunner"), "--runner=SparkRunner",
        "--runner direct|flink");
  }

  @Test
  void keyAndProject(@TempDir Path dir) throws Exception {
    assertMentions(usageError(Map.of(), "export", "--project=123"), "no API key", "SH_APIKEY", "--apikey-file");
    assertMentions(usageError(WITH_KEY, "export"), "no --project", "--project=ID");
    assertMentions(usageError(Map.of(), "export", "--apikey-file=" + dir.resolve("missing")), "does not exist");
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertMentions(usageError(Map.of(), "export", "--project=1", "--apikey-file=" + empty), "is empty");
    Path spaced = Files.writeString(dir.resolve("spaced"), KEY + " " + KEY);
    assertMentions(usageError(Map.of(), "export", "--project=1", "--endpoint=http://127.0.0.1:1/",
        "--apikey-file=" + spaced), "holds more than one word");
    Path colon = Files.writeString(dir.resolve("colon"), KEY + ":");
    assertMentions(usageError(Map.of(), "export", "--project=1", "--endpoint=http://127.0.0.1:1/",
        "--apikey-file=" + colon), "is not usable");
  }

  @Test
  void existingOutput(@TempDir Path dir) throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    assertMentions(usageError(Map.of(), "export", "--output=" + out), "--output=" + out + " already exists",
        "--overwrite");
    assertMentions(usageError(Map.of(), "schedule", "--spider=books", "--output=" + out), "already exists");
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertMentions(usageError(Map.of(), "export", "--overwrite", "--output=" + file), "is a file");
  }

  @Test
  void unreachableEndpointFailsTheRunQuickly(@TempDir Path dir) {
    CliRun run = CliRun.run(WITH_KEY, "export", "--project=1", "--endpoint=http://127.0.0.1:1/",
        "--output=" + dir.resolve("out"));
    assertEquals(1, run.exitCode(), run.toString());
    assertOneLine(run);
    assertMentions(run, "cannot use Scrapy Cloud at http://127.0.0.1:1/");
    assertFalse(Files.exists(dir.resolve("out")), "nothing written");
  }

  @Test
  void wrongKeyAndMissingJobFailTheRun(@TempDir Path dir) throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey("ffffffffffffffffffffffffffffffff")
        .demoData(DemoData.of(1, 10)).start()) {
      String endpoint = "--endpoint=" + emu.storageUrl();
      CliRun refused = CliRun.run(WITH_KEY, "export", "--project=2222222", endpoint, "--output=" + dir.resolve("a"));
      assertEquals(1, refused.exitCode(), refused.toString());
      assertOneLine(refused);
      assertMentions(refused, "cannot use Scrapy Cloud at " + emu.storageUrl());
      CliRun verbose = CliRun.run(WITH_KEY, "export", "--project=2222222", endpoint, "--output=" + dir.resolve("a"),
          "--verbose");
      assertEquals(1, verbose.exitCode(), verbose.toString());
      assertTrue(verbose.err().contains("\tat "), "--verbose shows the stack trace: " + verbose);
      assertFalse(verbose.err().contains(KEY), "not even in a stack trace: " + verbose);

      Path keyFile = Files.writeString(dir.resolve("key"), "ffffffffffffffffffffffffffffffff\n");
      CliRun missing = CliRun.run(Map.of(), "export", "--jobs=2222222/1/999", endpoint, "--apikey-file=" + keyFile,
          "--output=" + dir.resolve("b"));
      assertEquals(1, missing.exitCode(), missing.toString());
      assertOneLine(missing);
      assertMentions(missing, "job 2222222/1/999 was not found");
      assertFalse(missing.err().contains("ffffffffffffffffffffffffffffffff"), missing.toString());
    }
  }

  /** Every option of every command says its default in --help. */
  @Test
  void helpListsEveryOptionWithItsDefault() {
    CommandLine cli = ScrapinghubCli.commandLine(CliContext.of(Map.of(), new java.io.PrintWriter(new java.io.StringWriter()),
        new java.io.PrintWriter(new java.io.StringWriter())));
    for (String command : List.of("export", "schedule", "emulator")) {
      CliRun help = CliRun.run(command, "--help");
      assertEquals(0, help.exitCode(), help.toString());
      CommandSpec spec = cli.getSubcommands().get(command).getCommandSpec();
      for (OptionSpec o : spec.options()) {
        if (o.usageHelp() || o.versionHelp()) {
          continue;
        }
        assertTrue(String.join(" ", o.description()).contains("default") || o.required(),
            command + " " + o.longestName() + " says its default");
        assertTrue(help.out().contains(o.longestName()), command + " --help lists " + o.longestName());
      }
    }
  }

  /** An unknown spider is refused before anything starts, naming the project's spiders (it took 21 s and a Flink trace). */
  @Test
  void anUnknownSpiderIsRefusedAtOnceNamingTheKnownOnes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    CliRun run = CliRun.run(Map.of(), "export", "--spider=prodcts", "--output=" + dir.resolve("out"));
    assertEquals(2, run.exitCode(), run.toString());
    assertOneLine(run);
    assertMentions(run, "--spider=prodcts", "has no spider prodcts", "products");
    org.junit.jupiter.api.Assertions.assertFalse(java.nio.file.Files.exists(dir.resolve("out")), "nothing written");
  }
}
