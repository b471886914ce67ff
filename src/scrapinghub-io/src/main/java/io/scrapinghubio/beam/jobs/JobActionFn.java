package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.connection.SharedClientFn;
import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.client.Job;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.errors.ScrapinghubException;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Updates tags of, cancels or deletes one job per element; every action is idempotent, and the
 * client retries it on 408/429/5xx with backoff. The job key goes to the main output when done.
 */
final class JobActionFn extends SharedClientFn<String, String> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(JobActionFn.class);

  enum Action { UPDATE_TAGS, CANCEL, DELETE }

  static final TupleTag<String> OUTPUT = new TupleTag<String>("done") {};

  private final Action action;
  private final List<String> add;
  private final List<String> remove;
  private final boolean failFast;
  private final TupleTag<JobFailure> failures;
  private final Counter done;
  private final Counter failed;

  JobActionFn(ScrapinghubConnection connection, Action action, List<String> add, List<String> remove, boolean failFast,
      TupleTag<JobFailure> failures) {
    super(connection, "jobs");
    this.action = action;
    this.add = List.copyOf(add);
    this.remove = List.copyOf(remove);
    this.failFast = failFast;
    this.failures = failures;
    String name = action == Action.UPDATE_TAGS ? "tagged" : action == Action.CANCEL ? "cancelled" : "deleted";
    this.done = Metrics.counter(ClientMetrics.NAMESPACE, "jobs_" + name);
    this.failed = Metrics.counter(ClientMetrics.NAMESPACE, "jobs_" + name + "_failures");
  }

  private String operation() {
    return action == Action.UPDATE_TAGS ? "updateTags" : action == Action.CANCEL ? "cancel" : "delete";
  }

  @ProcessElement
  public void process(@Element String key, MultiOutputReceiver out) {
    try {
      Job job = client().getJob(JobKey.parse(key));
      switch (action) {
        case UPDATE_TAGS:
          job.updateTags(add, remove);
          break;
        case CANCEL:
          // Cancelled now, or already cancelled (twice is harmless): done. A job that had ended otherwise
          // was not cancelled: JobNotCancellableException, a NOT_CANCELLABLE failure. An unknown one is NotFound.
          job.cancel().orThrow();
          break;
        case DELETE:
          job.delete();
          break;
        default:
          throw new IllegalStateException(String.valueOf(action));
      }
      done.inc();
      out.get(OUTPUT).output(JobKey.parse(key).toString());
    } catch (ScrapinghubException | IllegalArgumentException e) {
      failed.inc();
      if (failFast) {
        // The description names the job whatever the exception says: the client's own messages
        // name a URL, and a malformed key's names only the key's fault.
        throw new JobFailureRouting.JobFailedException(JobFailureRouting.description(JobFailure.of(operation(), null, key, e, 1)), e);
      }
      LOG.warn("{} of job {} failed: {}", operation(), key, e.getMessage());
      out.get(failures).output(JobFailure.of(operation(), null, key, e, 1));
    }
  }
}
