package io.scrapinghubio.cli.options;

import java.net.URI;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import software.amazon.awssdk.regions.Region;

/**
 * How an {@code s3://} output reaches its store: Beam's S3 file system (AWS SDK v2) configured
 * from the usual AWS settings, these flags overriding them. Credentials have no flag: they come
 * from the SDK's default providers only (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, ~/.aws files,
 * a web-identity token, an instance role), resolved in each JVM that writes, so that no key is ever
 * in the process's arguments, in Beam's serialized options or in anything printed.
 */
public final class S3Options {
  @Option(names = "--s3-endpoint", paramLabel = "URL",
      description = "S3-API endpoint of an s3:// output, e.g. http://127.0.0.1:9000 for MinIO or s3proxy "
          + "(default: AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, else AWS's own)")
  String endpoint;

  @Option(names = "--s3-region", paramLabel = "REGION",
      description = "Region of an s3:// output's bucket (default: AWS_REGION, else ~/.aws/config)")
  String region;

  @Option(names = "--s3-path-style", arity = "0..1", paramLabel = "true|false",
      description = "Address buckets as ENDPOINT/bucket rather than bucket.ENDPOINT, as most S3-compatible "
          + "servers want (default: on with --s3-endpoint or AWS_ENDPOINT_URL, off for AWS)")
  Boolean pathStyle;

  /** Whether any of these flags was given (they mean nothing for a local output). */
  public boolean given() {
    return endpoint != null || region != null || pathStyle != null;
  }

  /**
   * Sets Beam's AWS options from these flags and the environment, leaving alone what the user set
   * as Beam options after {@code --} (e.g. {@code --endpoint}, {@code --awsRegion}).
   */
  public void applyTo(PipelineOptions options, Map<String, String> environment, CommandSpec spec) {
    org.apache.beam.sdk.io.aws2.options.S3Options s3 = options.as(org.apache.beam.sdk.io.aws2.options.S3Options.class);
    String url = endpoint != null ? endpoint
        : environment.getOrDefault("AWS_ENDPOINT_URL_S3", environment.get("AWS_ENDPOINT_URL"));
    if (url != null && !url.isBlank() && s3.getEndpoint() == null) {
      URI uri;
      try {
        uri = URI.create(url.strip());
      } catch (IllegalArgumentException e) {
        uri = null;
      }
      if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
        throw new ParameterException(spec.commandLine(), "S3 endpoint '" + url + "' is not a URL: expected e.g. "
            + "--s3-endpoint=http://127.0.0.1:9000");
      }
      s3.setEndpoint(uri);
    }
    if (region != null) {
      s3.setAwsRegion(Region.of(region));
    }
    boolean customEndpoint = s3.getEndpoint() != null;
    if (pathStyle != null ? pathStyle : customEndpoint) {
      s3.setS3ClientFactoryClass(PathStyleS3Clients.class);
    }
  }
}
