package io.scrapinghubio.beam.read;

import io.scrapinghubio.beam.metrics.ReadPlan;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.client.JobQuery;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Keys;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The shared tail of {@code read()} and {@code readAll()}: spread job keys (each with its spider's
 * name, or null where the step before did not learn it) over workers, size each
 * job and cut it into chunks, spread the chunks over workers, then read each chunk's record range
 * whole ({@link ReadChunkFn}), or as a splittable DoFn that Dataflow can split further when
 * {@code withDynamicSplitting()} asks for it ({@link ReadRecordsFn}). Both emit the converted
 * records and, when the read has an error handler, the records that did not convert as
 * {@link BadRecord}s, which go to that handler.
 *
 * <p>Plumbing for the read specs, not API: with {@link #listJobs} and {@link #namedJobs}, which
 * make its input, the one entry into the bounded read, so that its DoFns stay package-private.
 */
@Internal
public final class ReadJobs<T> extends PTransform<PCollection<KV<String, String>>, ReadResult<T>> {
  private static final long serialVersionUID = 1L;
  /** A job key and its spider's name, which is null where the step that produced the key did not learn it. */
  public static final Coder<KV<String, String>> KEY_AND_SPIDER = KvCoder.of(StringUtf8Coder.of(), NullableCoder.of(StringUtf8Coder.of()));
  /** The read's settings. */
  private final ReadConfig config;
  /** What each record becomes. */
  private final OutputFormat<T> format;
  /** Where records that do not convert go; null: they fail the bundle. */
  private final @Nullable ErrorHandler<BadRecord, ?> badRecords;
  // Plain tags, not anonymous subclasses: those would capture this transform, and with it the error
  // handler, into the read DoFns shipped to workers (a handler's sink need not be serializable).
  /** The converted records' output. */
  private final TupleTag<T> recordsTag = new TupleTag<>("records");
  /** The output of the records that did not convert. */
  private final TupleTag<BadRecord> failuresTag = new TupleTag<>("badRecords");

  /** Whether the job keys come from the caller (readAll): a missing one then fails the read. */
  private final boolean namedByCaller;

  /**
   * Reads the jobs whose keys (each with its spider's name or null, coded by {@link #KEY_AND_SPIDER}) it is given.
   *
   * @param config the read's settings
   * @param format what each record becomes
   * @param badRecords where records that do not convert go; null: they fail the bundle
   * @param namedByCaller whether the keys come from the caller (readAll): a missing job then fails the read,
   *     or goes to {@code badRecords}
   */
  public ReadJobs(ReadConfig config, OutputFormat<T> format, @Nullable ErrorHandler<BadRecord, ?> badRecords, boolean namedByCaller) {
    // Its name is the read's progress name, under which the listing steps before it (applied
    // without knowing this transform) report to the same ReadPlan.
    super(ReadPlan.BOUNDED_READ);
    this.namedByCaller = namedByCaller;
    this.config = config;
    this.format = format;
    this.badRecords = badRecords;
  }

  /**
   * Lists the jobs of {@code project} that {@code query} and {@code spiders} select, once (after an
   * {@code Impulse}), each key with its spider's name: the input of a {@code read()} of a project.
   *
   * @param connection how to reach the service
   * @param project the project listed
   * @param query the job selection
   * @param spiders the spiders listed, each on its own; none: every spider
   * @return the listing step
   */
  public static ParDo.SingleOutput<byte[], KV<String, String>> listJobs(ScrapinghubConnection connection, long project,
      JobQuery query, List<String> spiders) {
    return ParDo.of(new ListJobsFn(connection, project, query, spiders));
  }

  /**
   * Checks that the named jobs exist, once (after an {@code Impulse}), and emits each key with its
   * spider's name: the input of a {@code read().withJobs(...)}.
   *
   * @param connection how to reach the service
   * @param jobKeys the jobs named, {@code P/S/J}
   * @return the checking step
   */
  public static ParDo.SingleOutput<byte[], KV<String, String>> namedJobs(ScrapinghubConnection connection, List<String> jobKeys) {
    return ParDo.of(new NamedJobsFn(connection, jobKeys));
  }

  private DoFn<JobSlice, T> readFn() {
    RangeReader<T> reader = new RangeReader<>(config, format, getName(), badRecords != null);
    return config.dynamicSplitting()
        ? new ReadRecordsFn<>(reader, recordsTag, failuresTag)
        : new ReadChunkFn<>(reader, recordsTag, failuresTag);
  }

  @Override
  public ReadResult<T> expand(PCollection<KV<String, String>> jobKeys) {
    config.checkStoreTimes();
    Coder<T> coder;
    try {
      coder = format.coder(jobKeys.getPipeline().getCoderRegistry());
    } catch (CannotProvideCoderException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    // Without a handler no record ever goes to the bad records, so the DoFn declares no such output:
    // a runner then has nothing to route per record (Flink batch prunes every output of a ParDo per element).
    boolean failuresOutput = badRecords != null;
    PCollection<KV<String, String>> listed = jobKeys.apply("SpreadJobs", Reshuffle.viaRandomKey());
    boolean routesMissing = badRecords != null && namedByCaller;
    PCollectionTuple sized = listed.apply("SizeAndChunkJobs", ParDo.of(new SizeJobFn(config, getName(), namedByCaller, routesMissing))
        .withOutputTags(SizeJobFn.CHUNKS, routesMissing ? TupleTagList.of(SizeJobFn.MISSING) : TupleTagList.empty()));
    if (routesMissing) {
      badRecords.addErrorCollection(sized.get(SizeJobFn.MISSING).setCoder(BadRecord.getCoder(jobKeys.getPipeline())));
    }
    PCollectionTuple out = sized.get(SizeJobFn.CHUNKS).setCoder(JobSlice.JobSliceCoder.of())
        .apply("SpreadChunks", Reshuffle.viaRandomKey())
        .apply("ReadRecords", ParDo.of(readFn())
            .withOutputTags(recordsTag, failuresOutput ? TupleTagList.of(failuresTag) : TupleTagList.empty()));
    out.get(recordsTag).setCoder(coder);
    if (failuresOutput) {
      badRecords.addErrorCollection(out.get(failuresTag).setCoder(BadRecord.getCoder(out.getPipeline())));
    }
    PCollection<String> jobs = listed.apply("JobKeys", Keys.create());
    return ReadResult.of(out.getPipeline(), recordsTag, out.get(recordsTag), jobs);
  }
}
