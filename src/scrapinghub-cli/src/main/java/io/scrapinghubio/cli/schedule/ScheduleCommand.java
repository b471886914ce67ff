package io.scrapinghubio.cli.schedule;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.CrawlAndRead;
import io.scrapinghubio.cli.console.CliContext;
import io.scrapinghubio.cli.console.Counted;
import io.scrapinghubio.cli.console.RunFailure;
import io.scrapinghubio.cli.cloud.ScrapyCloudTarget;
import io.scrapinghubio.cli.run.LocalStagedOutput;
import io.scrapinghubio.cli.options.ConnectionOptions;
import io.scrapinghubio.cli.options.DurationConverter;
import io.scrapinghubio.cli.options.PositiveIntConverter;
import io.scrapinghubio.cli.options.ProgressOptions;
import io.scrapinghubio.cli.options.RunnerOptions;
import io.scrapinghubio.cli.options.VerboseOption;
import io.scrapinghubio.cli.progress.LiveCounts;
import io.scrapinghubio.cli.progress.ProgressDisplay;
import io.scrapinghubio.client.RunRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.options.PipelineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code schedule}: run spiders with arguments, wait for their jobs, export their items. */
@Command(name = "schedule", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run spiders with arguments on Scrapy Cloud, wait for their jobs to finish, and write their items "
        + "as JSON-lines files (part-*.jl) in a new directory, as export does. Each job is scheduled once, even if the "
        + "pipeline retries. Exit code 1 if any job could not be scheduled, closed with a reason other than "
        + "--close-reason's, or timed out; a crawl whose every job failed writes no directory."},
    footer = {"", "Examples:",
        "  scrapinghub-io schedule --spider=books --each category=poetry,travel --output=books   (demo, no key needed)",
        "  SH_APIKEY=... scrapinghub-io schedule --project=123 --spider=books -a country=fr --units=2 \\",
        "      --consumed-tag=exported --output=books"})
public final class ScheduleCommand implements Callable<Integer> {
  /** How many failures the command lists one per line; the summary counts them all. */
  private static final int FAILURES_LISTED = 20;

  private final CliContext context;

  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Option(names = "--spider", split = ",", paramLabel = "NAME", required = true,
      description = "Spider to run; repeat or comma-separate for several, each run with the same arguments (required)")
  List<String> spiders = new ArrayList<>();

  @Option(names = {"-a", "--arg"}, paramLabel = "NAME=VALUE",
      description = "Spider argument, as scrapy crawl -a takes them; repeat for several (default: none)")
  List<String> argPairs = new ArrayList<>();

  @Option(names = "--each", paramLabel = "NAME=V1,V2,...",
      description = "One job per value of this spider argument, e.g. category=poetry,travel (default: one job per spider)")
  String each;

  @Option(names = "--tag", split = ",", paramLabel = "TAG",
      description = "Tags to give the jobs when they are scheduled (default: none)")
  List<String> tags = new ArrayList<>();

  @Option(names = "--units", paramLabel = "N", converter = PositiveIntConverter.AtLeastOne.class,
      description = "Scrapy Cloud units per job, 1 to 6 (default: the project's, usually 1)")
  Integer units;

  @Option(names = "--priority", paramLabel = "N", converter = PositiveIntConverter.AtLeastZero.class,
      description = "Queue priority, 0 (lowest) to 4 (highest) (default: the service's, 2)")
  Integer priority;

