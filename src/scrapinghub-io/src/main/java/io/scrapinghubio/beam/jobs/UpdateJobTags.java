package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import java.util.List;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@code ScrapinghubIO.updateJobTags()}: adds and removes tags on the jobs whose keys arrive
 * ({@code POST api/jobs/update.json}); idempotent, retried on 429/5xx by the client.
 *
 * <pre>{@code
 * keys.apply(ScrapinghubIO.updateJobTags().withAdd("consumed").withRemove("ready"));
 * }</pre>
 */
public final class UpdateJobTags extends JobAction<UpdateJobTags> {
  private static final long serialVersionUID = 1L;
  private final List<String> add;
  private final List<String> remove;

  private UpdateJobTags(ScrapinghubConnection connection, boolean failOnError, List<String> add, List<String> remove) {
    super(connection, failOnError);
    this.add = add;
    this.remove = remove;
  }

  /** Use {@code ScrapinghubIO.updateJobTags()}. */
  public static UpdateJobTags create() {
    return new UpdateJobTags(ScrapinghubConnection.create(), false, List.of(), List.of());
  }

  @Override
  UpdateJobTags with(ScrapinghubConnection connection, boolean failOnError) {
    return new UpdateJobTags(connection, failOnError, add, remove);
  }

  @Override
  JobActionFn.Action action() {
    return JobActionFn.Action.UPDATE_TAGS;
  }

  @Override
  List<String> add() {
    return add;
  }

  @Override
  List<String> remove() {
    return remove;
  }

  /** Tags to add. */
  public UpdateJobTags withAdd(String... tags) {
    return new UpdateJobTags(connection, failOnError, tags(add, tags), remove);
  }

  /** Tags to remove. */
  public UpdateJobTags withRemove(String... tags) {
    return new UpdateJobTags(connection, failOnError, add, tags(remove, tags));
  }

  @Override
  public JobsResult<String> expand(PCollection<String> keys) {
    if (add.isEmpty() && remove.isEmpty()) {
      throw new IllegalArgumentException("ScrapinghubIO.updateJobTags() needs withAdd(...) or withRemove(...)");
    }
    for (String t : add) {
      if (remove.contains(t)) {
        throw new IllegalArgumentException("tag '" + t + "' is both added and removed");
      }
    }
    return super.expand(keys);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    b.add(DisplayData.item("addTags", String.join(",", add)).withLabel("Tags added"));
    b.add(DisplayData.item("removeTags", String.join(",", remove)).withLabel("Tags removed"));
  }
}
