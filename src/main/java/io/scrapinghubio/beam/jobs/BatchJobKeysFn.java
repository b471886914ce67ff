package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.client.JobKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;

/**
 * Gathers the job keys of a bundle into {@link JobBatch}es of one project and at most
 * {@code maxBatch} keys, so that {@code awaitJobs()} polls each batch with one request. A
 * malformed key goes to the failure output.
 */
final class BatchJobKeysFn extends DoFn<String, JobBatch> {
  private static final long serialVersionUID = 1L;

  private final int maxBatch;
  private final boolean failOnError;
  private final TupleTag<JobBatch> output;
  private final TupleTag<JobFailure> failures;
  private transient Map<List<Object>, Pending> pending;

  private static final class Pending {
    final long project;
    final BoundedWindow window;
    Instant timestamp;
    final List<String> keys = new ArrayList<>();

    Pending(long project, BoundedWindow window, Instant timestamp) {
      this.project = project;
      this.window = window;
      this.timestamp = timestamp;
    }
  }

  BatchJobKeysFn(int maxBatch, boolean failOnError, TupleTag<JobBatch> output, TupleTag<JobFailure> failures) {
    this.maxBatch = maxBatch;
    this.failOnError = failOnError;
    this.output = output;
    this.failures = failures;
  }

  @StartBundle
  public void startBundle() {
    pending = new LinkedHashMap<>();
  }

  @ProcessElement
  public void process(@Element String key, @Timestamp Instant ts, BoundedWindow window, MultiOutputReceiver out) {
    JobKey k;
    try {
      k = JobKey.parse(key);
    } catch (IllegalArgumentException e) {
      if (failOnError) {
        throw e;
      }
      out.get(failures).output(new JobFailure("await", null, key, JobFailure.Kind.INVALID_INPUT, -1, e.getMessage(), 0));
      return;
    }
    List<Object> id = List.of(k.project(), window);
    Pending p = pending.computeIfAbsent(id, x -> new Pending(k.project(), window, ts));
    if (ts.isAfter(p.timestamp)) {
      p.timestamp = ts;
    }
    if (!p.keys.contains(k.toString())) {
      p.keys.add(k.toString());
    }
    if (p.keys.size() >= maxBatch) {
      out.get(output).outputWithTimestamp(new JobBatch(p.project, p.keys), p.timestamp);
      pending.remove(id);
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    for (Pending p : pending.values()) {
      c.output(output, new JobBatch(p.project, p.keys), p.timestamp, p.window);
    }
    pending.clear();
  }
}
