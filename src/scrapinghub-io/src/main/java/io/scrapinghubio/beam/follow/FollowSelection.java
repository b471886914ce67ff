package io.scrapinghubio.beam.follow;

import io.scrapinghubio.client.JobQuery;
import java.io.Serializable;
import java.util.List;

/**
 * What a continuous read lists on every poll: the project, the job query (tags, time range) and
 * the spiders. The single input of its {@code Watch}.
 */
record FollowSelection(long project, JobQuery query, List<String> spiders) implements Serializable {
  FollowSelection {
    spiders = List.copyOf(spiders);
  }

  @Override
  public String toString() {
    return "project " + project + (spiders.isEmpty() ? "" : " spiders " + spiders) + " " + query;
  }
}
