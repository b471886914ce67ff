package io.scrapinghubio.emulator.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The metadata the real service records for a job it creates, before the state's own timestamps:
 * the dash ({@code run.json}) records more fields than JobQ ({@code push}), in its own order, and
 * clients compare both against recordings.
 */
final class NewJobMetadata {
  private NewJobMetadata() {}

  static void fill(Map<String, Object> m, long project, SpiderInfo spider, String state, List<String> tags,
      int priority, int units, ProjectState.Origin origin, String dashUrl) {
    if (origin == ProjectState.Origin.DASH) {
      m.put("scheduled_by", JobQueue.ACTOR);
      m.put("units", units);
      m.put("state", state);
      m.put("priority", priority);
      m.put("tags", new ArrayList<>(tags));
      m.put("spider_type", "manual");
      m.put("portia_stack_version", "latest");
      m.put("spider", spider.name());
      m.put("portia_url", portiaUrl(dashUrl));
      m.put("api_url", dashUrl);
      m.put("project", project);
    } else {
      if (JobState.PENDING.equals(state)) {
        m.put("scheduled_by", JobQueue.ACTOR);
      }
      m.put("project", project);
      m.put("state", state);
      m.put("spider", spider.name());
      m.put("units", units);
      m.put("priority", priority);
      if (!tags.isEmpty()) {
        m.put("tags", new ArrayList<>(tags));
      }
    }
  }

  /** The Portia URL the dash records beside its API URL: the same host, {@code portia/} for {@code api/}. */
  static String portiaUrl(String dashUrl) {
    return dashUrl.replaceFirst("api/$", "portia/");
  }
}
