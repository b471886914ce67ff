package io.scrapinghubio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Object-store outputs refused before anything runs, in one line that names the value and the way
 * out (exit code 2), the AWS credentials never printed: schemes this jar cannot write, a bucket
 * without a prefix, S3 flags without an S3 output, a prefix that holds objects, credentials the
 * store refuses (checked against a real S3-API server on loopback).
 */
class S3OutputOptionsTest {
  /**
   * In this JVM the AWS SDK reads the process's own environment, which a test cannot set: the keys
   * and region go in the SDK's system properties instead (its default providers read both), the
   * endpoint in the command's environment.
   */
  private static CliRun refused(Map<String, String> env, String... args) {
    Map<String, String> properties = Map.of("aws.accessKeyId", env.getOrDefault("AWS_ACCESS_KEY_ID", ""),
        "aws.secretAccessKey", env.getOrDefault("AWS_SECRET_ACCESS_KEY", ""),
        "aws.region", env.getOrDefault("AWS_REGION", S3Server.REGION));
    properties.forEach(System::setProperty);
    CliRun run;
    try {
      run = CliRun.run(env, args);
    } finally {
      properties.keySet().forEach(System::clearProperty);
    }
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals(1, run.errLines().size(), "one line: " + run);
    assertTrue(run.err().startsWith("error: "), run.toString());
    assertEquals("", run.out(), "nothing started: " + run);
    return run;
  }

  private static void assertMentions(CliRun run, String... parts) {
    for (String p : parts) {
      assertTrue(run.err().contains(p), "'" + p + "' in: " + run);
    }
  }

  private static void assertNoCredentials(CliRun run) {
    for (String secret : List.of(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)) {
      assertFalse(run.out().contains(secret) || run.err().contains(secret), "credentials never printed: " + run);
    }
  }

  @Test
  void gcsNeedsItsFileSystemModule() {
    assertMentions(refused(Map.of(), "export", "--output=gs://bucket/items"), "--output=gs://bucket/items",
        "beam-sdks-java-io-google-cloud-platform", "on the class path", "s3://bucket/prefix");
  }

  @Test
  void otherSchemesAndBareBucketsAreRefused() {
    assertMentions(refused(Map.of(), "export", "--output=ftp://host/items"), "ftp:// is not an output",
        "s3://bucket/prefix");
    assertMentions(refused(Map.of(), "export", "--output=s3://bucket"), "--output=s3://bucket is a whole bucket",
        "s3://bucket/exports/items");
    assertMentions(refused(Map.of(), "export", "--output=s3://bucket/"), "is a whole bucket");
  }

  @Test
  void s3FlagsNeedAnS3Output(@TempDir Path dir) {
    assertMentions(refused(Map.of(), "export", "--output=" + dir.resolve("out"), "--s3-path-style"),
        "--s3-endpoint, --s3-region and --s3-path-style configure an s3:// output");
    assertMentions(refused(Map.of(), "export", "--output=s3://bucket/items", "--s3-endpoint=not a url"),
        "S3 endpoint 'not a url' is not a URL");
  }

  @Test
  void aPrefixHoldingObjectsIsRefusedWithoutOverwrite(@TempDir Path dir) throws Exception {
    try (S3Server s3 = new S3Server(dir, "exports")) {
      s3.write("exports", "runs/items/old.jl", "{\"old\":true}\n");
      CliRun run = refused(s3.awsEnvironment(), "export", "--output=s3://exports/runs/items");
      assertMentions(run, "--output=s3://exports/runs/items already holds 1 object", "--overwrite");
      assertNoCredentials(run);
      assertEquals(List.of("runs/items/old.jl"), s3.keys("exports", "runs/"), "untouched, nothing staged");
    }
  }

  @Test
  void credentialsTheStoreRefusesAreOneLineWithoutThem(@TempDir Path dir) throws Exception {
    try (S3Server s3 = new S3Server(dir, "exports")) {
      Map<String, String> env = new HashMap<>(s3.awsEnvironment());
      String wrong = "wrong-secret-0f1e2d3c4b5a69788796a5b4c3d2e1f0";
      env.put("AWS_SECRET_ACCESS_KEY", wrong);
      CliRun run = refused(env, "export", "--output=s3://exports/runs/items");
      assertMentions(run, "--output=s3://exports/runs/items cannot be listed", "Export to S3");
      assertNoCredentials(run);
      assertFalse(run.err().contains(wrong), run.toString());
      CliRun noBucket = refused(s3.awsEnvironment(), "export", "--output=s3://missing/items");
      assertMentions(noBucket, "cannot be listed");
      assertNoCredentials(noBucket);
    }
  }
}
