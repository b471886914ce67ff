package io.scrapinghubio.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.client.collections.StoreType;
import io.scrapinghubio.client.core.ApiKey;
import io.scrapinghubio.client.frontier.FrontierRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

/**
 * Every transform takes its connection the same way, shows it in display data, and never shows the
 * API key (not even its fingerprint) in display data or {@code toString()}.
 */
class ConnectionSecrecyTest {
  private static final String SECRET = "5ec7e75ec7e75ec7e75ec7e75ec7e7aa";

  /** Every entry point of {@link ScrapinghubIO}, configured with {@code connection}. */
  private static Map<String, PTransform<?, ?>> allTransforms(ScrapinghubConnection c) {
    Map<String, PTransform<?, ?>> t = new LinkedHashMap<>();
    t.put("read", ScrapinghubIO.read().withConnection(c).withProject(1));
    t.put("readAll", ScrapinghubIO.readAll().withConnection(c));
    t.put("scheduleJobs", ScrapinghubIO.scheduleJobs().withConnection(c).withProject(1));
    t.put("awaitJobs", ScrapinghubIO.awaitJobs().withConnection(c));
    t.put("updateJobTags", ScrapinghubIO.updateJobTags().withConnection(c).withAdd("a"));
    t.put("cancelJobs", ScrapinghubIO.cancelJobs().withConnection(c));
    t.put("deleteJobs", ScrapinghubIO.deleteJobs().withConnection(c));
    t.put("crawlAndRead", ScrapinghubIO.crawlAndRead().withConnection(c).withProject(1));
    t.put("writeToCollection", ScrapinghubIO.writeToCollection().withConnection(c).withProject(1).to(StoreType.STORE, "s"));
    t.put("writeKVsToCollection", ScrapinghubIO.writeKVsToCollection().withConnection(c).withProject(1).to(StoreType.STORE, "s"));
    t.put("writeObjectsToCollection", ScrapinghubIO.writeObjectsToCollection((String s) -> s).withConnection(c).withProject(1)
        .to(StoreType.STORE, "s"));
    t.put("writeToFrontier", ScrapinghubIO.writeToFrontier().withConnection(c).withProject(1).to("f"));
    t.put("writeJsonToFrontier", ScrapinghubIO.writeJsonToFrontier().withConnection(c).withProject(1).to("f"));
    t.put("writeRequestsToFrontier", ScrapinghubIO.writeRequestsToFrontier(FrontierRequest::of).withConnection(c)
        .withProject(1).to("f"));
    t.put("deleteFromCollection", ScrapinghubIO.deleteFromCollection().withConnection(c).withProject(1).from(StoreType.STORE, "s"));
    return t;
  }

  @Test
  void everyTransformShowsItsConnectionButNeverTheKey() {
    ScrapinghubConnection c = ScrapinghubIO.connection().withApiKey(SECRET).withStorageEndpoint("http://127.0.0.1:7/")
        .withDashEndpoint("http://127.0.0.1:7/api/");
    allTransforms(c).forEach((name, t) -> {
      String display = DisplayData.from(t).toString();
      assertTrue(display.contains("http://127.0.0.1:7/"), name + " shows its storage endpoint: " + display);
      assertTrue(display.contains("given explicitly"), name + " says where its key comes from: " + display);
      for (String printable : new String[] {display, t.toString()}) {
        assertFalse(printable.contains(SECRET), name + " shows the key: " + printable);
        assertFalse(printable.contains(ApiKey.fingerprint(SECRET)), name + " shows the key's fingerprint: " + printable);
      }
    });
  }

  /**
   * The default ships no key at all: the serialised transform holds "read SH_APIKEY/SHUB_APIKEY",
   * resolved on each worker. (A key given with {@code withApiKey} is serialised: workers need it.)
   */
  @Test
  void aKeyFromTheEnvironmentTravelsAsAnInstructionNotAValue() {
    ScrapinghubConnection c = ScrapinghubIO.connection().withStorageEndpoint("http://127.0.0.1:7/");
    allTransforms(c).forEach((name, t) -> {
      assertTrue(javaSerialised(t).length > 0, name + " is serialisable");
      String display = DisplayData.from(t).toString();
      assertTrue(display.contains("SH_APIKEY"), name + " says the key is read on the workers: " + display);
    });
    ScrapinghubConnection shipped = SerializableUtils.clone(c);
    assertEquals(ApiKey.fromEnvironment(), shipped.clientConfig().apiKey());
    String env = System.getenv("SH_APIKEY");
    if (env != null && !env.isBlank()) { // when the machine running the test has a key, prove it is not shipped
      byte[] key = env.strip().getBytes(StandardCharsets.UTF_8);
      allTransforms(c).forEach((name, t) -> assertFalse(contains(javaSerialised(t), key), name + " serialised SH_APIKEY"));
    }
  }

  /**
   * Plain Java serialisation: Beam's {@code SerializableUtils.serializeToByteArray} compresses with
   * Snappy, where a search for the key's bytes would prove nothing.
   */
  private static byte[] javaSerialised(Object o) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
