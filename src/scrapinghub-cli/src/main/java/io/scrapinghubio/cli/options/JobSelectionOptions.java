package io.scrapinghubio.cli.options;

import io.scrapinghubio.beam.ScrapinghubRead;
import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.core.JobKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Which jobs of a project to read: the filters of Scrapy Cloud's job list, or explicit job keys. */
public final class JobSelectionOptions {
  @Option(names = "--spider", split = ",", paramLabel = "NAME",
      description = "Only jobs of these spiders; repeat or comma-separate (default: every spider)")
  public List<String> spiders = new ArrayList<>();

  @Option(names = "--has-tag", split = ",", paramLabel = "TAG",
      description = "Only jobs having any of these tags (default: no tag required)")
  public List<String> hasTags = new ArrayList<>();

  @Option(names = "--lacks-tag", split = ",", paramLabel = "TAG",
      description = "Only jobs having none of these tags (default: no tag excluded)")
  public List<String> lacksTags = new ArrayList<>();

  @Option(names = "--state", split = ",", paramLabel = "STATE", converter = JobStateConverter.class,
      description = "Only jobs in these states: pending, running, finished, deleted (default: finished)")
  public List<String> states = new ArrayList<>();

  @Option(names = "--start", paramLabel = "TIME", converter = TimeConverter.class,
      description = "Only jobs from this time on: epoch ms, ISO date-time or date, UTC (default: no lower bound)")
  public Instant start;

  @Option(names = "--end", paramLabel = "TIME", converter = TimeConverter.class,
      description = "Only jobs before this time, in the same forms (default: no upper bound)")
  public Instant end;

  @Option(names = "--jobs", split = ",", paramLabel = "P/S/J", converter = JobKeyConverter.class,
      description = "Exactly these jobs, comma-separated keys, instead of the project's job list "
          + "(default: every job the filters above select)")
  public List<JobKey> jobs = new ArrayList<>();

  /** Checks the options together; a bad combination is a usage error naming both values. */
  public void validate(CommandSpec spec, Long project) {
    if (start != null && end != null && !start.isBefore(end)) {
      throw new ParameterException(spec.commandLine(), "--start=" + start + " is not before --end=" + end
          + ": expected a start before the end (the range includes its start, not its end)");
    }
    if (!jobs.isEmpty()) {
      List<String> filters = new ArrayList<>();
      addIf(filters, !spiders.isEmpty(), "--spider");
      addIf(filters, !hasTags.isEmpty(), "--has-tag");
      addIf(filters, !lacksTags.isEmpty(), "--lacks-tag");
      addIf(filters, !states.isEmpty(), "--state");
      addIf(filters, start != null, "--start");
      addIf(filters, end != null, "--end");
      if (!filters.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "--jobs names the jobs itself and cannot be combined with "
            + String.join(", ", filters) + ": expected either --jobs or job filters");
      }
      for (JobKey k : jobs) {
        if (project != null && k.project() != project) {
          throw new ParameterException(spec.commandLine(), "--jobs=" + k + " is not a job of --project=" + project
              + ": expected keys starting with " + project + "/");
        }
      }
    }
  }

  private static void addIf(List<String> l, boolean condition, String name) {
    if (condition) {
      l.add(name);
    }
  }

  /** The project's job-list query these options make (spiders are listed one by one, see {@link #spiders}). */
  public JobQuery query() {
    JobQuery q = JobQuery.all();
    if (!states.isEmpty()) {
      q = q.state(states.toArray(new String[0]));
    }
    if (!hasTags.isEmpty()) {
      q = q.hasTag(hasTags.toArray(new String[0]));
    }
    if (!lacksTags.isEmpty()) {
      q = q.lacksTag(lacksTags.toArray(new String[0]));
    }
    if (start != null) {
      q = q.startTs(start.toEpochMilli());
    }
    if (end != null) {
      q = q.endTs(end.toEpochMilli());
    }
    return q;
  }

  /** {@code read} selecting what these options select. */
  public <T> ScrapinghubRead<T> applyTo(ScrapinghubRead<T> read, Long project) {
    if (!jobs.isEmpty()) {
      return read.withJobs(jobs.stream().map(JobKey::toString).toArray(String[]::new));
    }
    ScrapinghubRead<T> r = read.withProject(project);
    if (!spiders.isEmpty()) {
      r = r.withSpiders(spiders.toArray(new String[0]));
    }
    if (!states.isEmpty()) {
      r = r.withStates(states.toArray(new String[0]));
    }
    if (!hasTags.isEmpty()) {
      r = r.withHasTag(hasTags.toArray(new String[0]));
    }
    if (!lacksTags.isEmpty()) {
      r = r.withLacksTag(lacksTags.toArray(new String[0]));
    }
    if (start != null) {
      r = r.withStartTs(start.toEpochMilli());
    }
    if (end != null) {
      r = r.withEndTs(end.toEpochMilli());
    }
    return r;
  }

  /** e.g. "finished jobs of spiders products, reviews, tagged ready" or "3 jobs given by key". */
  public String describe() {
    if (!jobs.isEmpty()) {
      return jobs.size() + (jobs.size() == 1 ? " job" : " jobs") + " given by key";
    }
    StringBuilder s = new StringBuilder(states.isEmpty() ? "finished" : String.join("/", states)).append(" jobs of ");
    s.append(spiders.isEmpty() ? "every spider" : (spiders.size() == 1 ? "spider " : "spiders ") + String.join(", ", spiders));
    if (!hasTags.isEmpty()) {
      s.append(", tagged ").append(String.join(" or ", hasTags));
    }
    if (!lacksTags.isEmpty()) {
      s.append(", not tagged ").append(String.join(" nor ", lacksTags));
    }
    if (start != null) {
      s.append(", from ").append(start);
    }
    if (end != null) {
      s.append(", before ").append(end);
    }
    return s.toString();
  }
}
