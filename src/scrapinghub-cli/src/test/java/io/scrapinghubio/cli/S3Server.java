package io.scrapinghubio.cli;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3-API server on loopback for the tests: s3proxy over its filesystem backend (objects as
 * files under a folder of the test's), on a free port, with credentials of its own that the tests
 * give the command only through the AWS environment variables. Its own client (the AWS SDK's)
 * lists, reads and writes objects to check what the command left.
 */
public final class S3Server implements AutoCloseable {
  public static final String ACCESS_KEY = "AKIAS3PROXYTESTKEY01";
  public static final String SECRET_KEY = "s3proxy-secret-9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4";
  public static final String REGION = "us-east-1";

  private final BlobStoreContext store;
  private final S3Proxy proxy;
  public final S3Client client;
  public final String endpoint;

  public S3Server(Path dir, String... buckets) throws Exception {
    Properties props = new Properties();
    props.setProperty("jclouds.filesystem.basedir", dir.toString());
    store = ContextBuilder.newBuilder("filesystem").overrides(props).buildView(BlobStoreContext.class);
    proxy = S3Proxy.builder().blobStore(store.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        // Beam's writes send x-amz-server-side-encryption-bucket-key-enabled, which AWS accepts and
        // s3proxy refuses as unknown by default.
        .ignoreUnknownHeaders(true).build();
    proxy.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    endpoint = "http://127.0.0.1:" + proxy.getPort();
    client = S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.of(REGION)).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
    for (String b : buckets) {
      client.createBucket(r -> r.bucket(b));
    }
  }

  /** The AWS environment a user would set to reach this server: keys, region, endpoint. */
  public Map<String, String> awsEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    env.put("AWS_REGION", REGION);
    env.put("AWS_ENDPOINT_URL", endpoint);
    return env;
  }

  /**
   * The objects' keys under {@code prefix}, sorted. The filesystem backend also lists the folders
   * that hold objects, as keys ending in '/' (as folders made in AWS's console are): those are not
   * objects anyone wrote, and are left out.
   */
  public List<String> keys(String bucket, String prefix) {
    return client.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
        .map(S3Object::key).filter(k -> !k.endsWith("/")).sorted().toList();
  }

  public String read(String bucket, String key) {
    return client.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
  }

  public byte[] readBytes(String bucket, String key) {
    return client.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
  }

  public void write(String bucket, String key, String text) {
    client.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(text, StandardCharsets.UTF_8));
  }

  /** Every line of the objects {@code keys}, as a multiset. */
  public Map<String, Integer> lines(String bucket, List<String> keys) {
    Map<String, Integer> lines = new HashMap<>();
    for (String k : keys) {
      read(bucket, k).lines().forEach(l -> lines.merge(l, 1, Integer::sum));
    }
    return lines;
  }

  @Override
  public void close() throws Exception {
    client.close();
    proxy.stop();
    store.close();
  }
}
