package io.scrapinghubio.cli.options;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Beam's S3 clients, addressing buckets by path ({@code http://host:port/bucket/key}): S3-compatible
 * servers on one host name (MinIO, s3proxy, Ceph) rarely resolve {@code bucket.host}, and Beam has
 * no option for it. Named in Beam's options by class, so each worker JVM builds its own clients.
 */
public final class PathStyleS3Clients implements S3ClientBuilderFactory {
  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    return new DefaultS3ClientBuilderFactory().createBuilder(options).forcePathStyle(true);
  }
}
