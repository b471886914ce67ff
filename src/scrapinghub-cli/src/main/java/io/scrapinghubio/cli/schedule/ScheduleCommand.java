package io.scrapinghubio.cli.schedule;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.jobs.CrawlAndRead;
import io.scrapinghubio.cli.CliContext;
import io.scrapinghubio.cli.RunFailure;
import io.scrapinghubio.cli.export.ExportDirectory;
import io.scrapinghubio.cli.options.ConnectionOptions;
import io.scrapinghubio.cli.options.DurationConverter;
import io.scrapinghubio.cli.options.PositiveIntConverter;
import io.scrapinghubio.cli.options.ProgressOptions;
import io.scrapinghubio.cli.options.RunnerOptions;
import io.scrapinghubio.cli.options.VerboseOption;
import io.scrapinghubio.cli.progress.LiveCounts;
import io.scrapinghubio.cli.progress.ProgressDisplay;
import io.scrapinghubio.cli.cloud.ScrapyCloudTarget;
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
        + "pipeline retries. Exit code 1 if any job could not be scheduled, failed or timed out."},
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
  Map<String, String> args = new LinkedHashMap<>();

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

  @Option(names = "--close-reason", split = ",", paramLabel = "REASON",
      description = "Count a job that finishes with another close reason as failed, e.g. finished "
          + "(default: any close reason)")
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
    List<RunRequest> requests = runRequests();
    demo.deploy(requests.stream().map(RunRequest::spider).distinct().toList());
    PipelineOptions options = runner.pipelineOptions(spec);
    ExportDirectory staged;
    try {
      staged = ExportDirectory.prepare(output, overwrite);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    try (ScrapyCloudTarget target = ScrapyCloudTarget.open(connection, false, demo, context, spec);
        LiveCounts counts = LiveCounts.open()) {
      target.checkAccess(List.of());
      context.out().printf("Scheduling %d %s in project %d with %s, then writing their items into %s%n",
          requests.size(), requests.size() == 1 ? "job" : "jobs", target.project(), runner.describe(), staged.output());
      context.out().flush();
      CrawlAndRead crawl = ScrapinghubIO.crawlAndRead().withProject(target.project())
          .withConnection(target.connection()).withPollInterval(poll).withTimeout(timeout);
      if (consumedTag != null) {
        crawl = crawl.withConsumedTag(consumedTag);
      }
      if (!closeReasons.isEmpty()) {
        crawl = crawl.withAcceptedCloseReasons(closeReasons.toArray(new String[0]));
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
        throw new RunFailure(summary.failures() + " of " + requests.size()
            + " jobs failed (listed above); the items of the others are in " + summary.output());
      }
      return 0;
    } catch (RuntimeException | Error e) {
      staged.abandon();
      throw e;
    }
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
      if (args.containsKey(eachName)) {
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
}
