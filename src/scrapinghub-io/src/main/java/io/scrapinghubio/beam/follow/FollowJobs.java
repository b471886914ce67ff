package io.scrapinghubio.beam.follow;

import io.scrapinghubio.beam.jobs.UpdateJobTags;
import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.beam.read.OutputFormat;
import io.scrapinghubio.beam.read.ReadConfig;
import io.scrapinghubio.beam.read.ReadResult;
import io.scrapinghubio.client.JobQuery;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Keys;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.Watch;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The continuous read behind {@code read().continuously(pollInterval)}: a {@link Watch} lists the
 * selection every poll interval and emits each job once, when first seen (finished, or running
 * when running jobs are followed); {@link FollowJobFn} reads each job to its end, following it
 * while it runs; with {@code markConsumed(tag)} the jobs whose records were all emitted get the
 * tag, and since the selection then lacks that tag a restarted pipeline skips them.
 *
 * <p>Plumbing for {@code ScrapinghubRead}, not API: the one entry into this package, with {@link FollowSpec}.
 *
 * @param <T> the read's output type
 */
@Internal
public final class FollowJobs<T> extends PTransform<PBegin, ReadResult<T>> {
  private static final long serialVersionUID = 1L;

  /**
   * How far the service's clock may be behind the worker's: watermarks derived from "now" stay
   * this far behind it, so records stored just now are not late.
   */
  static final Duration CLOCK_ALLOWANCE = Duration.standardSeconds(5);

  /** The read's settings. */
  private final ReadConfig config;
  /** What each record becomes. */
  private final OutputFormat<T> format;
  /** How the project is followed. */
  private final FollowSpec follow;
  /** What each poll lists: the read's selection, less the jobs already tagged consumed. */
  private final FollowSelection selection;
  /** Where records that do not convert go; null: they fail the bundle. */
  private final @Nullable ErrorHandler<BadRecord, ?> badRecords;

  /**
   * Follows the selection of {@code project}.
   *
   * @param config the read's settings
   * @param format what each record becomes
   * @param badRecords where records that do not convert, and jobs that cannot be tagged, go; null: they fail the pipeline
   * @param follow how the project is followed
   * @param project the project followed
   * @param query the job selection (its states and limit unused)
   * @param spiders the spiders followed; none: every spider
   */
  public FollowJobs(ReadConfig config, OutputFormat<T> format, @Nullable ErrorHandler<BadRecord, ?> badRecords, FollowSpec follow, long project, JobQuery query,
      List<String> spiders) {
    this.config = config;
    this.format = format;
    this.badRecords = badRecords;
    this.follow = follow;
    JobQuery q = query;
    if (follow.consumedTag() != null) {
      List<String> lacks = new ArrayList<>(query.lacksTags());
      if (!lacks.contains(follow.consumedTag())) {
        lacks.add(follow.consumedTag());
      }
      q = query.lacksTag(lacks.toArray(new String[0]));
    }
    this.selection = new FollowSelection(project, q, spiders);
  }

  @Override
  public ReadResult<T> expand(PBegin input) {
    Coder<T> coder;
    try {
      coder = format.coder(input.getPipeline().getCoderRegistry());
    } catch (org.apache.beam.sdk.coders.CannotProvideCoderException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    Watch.Growth<FollowSelection, FollowedJob, String> watch = Watch
        .growthOf(Contextful.of(new PollJobsFn(config.connection(), follow.runningJobs(), follow.pollInterval()), org.apache.beam.sdk.transforms.Requirements.empty()),
            FollowedJob::jobKey)
        .withPollInterval(follow.pollInterval())
        .withOutputCoder(FollowedJob.Coder.of())
        .withOutputKeyCoder(StringUtf8Coder.of());
    watch = withTermination(watch);
    TupleTag<T> records = new TupleTag<>("records");
    PCollectionTuple read = input
        .apply("Selection", Create.of(selection).withCoder(SerializableCoder.of(FollowSelection.class)))
        .apply("PollJobs", watch)
        .apply("Jobs", Values.create())
        .apply("CountFollowed", ParDo.of(new CountFollowedFn()))
        .apply("FollowJobs", ParDo.of(new FollowJobFn<>(config, format, records, badRecords != null, follow.pollInterval(), getName()))
            .withOutputTags(records, TupleTagList.of(FollowJobFn.DONE).and(FollowJobFn.FAILURES)));
    PCollection<KV<String, Long>> done = read.get(FollowJobFn.DONE)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    if (follow.consumedTag() != null) {
      // A job that cannot be tagged is the read's failure as much as a record that cannot be
      // read: it goes to the same handler, or, without one, fails the pipeline naming the job
      // (a job left untagged would be read again by the next run).
      UpdateJobTags tagger = UpdateJobTags.create().withConnection(config.connection()).withAdd(follow.consumedTag());
      if (badRecords != null) {
        tagger = tagger.withBadRecordErrorHandler(badRecords);
      }
      done.apply("ConsumedJobKeys", Keys.create()).apply("MarkConsumed", tagger);
    }
    PCollection<BadRecord> failures = read.get(FollowJobFn.FAILURES).setCoder(BadRecord.getCoder(input.getPipeline()));
    if (badRecords != null) {
      badRecords.addErrorCollection(failures);
    }
    return ReadResult.ofFollow(input.getPipeline(), records, read.get(records).setCoder(coder), done);
  }

  private Watch.Growth<FollowSelection, FollowedJob, String> withTermination(Watch.Growth<FollowSelection, FollowedJob, String> w) {
    Duration after = follow.terminateAfter();
    int idle = follow.idlePolls();
    if (after != null && idle > 0) {
      return w.withTerminationPerInput(Watch.Growth.eitherOf(Watch.Growth.afterTotalOf(after), new AfterIdlePolls<>(idle)));
    }
    if (after != null) {
      return w.withTerminationPerInput(Watch.Growth.afterTotalOf(after));
    }
    if (idle > 0) {
      return w.withTerminationPerInput(new AfterIdlePolls<>(idle));
    }
    return w; // never
  }

  /** Counts each job once, as the Watch emits it. */
  private static final class CountFollowedFn extends DoFn<FollowedJob, FollowedJob> {
    private final Counter followed = Metrics.counter(ClientMetrics.NAMESPACE, "follow_jobs_followed");

    @ProcessElement
    public void process(@Element FollowedJob job, OutputReceiver<FollowedJob> out) {
      followed.inc();
      out.output(job);
    }
  }
}
