package io.scrapinghubio.beam.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.client.errors.ScrapinghubException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says why a job listing came back empty, once, when it does: the job queue answers an unknown
 * project or spider with an empty list, just as it answers a spider with no finished jobs yet. A
 * typo must fail the read naming the value; a selection that is really empty gets one log line.
 * Costs nothing when jobs are found: the checks run only after an empty listing.
 *
 * <p>Plumbing shared by the job listings of the read packages, not API.
 */
@Internal
public final class EmptySelection {
  private static final Logger LOG = LoggerFactory.getLogger(EmptySelection.class);
  /** Values listed in an error message, at most (a key may see hundreds of projects). */
  private static final int SHOWN = 20;

  private final ScrapinghubClient client;
  private final long project;
  private boolean projectChecked;

  /**
   * Explains the empty listings of {@code project}.
   *
   * @param client the client that listed
   * @param project the project listed
   */
  public EmptySelection(ScrapinghubClient client, long project) {
    this.client = client;
    this.project = project;
  }

  /**
   * The listing of {@code spider}'s jobs (every spider's when null) matching {@code query} was empty.
   *
   * @param spider the spider listed, null for every spider
   * @param query the selection listed
   * @throws NotFoundException the project or the spider does not exist, or the key cannot see it
   */
  public void explain(String spider, JobQuery query) {
    requireVisibleProject();
    if (spider != null) {
      requireSpider(spider);
    }
    LOG.info("Nothing to read from project {}{}: no job matches {}", project,
        spider == null ? "" : ", spider '" + spider + "'", query);
  }

  private void requireVisibleProject() {
    if (projectChecked) {
      return;
    }
    projectChecked = true;
    List<Long> visible;
    try {
      visible = client.projects().list();
    } catch (ScrapinghubException e) {
      // e.g. a job-scoped credential, which may not list projects: the listing itself was allowed
      LOG.warn("Could not check that project {} exists: listing the key's projects failed: {}", project, e.getMessage());
      return;
    }
    if (!visible.contains(project)) {
      throw new NotFoundException("withProject(" + project + "): project " + project
          + " does not exist or the API key cannot see it; expected one of the key's projects: " + shown(visible));
    }
  }

  private void requireSpider(String spider) {
    try {
      client.getProject(project).spiders().get(spider);
    } catch (NotFoundException e) {
      throw new NotFoundException("withSpiders(...): spider '" + spider + "' does not exist in project " + project
          + "; expected one of its spiders: " + spiderNames(), 404, e);
    }
  }

  private String spiderNames() {
    List<String> names = new ArrayList<>();
    try {
      for (JsonNode s : client.getProject(project).spiders().list()) {
        names.add(s.path("id").asText());
      }
    } catch (ScrapinghubException e) {
      return "(the spiders could not be listed: " + e.getMessage() + ")";
    }
    return shown(names);
  }

  private static String shown(List<?> values) {
    if (values.size() <= SHOWN) {
      return values.toString();
    }
    return values.subList(0, SHOWN) + " and " + (values.size() - SHOWN) + " more";
  }
}
