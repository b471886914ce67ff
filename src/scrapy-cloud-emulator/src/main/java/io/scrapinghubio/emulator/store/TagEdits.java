package io.scrapinghubio.emulator.store;

import java.util.List;

/**
 * How the dash edits a tag list, for jobs ({@code jobs/update.json}) and spiders alike: an added
 * tag already there is not repeated, and a tag both added and removed ends up removed.
 */
final class TagEdits {
  private TagEdits() {}

  static void apply(List<? super String> tags, List<String> add, List<String> remove) {
    for (String t : add) {
      if (!tags.contains(t)) {
        tags.add(t);
      }
    }
    tags.removeAll(remove);
  }
}