  @Option(names = "--poll", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
      description = "How often to ask whether the jobs have finished (default: ${DEFAULT-VALUE})")
  Duration poll;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "1h", converter = DurationConverter.class,
      description = "Give up on a job that has not finished after this long; it counts as failed "
          + "(default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(names = "--close-reason", split = ",", paramLabel = "REASON", defaultValue = "finished",
      description = "Close reasons of a job that succeeded; a job closed with another one (failed, cancelled, "
          + "shutdown...) counts as failed and its items are not written; 'any' accepts every one "
          + "(default: ${DEFAULT-VALUE})")
  List<String> closeReasons = new ArrayList<>();

  @Option(names = "--consumed-tag", paramLabel = "TAG",
      description = "Tag the jobs with this once their items are written (default: no tag)")
  String consumedTag;

  @Option(names = "--output", paramLabel = "DIR", defaultValue = "crawl",
      description = "Local directory to create with the items' files; refused if it exists, unless --overwrite "
          + "(default: ${DEFAULT-VALUE})")
  String output;

  @Option(names = "--overwrite",
      description = "Replace the output directory if it exists, once the crawl's files are complete (default: off)")
  boolean overwrite;

  @Option(names = "--shards", paramLabel = "N", defaultValue = "0", converter = PositiveIntConverter.AtLeastZero.class,
      description = "Number of files; 0 lets the runner choose (default: ${DEFAULT-VALUE})")
  int shards;

  @Mixin
  RunnerOptions runner;

  @Mixin
  ProgressOptions progress;

  @Mixin
  ScheduleDemo demo;

  @Mixin
  VerboseOption verbose;

  ScheduleCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    if (output.equals("-")) {
      throw new ParameterException(spec.commandLine(), "--output=- (standard output) is for export; schedule writes "
          + "the crawl's items into a directory once every job has ended: expected a directory");
    }
    List<RunRequest> requests = runRequests();
    List<String> accepted = acceptedCloseReasons();
    demo.deploy(requests.stream().map(RunRequest::spider).distinct().toList());
    PipelineOptions options = runner.pipelineOptions(spec);
    LocalStagedOutput staged;
    try {
      staged = LocalStagedOutput.prepare(output, overwrite);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    try (ScrapyCloudTarget target = ScrapyCloudTarget.open(connection, false, demo, context, spec);
        LiveCounts counts = LiveCounts.open()) {
      target.checkAccess(List.of());
      if (target.emulator() == null) {
        target.checkSpiders(requests.stream().map(RunRequest::spider).distinct().toList(), spec);
      }
      context.out().printf("Scheduling %s in project %d with %s, then writing their items into %s%n",
          Counted.of(requests.size(), "job"), target.project(), runner.describe(), staged.output());
      context.out().flush();
      CrawlAndRead crawl = ScrapinghubIO.crawlAndRead().withProject(target.project())
          .withConnection(target.connection()).withPollInterval(poll).withTimeout(timeout);
      if (consumedTag != null) {
        crawl = crawl.withConsumedTag(consumedTag);
      }
      if (!accepted.isEmpty()) {
        crawl = crawl.withAcceptedCloseReasons(accepted.toArray(new String[0]));
      }
      ScheduleSummary summary = new SchedulePipeline(requests, crawl, consumedTag != null, shards)
          .run(options, staged, counts, ProgressDisplay.create(progress, context, counts, runner.remote(), "Crawl"),
              context.err());
      context.out().println(summary);
      context.out().flush();
      List<String> failures = counts.failures();
      for (String f : failures.subList(0, Math.min(FAILURES_LISTED, failures.size()))) {
        context.err().println("failed: " + f);
      }
      if (summary.failures() > 0) {
        throw new RunFailure(failed(summary.failures(), requests.size()) + " (listed above); "
            + (summary.committed() ? "the items of the others are in " + summary.output()
                : summary.output() + " was not written"));
      }
      return 0;
    } catch (RuntimeException | Error e) {
      staged.abandon();
      throw e;
    }
  }

  /** e.g. "the job failed", "2 of 3 jobs failed", "all 3 jobs failed". */
  static String failed(long failures, long jobs) {
    if (failures >= jobs) {
      return jobs == 1 ? "the job failed" : "all " + jobs + " jobs failed";
    }
    return failures + " of " + Counted.of(jobs, "job") + " failed";
  }

  /** The close reasons a job may end with and count as done; empty for any. */
  private List<String> acceptedCloseReasons() {
    List<String> reasons = closeReasons.stream().map(String::strip).filter(r -> !r.isEmpty()).distinct().toList();
    if (reasons.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--close-reason='" + String.join(",", closeReasons)
          + "' names no close reason: expected e.g. finished, or any");
    }
    return reasons.contains("any") ? List.of() : reasons;
  }

  /** One request per spider and value of {@code --each}; bad values are usage errors. */
  List<RunRequest> runRequests() {
    String eachName = null;
    List<String> eachValues = java.util.Collections.singletonList(null);
    if (each != null) {
      int eq = each.indexOf('=');
      if (eq <= 0 || eq == each.length() - 1) {
        throw new ParameterException(spec.commandLine(), "--each=" + each
            + " is not NAME=V1,V2,...: expected a spider argument and its values, e.g. category=poetry,travel");
      }
      eachName = each.substring(0, eq).strip();
      eachValues = List.of(each.substring(eq + 1).split(",")).stream().map(String::strip).filter(v -> !v.isEmpty())
          .toList();
      if (args().containsKey(eachName)) {
        throw new ParameterException(spec.commandLine(), "--each=" + each + " and --arg " + eachName
            + "=... both set the argument " + eachName + ": expected one of them");
      }
    }
    if (priority != null && priority > 4) {
      throw new ParameterException(spec.commandLine(), "--priority=" + priority + " is out of range: expected 0 to 4");
    }
    if (units != null && units > 6) {
      throw new ParameterException(spec.commandLine(), "--units=" + units + " is out of range: expected 1 to 6");
    }
    for (String tag : tags) {
      if (tag.isBlank()) {
        throw new ParameterException(spec.commandLine(), "--tag='" + tag + "' is empty: expected a tag, e.g. --tag=nightly");
      }
    }
    for (String spider : spiders) {
      if (spider.isBlank()) {
        throw new ParameterException(spec.commandLine(), "--spider='" + spider + "' is empty: expected a spider name");
      }
    }
    Map<String, String> args = args();
    List<RunRequest> requests = new ArrayList<>();
    try {
      for (String spider : spiders) {
        for (String value : eachValues) {
          RunRequest r = RunRequest.of(spider.strip()).withArgs(args);
          if (eachName != null) {
            r = r.withArg(eachName, value);
          }
          if (!tags.isEmpty()) {
            r = r.withTags(tags.toArray(new String[0]));
          }
          if (units != null) {
            r = r.withUnits(units);
          }
          if (priority != null) {
            r = r.withPriority(priority);
          }
          requests.add(r);
        }
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "bad spider run: " + e.getMessage());
    }
    return requests;
  }

  /** The {@code -a NAME=VALUE} arguments, in order; a bad one is a usage error naming it. */
  private Map<String, String> args() {
    Map<String, String> args = new LinkedHashMap<>();
    for (String pair : argPairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || pair.substring(0, eq).isBlank()) {
        throw new ParameterException(spec.commandLine(), "--arg=" + pair + " is not NAME=VALUE: expected a spider "
            + "argument and its value, e.g. -a country=fr");
      }
      String name = pair.substring(0, eq).strip();
      if (args.containsKey(name)) {
        throw new ParameterException(spec.commandLine(), "--arg=" + pair + " sets " + name + " a second time: "
            + "expected each spider argument once (--each gives one job per value)");
      }
      args.put(name, pair.substring(eq + 1));
    }
    return args;
  }
}
