package io.scrapinghubio.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.cli.S3Server;
import io.scrapinghubio.cli.options.PathStyleS3Clients;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The publish of an object-store output, on a real S3-API server (s3proxy on loopback): a stop
 * (Ctrl-C's shutdown hook) that comes during the copies waits for the publish to finish, the
 * marker written last; {@code --overwrite} leaves only the new files and the new marker.
 */
class ObjectStoreStagedOutputTest {
  private static final String BUCKET = "exports";

  private static S3Options options(S3Server s3) {
    S3Options o = PipelineOptionsFactory.as(S3Options.class);
    o.setEndpoint(URI.create(s3.endpoint));
    o.setAwsRegion(Region.of(S3Server.REGION));
    o.setS3ClientFactoryClass(PathStyleS3Clients.class);
    // In this JVM only: the command itself never puts keys in Beam's options.
    o.setAwsCredentialsProvider(StaticCredentialsProvider.create(
        AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)));
    return o;
  }

  /** Writes {@code n} small files where the pipeline would, as its sink does. */
  private static List<String> stage(ObjectStoreStagedOutput out, int n) throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = String.format("part-%05d-of-%05d.jl", i, n);
      try (OutputStream w = Channels.newOutputStream(FileSystems.create(
          FileSystems.matchNewResource(out.filesDirectory() + name, false), "text/plain"))) {
        w.write(("{\"n\":" + i + "}\n").getBytes(StandardCharsets.UTF_8));
      }
      names.add(name);
    }
    return names;
  }

  @Test
  void aStopDuringThePublishWaitsForItToFinish(@TempDir Path dir) throws Exception {
    try (S3Server s3 = new S3Server(dir, BUCKET)) {
      ObjectStoreStagedOutput out = ObjectStoreStagedOutput.prepare("s3://exports/runs/items", false, options(s3));
      List<String> names = stage(out, 120);
      CompletableFuture<Void> publish = CompletableFuture.runAsync(out::commit);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (s3.keys(BUCKET, "runs/items/").isEmpty() && !publish.isDone() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertFalse(publish.isDone(), "the stop comes while the copies are under way");
      assertFalse(out.abandonWhileRunning(Duration.ofSeconds(3)), "the stop finds the output published");
      assertTrue(s3.keys(BUCKET, "runs/items/").contains("runs/items/_SUCCESS"),
          "the stop returned only once the publish had finished, its marker written");
      publish.get();
      List<String> expected = new ArrayList<>(names.stream().map(n -> "runs/items/" + n).toList());
      expected.add("runs/items/" + ObjectStoreStagedOutput.MARKER);
      assertEquals(expected.stream().sorted().toList(), s3.keys(BUCKET, "runs/items/"));
      assertEquals(names, s3.read(BUCKET, "runs/items/_SUCCESS").lines().sorted().toList());
      assertEquals(List.of(), s3.keys(BUCKET, "runs/.items.in-progress-"), "staging removed");
    }
  }

  @Test
  void overwriteLeavesOnlyTheNewFilesAndMarker(@TempDir Path dir) throws Exception {
    try (S3Server s3 = new S3Server(dir, BUCKET)) {
      s3.write(BUCKET, "runs/items/part-00000-of-00009.jl", "old\n");
      s3.write(BUCKET, "runs/items/nested/old.jl", "old\n");
      s3.write(BUCKET, "runs/items/_SUCCESS", "part-00000-of-00009.jl\n");
      ObjectStoreStagedOutput out = ObjectStoreStagedOutput.prepare("s3://exports/runs/items/", true, options(s3));
      List<String> names = stage(out, 3);
      out.commit();
      List<String> expected = new ArrayList<>(names.stream().map(n -> "runs/items/" + n).toList());
      expected.add("runs/items/_SUCCESS");
      assertEquals(expected.stream().sorted().toList(), s3.keys(BUCKET, "runs/"));
      assertEquals(names, s3.read(BUCKET, "runs/items/_SUCCESS").lines().sorted().toList());
      assertEquals(3 * "{\"n\":0}\n".length(), out.publishedBytes());
    }
  }
}
