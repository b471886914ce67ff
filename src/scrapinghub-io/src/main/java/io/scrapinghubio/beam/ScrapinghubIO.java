package io.scrapinghubio.beam;

import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.jobs.AwaitJobs;
import io.scrapinghubio.beam.jobs.CancelOrDeleteJobs;
import io.scrapinghubio.beam.jobs.ScheduleJobs;
import io.scrapinghubio.beam.jobs.UpdateJobTags;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.beam.write.DeleteFromCollection;
import io.scrapinghubio.beam.write.WriteToCollection;
import io.scrapinghubio.beam.write.WriteToFrontier;
import io.scrapinghubio.client.frontier.FrontierRequest;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;

/**
 * Apache Beam transforms for Scrapy Cloud (Zyte, formerly Scrapinghub).
 *
 * <h2>Reading</h2>
 * <pre>{@code
 * PCollection<ScrapinghubRecord> items = pipeline.apply(
 *     ScrapinghubIO.read().withProject(2222222).withSpiders("products").withHasTag("ready"));
 * }</pre>
 * Jobs are listed (paging past the job queue's 1000-job pages), sized from their stats, and each
 * job's item range is split into chunks that workers read in parallel, each with bounded,
 * prefetched, retried requests. Every record is emitted exactly once, with its job key and index.
 * {@link #readAll()} reads jobs whose keys arrive as a {@code PCollection}.
 * <pre>{@code
 * ScrapinghubRead<Row> rows = ScrapinghubIO.read().withProject(2222222).asRows(); // schema inferred from a sample
 * Schema schema = rows.inferSchema();
 * try (BadRecordErrorHandler<?> deadLetters = pipeline.registerBadRecordErrorHandler(deadLetterSink)) {
 *   pipeline.apply(rows.withBadRecordErrorHandler(deadLetters)) // records that do not convert go there
 *       .apply(SqlTransform.query("SELECT brand, AVG(price) FROM PCOLLECTION GROUP BY brand"));
 * }
 * }</pre>
 * Failures are Beam's {@code BadRecord}s, routed with {@code withBadRecordErrorHandler} as for every
 * Beam IO; without a handler the first one fails the pipeline, naming the element.
 *
 * <h2>Following a project</h2>
 * <pre>{@code
 * PCollection<ScrapinghubRecord> live = pipeline.apply(ScrapinghubIO.read().withProject(2222222)
 *     .continuously(Duration.standardSeconds(10)).withRunningJobs().markConsumed("consumed"));
 * }</pre>
 * An unbounded read: the selection is listed once per poll interval, every job that finishes (or,
 * with {@code withRunningJobs()}, that runs) is read once, running jobs page by page as they grow,
 * and each record is timestamped with the time the service stored it ({@code _ts}).
 *
 * <h2>Job management</h2>
 * <pre>{@code
 * CrawlAndRead.Result crawl = p.apply(Create.of(RunRequest.of("books").withArg("category", "poetry")))
 *     .apply(ScrapinghubIO.crawlAndRead().withProject(2222222));
 * }</pre>
 * {@link #scheduleJobs()} (never schedules a request twice, even when Beam retries a bundle),
 * {@link #awaitJobs()} (a splittable DoFn that polls many jobs per request and checkpoints between
 * polls), {@link #updateJobTags()}, {@link #cancelJobs()}, {@link #deleteJobs()}, and
 * {@link #crawlAndRead()} composing them with {@link #readAll()}. Each sends its failures to its
 * {@code withBadRecordErrorHandler}'s handler; without one, the first fails the pipeline, naming
 * the job or the run request.
 *
 * <h2>Writing</h2>
 * <pre>{@code
 * jsonLines.apply(ScrapinghubIO.writeToCollection().withProject(2222222).to(StoreType.STORE, "seen_urls")
 *     .withBadRecordErrorHandler(deadLetters)); // records that can never be stored go there
 * urls.apply(ScrapinghubIO.writeToFrontier().withProject(2222222).to("links"));
 * keys.apply(ScrapinghubIO.deleteFromCollection().withProject(2222222).from(StoreType.STORE, "seen_urls"));
 * }</pre>
 * Batched by records and bytes, several uploads in flight per worker, retried per the client's
 * policy; safe under bundle retries (collection writes are keyed, frontier fingerprints are
 * de-duplicated by the service). Records that can never be stored (over 1 MiB, no key, refused
 * by the service) fail the pipeline, or go to the write's bad-record error handler.
 *
 * <h2>Connection</h2>
 * Every transform takes the same {@link ScrapinghubConnection} (endpoints, API key, timeouts, retry
 * policy) with {@code withConnection(...)}:
 * <pre>{@code
 * ScrapinghubConnection conn = ScrapinghubIO.connection().withRetryPolicy(RetryPolicy.defaults().withMaxAttempts(12));
 * p.apply(ScrapinghubIO.read().withConnection(conn).withProject(2222222));
 * }</pre>
 * Leave the key out and set {@code SH_APIKEY} / {@code SHUB_APIKEY} on the workers, or have each
 * worker read it from a file ({@code connection().withApiKeyFromFile("/run/secrets/shub-key")}),
 * another variable or a source of your own: the job graph then holds only where to read it.
 * {@code connection().withApiKey(key)} puts the key itself into the job graph: for tests only. The
 * key is sent as HTTP Basic auth, never in URLs, display data, logs or messages. Each worker JVM keeps one client per connection (and kind of traffic, so
 * that metrics stay exact), shared by the DoFn instances that use it.
 *
 * <h2>Timestamps and windows</h2>
 * Records are emitted in the global window with the minimum timestamp; apply
 * {@code WithTimestamps} to use an item field.
 */
