package io.scrapinghubio.emulator.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What clients change in a job's metadata besides its state: the whole dict ({@code POST
 * jobs/P/S/J}), one field ({@code jobs/P/S/J/F}), and the tag list (dash {@code jobs/update.json}).
 *
 * <p>Each edit takes the job queue's lock, as its state changes do, so an edit never lands in the
 * middle of a simulated crawl's step.
 */
public final class JobMetadataEdits {
  private final JobQueue queue;

  JobMetadataEdits(JobQueue queue) {
    this.queue = queue;
  }

  /**
   * Replaces the whole metadata dict (POST jobs/P/S/J), keeping state and auth as the service does.
   *
   * @param job the job
   * @param newMeta the new metadata
   */
  public void replace(JobState job, Map<String, Object> newMeta) {
    synchronized (queue) {
      synchronized (job) {
        Object state = job.meta.get("state");
        job.meta.clear();
        job.meta.putAll(newMeta);
        job.meta.put("state", state);
      }
    }
  }

  /**
   * Sets one metadata field of a job.
   *
   * @param job the job
   * @param field the field's name
   * @param value its new value
   */
  public void set(JobState job, String field, Object value) {
    synchronized (queue) {
      synchronized (job) {
        job.meta.put(field, value);
      }
    }
  }

  /**
   * Removes one metadata field of a job.
   *
   * @param job the job
   * @param field the field's name
   */
  public void remove(JobState job, String field) {
    synchronized (queue) {
      synchronized (job) {
        job.meta.remove(field);
      }
    }
  }

  /**
   * Adds and removes tags of a job (dash jobs/update.json): an added tag already there is not
   * repeated, and a tag both added and removed ends up removed.
   *
   * @param job the job
   * @param add tags to add
   * @param remove tags to remove
   */
  public void updateTags(JobState job, List<String> add, List<String> remove) {
    synchronized (queue) {
      synchronized (job) {
        @SuppressWarnings("unchecked")
        List<Object> tags = job.meta.get("tags") instanceof List
            ? new ArrayList<>((List<Object>) job.meta.get("tags")) : new ArrayList<>();
        TagEdits.apply(tags, add, remove);
        job.meta.put("tags", tags);
      }
    }
  }
}
