package io.scrapinghubio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.cli.export.InferredRows;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.demo.DemoData;
import io.scrapinghubio.emulator.store.RecordType;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.schemas.Schema;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export --output=s3://bucket/prefix} as a process of the executable jar, against a real
 * S3-API server on loopback (s3proxy, filesystem backend) reached only through the AWS environment
 * variables: the published objects equal the service's items; a failed, a stopped (Ctrl-C) and a
 * killed (kill -9) export publish nothing under the prefix; a prefix that holds objects is refused
 * without --overwrite and replaced with it; the credentials never appear in what the command prints.
 */
@Tag("jar")
class S3ExportIT {
  private static final String KEY = "4d3c2b1a0f9e8d7c6b5a49382716f5e4";
  private static final String BUCKET = "exports";
  private static final String PREFIX = "runs/items/";
  private static final String OUTPUT = "--output=s3://" + BUCKET + "/runs/items";
  /** Where a run of {@link #OUTPUT} stages its files, beside the prefix. */
  private static final String STAGING = "runs/.items.in-progress-";
  private static final Duration BOUND = Duration.ofMinutes(3);

  private static CommandProcess jar(Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(CommandProcess.SIGINT_ENABLED);
    cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-jar",
        System.getProperty("cli.jar")));
    cmd.addAll(List.of(args));
    return new CommandProcess(cmd, null, env);
  }

  private static Map<String, String> env(S3Server s3, boolean withKey) {
    Map<String, String> env = new HashMap<>(s3.awsEnvironment());
    if (withKey) {
      env.put("SH_APIKEY", KEY);
    }
    return env;
  }

  private static void signal(CommandProcess p, String signal) throws Exception {
    assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.process.pid())).start().waitFor());
  }

  private static void assertNoCredentials(CommandProcess p) {
    String out = p.output();
    assertFalse(out.contains(S3Server.SECRET_KEY), "the secret key is never printed: " + out);
    assertFalse(out.contains(S3Server.ACCESS_KEY), "the access key id is never printed: " + out);
    assertFalse(out.contains(KEY), "the Scrapy Cloud key is never printed: " + out);
  }

  /** The published part files (the marker aside). */
  private static List<String> parts(S3Server s3) {
    return s3.keys(BUCKET, PREFIX).stream().filter(k -> !k.endsWith("/_SUCCESS")).toList();
  }

  /**
   * An export with --consumed-tag and --verbose (every log line printed): the part files under the
   * prefix hold exactly the stored items, the marker lists them, nothing stays staged, every job is
   * tagged after the publish.
   */
  @Test
  void anExportToS3EqualsTheStoredItems(@TempDir Path dir) throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DemoData.of(6, 300)).start();
        S3Server s3 = new S3Server(dir, BUCKET)) {
      CommandProcess run = jar(env(s3, true), "export", "--project=" + DemoData.DEFAULT_PROJECT,
          "--endpoint=" + emu.storageUrl(), "--consumed-tag=exported", "--verbose", "--parallelism=2", OUTPUT);
      assertEquals(0, run.waitFor(BOUND), run.output());
      List<String> parts = parts(s3);
      assertFalse(parts.isEmpty(), run.output());
      assertTrue(parts.stream().allMatch(k -> k.matches("runs/items/part-\\d{5}-of-\\d{5}\\.jl")), parts.toString());
      assertEquals(DemoItems.stored(emu, DemoData.DEFAULT_PROJECT), s3.lines(BUCKET, parts), "items as stored");
      assertEquals(parts.stream().map(k -> k.substring(PREFIX.length())).toList(),
          s3.read(BUCKET, PREFIX + "_SUCCESS").lines().sorted().toList(), "the marker lists the files");
      assertEquals(List.of(), s3.keys(BUCKET, STAGING), "nothing left staged");
      assertTrue(run.output().contains("into s3://exports/runs/items/"), run.output());
      assertTrue(run.output().contains("Tagged 6 jobs 'exported'"), run.output());
      assertTrue(emu.state().project(DemoData.DEFAULT_PROJECT).jobs().stream()
          .allMatch(j -> String.valueOf(j.get("tags")).contains("exported")), "every job exported is tagged");
      assertNoCredentials(run);
    }
  }

  /** {@code --format=csv} under an s3:// prefix: each object a CSV file with its header, the rows the stored items'. */
  @Test
  void aCsvExportToS3ReadsBackAsTheStoredItems(@TempDir Path dir) throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DemoData.of(4, 200)).start();
        S3Server s3 = new S3Server(dir, BUCKET)) {
      CommandProcess run = jar(env(s3, true), "export", "--project=" + DemoData.DEFAULT_PROJECT,
          "--endpoint=" + emu.storageUrl(), "--format=csv", "--parallelism=2", OUTPUT);
      assertEquals(0, run.waitFor(BOUND), run.output());
      List<String> parts = parts(s3);
      assertTrue(!parts.isEmpty() && parts.stream().allMatch(k -> k.matches("runs/items/part-\\d{5}-of-\\d{5}\\.csv")),
          parts.toString());
      Schema schema = ScrapinghubIO.read().withConnection(ScrapinghubConnection.create().withApiKey(KEY)
          .withStorageEndpoint(emu.storageUrl()).withDashEndpoint(emu.dashUrl()))
          .withProject(DemoData.DEFAULT_PROJECT).inferSchema();
      Map<String, List<Object>> rows = new TreeMap<>();
      for (String part : parts) {
        rows.putAll(InferredRows.fromCsv(new StringReader(s3.read(BUCKET, part)), schema));
      }
      assertEquals(InferredRows.withEmptyTextAsNull(InferredRows.stored(emu, DemoData.DEFAULT_PROJECT,
          RecordType.ITEMS, schema)), rows);
      assertNoCredentials(run);
    }
  }

  /** {@code --format=parquet} under an s3:// prefix: each object a complete Parquet file, the rows the stored items'. */
  @Test
  void aParquetExportToS3ReadsBackAsTheStoredItems(@TempDir Path dir) throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DemoData.of(4, 200)).start();
        S3Server s3 = new S3Server(dir, BUCKET)) {
      CommandProcess run = jar(env(s3, true), "export", "--project=" + DemoData.DEFAULT_PROJECT,
          "--endpoint=" + emu.storageUrl(), "--format=parquet", "--compression=zstd", "--parallelism=2", OUTPUT);
      assertEquals(0, run.waitFor(BOUND), run.output());
      List<String> parts = parts(s3);
      assertTrue(!parts.isEmpty() && parts.stream().allMatch(k -> k.matches("runs/items/part-\\d{5}-of-\\d{5}\\.parquet")),
          parts.toString());
      Schema schema = ScrapinghubIO.read().withConnection(ScrapinghubConnection.create().withApiKey(KEY)
          .withStorageEndpoint(emu.storageUrl()).withDashEndpoint(emu.dashUrl()))
          .withProject(DemoData.DEFAULT_PROJECT).inferSchema();
      Path copies = Files.createDirectories(dir.resolve("parquet"));
      for (String part : parts) {
        Files.write(copies.resolve(part.substring(part.lastIndexOf('/') + 1)), s3.readBytes(BUCKET, part));
      }
      assertEquals(InferredRows.stored(emu, DemoData.DEFAULT_PROJECT, RecordType.ITEMS, schema),
          InferredRows.fromParquetFiles(copies, schema));
      assertNoCredentials(run);
    }
  }

  /** A prefix that holds objects is left as it is without --overwrite, and wholly replaced with it. */
  @Test
  void anExistingPrefixIsRefusedWithoutOverwriteAndReplacedWithIt(@TempDir Path dir) throws Exception {
    try (S3Server s3 = new S3Server(dir, BUCKET)) {
      s3.write(BUCKET, PREFIX + "old.jl", "{\"old\":true}\n");
      s3.write(BUCKET, PREFIX + "_SUCCESS", "old.jl\n");
      CommandProcess refused = jar(env(s3, false), "export", "--demo-jobs=2", "--demo-items-per-job=50", OUTPUT);
      assertEquals(2, refused.waitFor(BOUND), refused.output());
      assertTrue(refused.output().contains("already holds 2 objects"), refused.output());
      assertEquals(List.of(PREFIX + "_SUCCESS", PREFIX + "old.jl"), s3.keys(BUCKET, "runs/"), "untouched");
      assertNoCredentials(refused);

      CommandProcess replaced = jar(env(s3, false), "export", "--demo-jobs=2", "--demo-items-per-job=50",
          "--overwrite", "--compression=gzip", OUTPUT);
      assertEquals(0, replaced.waitFor(BOUND), replaced.output());
      List<String> parts = parts(s3);
      assertTrue(parts.stream().allMatch(k -> k.endsWith(".jl.gz")), "only the new export's files: " + parts);
      assertEquals(parts.stream().map(k -> k.substring(PREFIX.length())).toList(),
          s3.read(BUCKET, PREFIX + "_SUCCESS").lines().sorted().toList(), "the new marker");
      Map<String, Integer> lines = new HashMap<>();
      for (String k : parts) {
        try (var in = new java.util.zip.GZIPInputStream(s3.client.getObject(r -> r.bucket(BUCKET).key(k)))) {
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
              .forEach(l -> lines.merge(l, 1, Integer::sum));
        }
      }
      assertEquals(DemoItems.demo(2, 50), lines);
      assertEquals(List.of(), s3.keys(BUCKET, STAGING), "nothing left staged");
      assertNoCredentials(replaced);
    }
  }

  /** The service fails mid-export (requests refused): exit 1, nothing under the prefix, nothing staged. */
  @Test
  void aFailedExportPublishesNothing(@TempDir Path dir) throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DemoData.of(12, 2000))
        .latencyMs(20).start();
        S3Server s3 = new S3Server(dir, BUCKET)) {
      // One job's items are refused from the start (a 400 is not retried), so the export fails
      // however fast the others are read: injecting the fault once progress shows raced a quick run.
      List<String> jobs = emu.state().project(DemoData.DEFAULT_PROJECT).jobs().stream().map(j -> j.key()).sorted().toList();
      String refused = jobs.get(jobs.size() - 1);
      emu.faults().failNext(100_000, 400, "GET", "^/items/" + java.util.regex.Pattern.quote(refused) + "(\\?|$)");
      CommandProcess run = jar(env(s3, true), "export", "--project=" + DemoData.DEFAULT_PROJECT,
          "--endpoint=" + emu.storageUrl(), "--progress-seconds=1", "--parallelism=1", OUTPUT);
      assertEquals(1, run.waitFor(BOUND), run.output());
      assertTrue(run.output().contains(refused), "the failure names the job: " + run.output());
      assertEquals(List.of(), s3.keys(BUCKET, PREFIX), "nothing published: " + run.output());
      assertEquals(List.of(), s3.keys(BUCKET, STAGING), "nothing left staged: " + run.output());
      assertNoCredentials(run);
    }
  }

  /** Ctrl-C mid-export: exit 130, nothing under the prefix, the staging prefix removed. */
  @Test
  void ctrlCDuringAnExportPublishesNothing(@TempDir Path dir) throws Exception {
    try (S3Server s3 = new S3Server(dir, BUCKET)) {
      CommandProcess run = jar(env(s3, false), "export", "--demo-jobs=20", "--demo-items-per-job=5000",
          "--progress-seconds=1", "--parallelism=1", OUTPUT);
      assertTrue(run.awaitLine(l -> l.matches("Progress: [1-9][\\d,]* of .*"), 120), run.output());
      signal(run, "INT");
      assertEquals(130, run.waitFor(BOUND), run.output());
      assertTrue(run.output().contains("Stopped: the pipeline was interrupted"), run.output());
      assertEquals(List.of(), s3.keys(BUCKET, PREFIX), "nothing published: " + run.output());
      assertEquals(List.of(), s3.keys(BUCKET, STAGING), "nothing left staged: " + run.output());
      assertNoCredentials(run);
    }
  }

  /**
   * kill -9 mid-export cannot clean up: its staging prefix may stay (README says how to clear it),
   * but nothing is published under the output's prefix, and the next run exports there.
   */
  @Test
  void aKilledExportPublishesNothing(@TempDir Path dir) throws Exception {
    try (S3Server s3 = new S3Server(dir, BUCKET)) {
      CommandProcess killed = jar(env(s3, false), "export", "--demo-jobs=20", "--demo-items-per-job=5000",
          "--progress-seconds=1", "--parallelism=1", OUTPUT);
      assertTrue(killed.awaitLine(l -> l.matches("Progress: [1-9][\\d,]* of .*"), 120), killed.output());
      signal(killed, "KILL");
      killed.process.waitFor(1, TimeUnit.MINUTES);
      assertEquals(List.of(), s3.keys(BUCKET, PREFIX), "nothing published: " + killed.output());

      CommandProcess next = jar(env(s3, false), "export", "--demo-jobs=2", "--demo-items-per-job=50", OUTPUT);
      assertEquals(0, next.waitFor(BOUND), next.output());
      assertEquals(DemoItems.demo(2, 50), s3.lines(BUCKET, parts(s3)));
      assertNoCredentials(next);
    }
  }
}