public final class ScrapinghubIO {
  private ScrapinghubIO() {}

  /**
   * The connection settings every transform takes with {@code withConnection(...)}: default
   * endpoints, default retries, and the API key read from {@code SH_APIKEY} / {@code SHUB_APIKEY}
   * on each worker.
   *
   * @return the default connection, to adjust with its {@code withX()} methods
   */
  public static ScrapinghubConnection connection() {
    return ScrapinghubConnection.create();
  }

  /**
   * Reads the items (or logs, requests, samples) of a project's jobs; with
   * {@code continuously(pollInterval)}, follows the project as new jobs finish or run.
   *
   * @return a read to configure, at least with {@code withProject} or {@code withJobs}
   */
  public static ScrapinghubRead<ScrapinghubRecord> read() {
    return ScrapinghubRead.create();
  }

  /**
   * Reads the jobs whose keys ({@code P/S/J}) arrive as the input.
   *
   * @return a transform from job keys to their records
   */
  public static ScrapinghubReadAll<ScrapinghubRecord> readAll() {
    return ScrapinghubReadAll.create();
  }

  /**
   * A file sink for {@code FileIO.write().via(...)} that writes records as JSON lines, each exactly
   * as stored (no decode and re-encode): the bulk export's writer.
   *
   * @return a sink for {@code FileIO.write().via(...)}
   */
  public static io.scrapinghubio.beam.read.JsonLinesSink jsonLinesSink() {
    return new io.scrapinghubio.beam.read.JsonLinesSink();
  }

  /**
   * Schedules one job per run request; see {@link ScheduleJobs}.
   *
   * @return a transform from run requests to scheduled jobs
   */
  public static ScheduleJobs scheduleJobs() {
    return ScheduleJobs.create();
  }

  /**
   * Emits each job key once the job is finished (or another state); see {@link AwaitJobs}.
   *
   * @return a transform from job keys to job statuses
   */
  public static AwaitJobs awaitJobs() {
    return AwaitJobs.create();
  }

  /**
   * Adds and removes tags on jobs; see {@link UpdateJobTags}.
   *
   * @return a transform from job keys to the jobs tagged
   */
  public static UpdateJobTags updateJobTags() {
    return UpdateJobTags.create();
  }

  /**
   * Cancels jobs; see {@link CancelOrDeleteJobs}.
   *
   * @return a transform from job keys to the jobs cancelled
   */
  public static CancelOrDeleteJobs cancelJobs() {
    return CancelOrDeleteJobs.cancel();
  }

  /**
   * Deletes jobs; see {@link CancelOrDeleteJobs}.
   *
   * @return a transform from job keys to the jobs deleted
   */
  public static CancelOrDeleteJobs deleteJobs() {
    return CancelOrDeleteJobs.delete();
  }

  /**
   * Schedule, await, read, then tag consumed; see {@link CrawlAndRead}.
   *
   * @return a transform from run requests to the crawls' results
   */
  public static CrawlAndRead crawlAndRead() {
    return CrawlAndRead.create();
  }

  // ---- writes (io.scrapinghubio.beam.write) ----

  /**
   * Writes JSON objects given as text, each with a string {@code _key}, into a collection.
   *
   * @return a write to configure with {@code withProject} and {@code to}
   */
  public static WriteToCollection<String> writeToCollection() {
    return WriteToCollection.json();
  }

  /**
   * Writes {@code KV(key, JSON object text)} pairs into a collection (the key becomes
   * {@code _key}).
   *
   * @return a write to configure with {@code withProject} and {@code to}
   */
  public static WriteToCollection<KV<String, String>> writeKVsToCollection() {
    return WriteToCollection.kvs();
  }

  /**
   * Writes objects bound to JSON with Jackson into a collection, keyed by {@code keyFn}.
   *
   * @param <T> the element type
   * @param keyFn each element's {@code _key}
   * @return a write to configure with {@code withProject} and {@code to}
   */
  public static <T> WriteToCollection<T> writeObjectsToCollection(SerializableFunction<T, String> keyFn) {
    return WriteToCollection.objects(keyFn);
  }

  /**
   * Adds fingerprints (usually URLs) to a frontier, one slot per host by default.
   *
   * @return a write to configure with {@code withProject} and {@code to}
   */
  public static WriteToFrontier<String> writeToFrontier() {
    return WriteToFrontier.fingerprints();
  }

  /**
   * Adds requests given as JSON text ({@code {"fp": ..., "qdata": ..., "fdata": ..., "p": ...}}) to
   * a frontier.
   *
   * @return a write to configure with {@code withProject} and {@code to}
   */
  public static WriteToFrontier<String> writeJsonToFrontier() {
    return WriteToFrontier.json();
  }

  /**
   * Adds any elements, mapped to requests by {@code requestFn}, to a frontier.
   *
   * @param <T> the element type
   * @param requestFn each element's frontier request
   * @return a write to configure with {@code withProject} and {@code to}
   */
  public static <T> WriteToFrontier<T> writeRequestsToFrontier(SerializableFunction<T, FrontierRequest> requestFn) {
    return WriteToFrontier.create(requestFn);
  }

  /**
   * Deletes the input keys from a collection.
   *
   * @return a transform to configure with {@code withProject} and {@code from}
   */
  public static DeleteFromCollection deleteFromCollection() {
    return DeleteFromCollection.create();
  }
}
