package io.scrapinghubio.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.client.collections.StoreType;
import io.scrapinghubio.client.core.ApiKey;
import io.scrapinghubio.client.core.ApiKeySource;
import io.scrapinghubio.client.frontier.FrontierRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every transform takes its connection the same way, shows it in display data, and never shows the
 * API key (not even its fingerprint) in display data or {@code toString()}. A key read on the
 * workers (environment, file, a source of the user's) is in neither a serialised transform nor the
 * pipeline proto; an explicit key is in both, which is why it is for tests only.
 */
class ConnectionSecrecyTest {
  private static final String SECRET = "5ec7e75ec7e75ec7e75ec7e75ec7e7aa";

  @TempDir
  static Path dir;

  /** Every entry point of {@link ScrapinghubIO}, configured with {@code connection}. */
  private static Map<String, PTransform<?, ?>> allTransforms(ScrapinghubConnection c) {
    Map<String, PTransform<?, ?>> t = new LinkedHashMap<>();
    t.put("read", ScrapinghubIO.read().withConnection(c).withProject(1));
    t.put("readContinuously", ScrapinghubIO.read().withConnection(c).withProject(1)
        .continuously(org.joda.time.Duration.standardSeconds(10)).withRunningJobs().markConsumed("consumed"));
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
      assertTrue(display.contains("given explicitly (travels in the job graph)"), name + " says where its key comes from: " + display);
      for (String printable : new String[] {display, t.toString()}) {
        assertFalse(printable.contains(SECRET), name + " shows the key: " + printable);
        assertFalse(printable.contains(ApiKey.fingerprint(SECRET)), name + " shows the key's fingerprint: " + printable);
      }
    });
  }

  /** The key sources that resolve on the workers, the file holding {@link #SECRET}. */
  private static Map<String, ScrapinghubConnection> keysReadOnTheWorkers() throws IOException {
    Path keyFile = Files.writeString(dir.resolve("shub-key"), SECRET + "\n");
    ScrapinghubConnection base = ScrapinghubIO.connection().withStorageEndpoint("http://127.0.0.1:7/")
        .withDashEndpoint("http://127.0.0.1:7/api/");
    Map<String, ScrapinghubConnection> c = new LinkedHashMap<>();
    c.put("read from file " + keyFile + " on each worker", base.withApiKeyFromFile(keyFile.toString()));
    c.put("read from SH_APIKEY or SHUB_APIKEY on each worker", base);
    c.put("read from MY_SHUB_KEY on each worker", base.withApiKeyFromEnvironment("MY_SHUB_KEY"));
    c.put("read from the test vault on each worker", base.withApiKeySource(new VaultKey()));
    return c;
  }

  /** A user's secret-manager source: the key stays in this JVM's "vault", as a real one stays on its server. */
  record VaultKey() implements ApiKeySource {
    @Override
    public String resolve() {
      return SECRET;
    }

    @Override
    public String description() {
      return "read from the test vault";
    }
  }

  @Test
  void displayDataSaysWhereEachWorkerReadsTheKey() throws IOException {
    keysReadOnTheWorkers().forEach((source, c) -> allTransforms(c).forEach((name, t) -> {
      String display = DisplayData.from(t).toString();
      assertTrue(display.contains(source), name + " says '" + source + "': " + display);
      assertFalse(display.contains(SECRET), name + " shows the key: " + display);
    }));
  }

  /**
   * The defect: with an explicit key, every serialised transform held it in plain text. A key read
   * on the workers travels as where to read it (and an explicit one still travels, as the control
   * that shows the search finds what is there).
   */
  @Test
  void noSerialisedTransformHoldsAKeyReadOnTheWorkers() throws IOException {
    ScrapinghubConnection explicit = ScrapinghubIO.connection().withApiKey(SECRET).withStorageEndpoint("http://127.0.0.1:7/");
    allTransforms(explicit).forEach((name, t) ->
        assertTrue(SecretSearch.contains(SecretSearch.javaSerialised(t), SECRET), "control: " + name + " holds an explicit key"));
    String envKey = System.getenv("SH_APIKEY");
    keysReadOnTheWorkers().forEach((source, c) -> allTransforms(c).forEach((name, t) -> {
      byte[] bytes = SecretSearch.javaSerialised(t);
      assertFalse(SecretSearch.contains(bytes, SECRET), name + " with a key " + source + " serialised the key");
      if (envKey != null && !envKey.isBlank()) { // when the machine running the test has a key, prove it is not shipped
        assertFalse(SecretSearch.contains(bytes, envKey.strip()), name + " serialised SH_APIKEY");
      }
    }));
    ScrapinghubConnection shipped = SerializableUtils.clone(keysReadOnTheWorkers().values().iterator().next());
    assertEquals(SECRET, shipped.clientConfig().apiKey().reveal(), "the worker's copy reads the file");
  }

  /**
   * The pipeline proto, which portable runners, job services and UIs store and show, held an
   * explicit key in every transform's function; a key read on the workers is nowhere in it.
   */
  @Test
  void thePipelineProtoHoldsNoKeyReadOnTheWorkers() throws IOException {
    List<String> explicitPlaces = SecretSearch.placesInPipelineProto(
        pipelineOf(ScrapinghubIO.connection().withApiKey(SECRET).withStorageEndpoint("http://127.0.0.1:7/")), SECRET);
    assertTrue(explicitPlaces.size() >= allTransforms(ScrapinghubIO.connection()).size(),
        "control: an explicit key is in the function of every transform: " + explicitPlaces);
    for (Map.Entry<String, ScrapinghubConnection> c : keysReadOnTheWorkers().entrySet()) {
      assertEquals(List.of(), SecretSearch.placesInPipelineProto(pipelineOf(c.getValue()), SECRET),
          "a key " + c.getKey() + " is in the pipeline proto");
    }
  }

  /** One pipeline applying every transform to an input of its type. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Pipeline pipelineOf(ScrapinghubConnection c) {
    Pipeline p = Pipeline.create();
    PCollection<String> keys = p.apply("Keys", Create.of("1/2/3"));
    PCollection<RunRequest> runs = p.apply("Runs", Create.of(RunRequest.of("books")).withCoder(SerializableCoder.of(RunRequest.class)));
    PCollection<KV<String, String>> kvs = p.apply("KVs", Create.of(KV.of("k", "{}")));
    allTransforms(c).forEach((name, t) -> {
      PTransform raw = t;
      switch (name) {
        case "read", "readContinuously" -> p.apply(name, raw);
        case "scheduleJobs", "crawlAndRead" -> runs.apply(name, raw);
        case "writeKVsToCollection" -> kvs.apply(name, raw);
        default -> keys.apply(name, raw);
      }
    });
    return p;
  }
}
