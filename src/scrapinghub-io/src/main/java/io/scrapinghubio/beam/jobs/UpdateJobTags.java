package io.scrapinghubio.beam.jobs;

import com.google.auto.value.AutoValue;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.checkerframework.checker.nullness.qual.Nullable;
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
@AutoValue
public abstract class UpdateJobTags extends JobAction<UpdateJobTags> {
  private static final long serialVersionUID = 1L;

  abstract List<String> add();

  abstract List<String> remove();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setConnection(ScrapinghubConnection c);

    abstract Builder setBadRecordErrorHandler(@Nullable ErrorHandler<BadRecord, ?> h);

    abstract Builder setAdd(List<String> tags);

    abstract Builder setRemove(List<String> tags);

    abstract UpdateJobTags build();
  }

  /**
   * Use {@code ScrapinghubIO.updateJobTags()}.
   *
   * @return a transform with the defaults, configured with its {@code withX()} methods
   */
  public static UpdateJobTags create() {
    return new AutoValue_UpdateJobTags.Builder().setConnection(ScrapinghubConnection.create())
        .setAdd(List.of()).setRemove(List.of()).build();
  }

  @Override
  UpdateJobTags with(ScrapinghubConnection connection, @Nullable ErrorHandler<BadRecord, ?> handler) {
    return toBuilder().setConnection(connection).setBadRecordErrorHandler(handler).build();
  }

  @Override
  JobActionFn.Action action() {
    return JobActionFn.Action.UPDATE_TAGS;
  }

  @Override
  List<String> tagsToAdd() {
    return add();
  }

  @Override
  List<String> tagsToRemove() {
    return remove();
  }

  /**
   * Tags to add (non-empty strings; adds to those given before).
   *
   * @param tags tags to add
   * @return a new transform with this setting
   */
  public UpdateJobTags withAdd(String... tags) {
    return toBuilder().setAdd(checkDisjoint(tags(add(), tags), remove())).build();
  }

  /**
   * Tags to remove (non-empty strings; adds to those given before).
   *
   * @param tags tags to remove
   * @return a new transform with this setting
   */
  public UpdateJobTags withRemove(String... tags) {
    return toBuilder().setRemove(checkDisjoint(tags(remove(), tags), add())).build();
  }

  /** A tag both added and removed is a mistake the service would resolve silently: refuse it here. */
  private static List<String> checkDisjoint(List<String> changed, List<String> other) {
    for (String t : changed) {
      if (other.contains(t)) {
        throw new IllegalArgumentException("tag '" + t + "' is both added and removed; expected each tag in withAdd or withRemove, not both");
      }
    }
    return changed;
  }

  @Override
  public JobsResult<String> expand(PCollection<String> keys) {
    if (add().isEmpty() && remove().isEmpty()) {
      throw new IllegalArgumentException("ScrapinghubIO.updateJobTags() needs withAdd(...) or withRemove(...)");
    }
    return super.expand(keys);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    b.add(DisplayData.item("addTags", String.join(",", add())).withLabel("Tags added"));
    b.add(DisplayData.item("removeTags", String.join(",", remove())).withLabel("Tags removed"));
  }
}
