package io.scrapinghubio.cli.follow;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.ScrapinghubRead;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.cli.console.CliContext;
import io.scrapinghubio.cli.console.Counted;
import io.scrapinghubio.cli.cloud.ScrapyCloudTarget;
import io.scrapinghubio.cli.options.ConnectionOptions;
import io.scrapinghubio.cli.options.DataTypeOption;
import io.scrapinghubio.cli.options.ProvenanceOption;
import io.scrapinghubio.cli.options.DurationConverter;
import io.scrapinghubio.cli.options.JobSelectionOptions;
import io.scrapinghubio.cli.options.PositiveIntConverter;
import io.scrapinghubio.cli.options.ProgressOptions;
import io.scrapinghubio.cli.options.RunnerOptions;
import io.scrapinghubio.cli.options.VerboseOption;
import io.scrapinghubio.cli.progress.LiveCounts;
import io.scrapinghubio.cli.progress.ProgressDisplay;
import io.scrapinghubio.cli.run.StopSignals;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.ScrapinghubClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code follow}: a live read of a project, its items written as one file per window of scrape time. */
@Command(name = "follow", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Follow a project live: list its jobs every --poll, read each job's items as soon as it finishes "
        + "(with --running-jobs: page by page while it runs), and write them as JSON-lines files, one per --window of "
        + "the time they were scraped (_ts), each line the item's JSON with its _key and _ts first. Runs until "
        + "--idle-polls or --for says to stop, then until the jobs being read end; by default until Ctrl-C. A window's "
        + "file is written once the follow is past it; Ctrl-C or SIGTERM writes every item read so far, then stops."},
    footer = {"", "Examples:",
        "  scrapinghub-io follow --running-jobs --output=live                   (demo crawls, no key needed)",
        "  SH_APIKEY=... scrapinghub-io follow --project=123 --spider=products --running-jobs --output=live",
        "  SH_APIKEY=... scrapinghub-io follow --project=123 --consumed-tag=exported --idle-polls=30 --output=batch"})
public final class FollowCommand implements Callable<Integer> {
  private static final Duration POLL = Duration.ofSeconds(10);

  /** The demo's crawls take seconds: a poll every 10 s would leave it waiting most of its time. */
  private static final Duration DEMO_POLL = Duration.ofSeconds(2);

  /**
   * Flink settings of a streaming follow (as the FollowProject example sets them), unless given
   * after {@code --}: checkpoints, so that a failed task restarts from the last one rather than
   * reading every job again.
   */
  private static final List<String> FLINK_STREAMING = List.of("--streaming=true", "--checkpointingInterval=2000",
      "--numberOfExecutionRetries=3", "--executionRetryDelay=1000",
      // The window files' writer takes its panes once a checkpoint holds them (@RequiresStableInput):
      // a job that ends by itself writes those still held rather than failing.
      "--enableStableInputDrain=true");

  /**
   * Embedded Flink runs detached, for the command to end the job: with checkpoints on, Beam keeps
   * the job's sources, and so the job, alive. The usual way out, shutting the sources down once idle
   * ({@code --shutdownSourcesAfterIdleMs}), stalls the watermark: Beam's Flink runner then drains the
   * read's polling step in a loop of timers that emits no watermark until the polling stops, so no
   * window would be written before the end (with no termination, never).
   */
  private static final List<String> FLINK_EMBEDDED = List.of("--attachedMode=false");

  /** A cluster's job ends by the read's termination only with its sources shut down: windows are then written at the end. */
  private static final List<String> FLINK_CLUSTER_TERMINATING = List.of("--shutdownSourcesAfterIdleMs=1000");

  /** The Direct runner runs in the background, for the command to stop it. */
  private static final List<String> DIRECT_STREAMING = List.of("--streaming=true", "--blockOnRun=false");

  private final CliContext context;

  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Mixin
  JobSelectionOptions selection;

  @Option(names = "--poll", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Time between two listings of the project's jobs (default: 10s; 2s in demo mode)")
  Duration poll;

  @Option(names = "--running-jobs",
      description = "Also read jobs that are still running, page by page as their items are written "
          + "(default: off: a job is read once it has finished)")
  boolean runningJobs;

  @Option(names = "--idle-polls", paramLabel = "N", converter = PositiveIntConverter.AtLeastOne.class,
      description = "Stop after N polls in a row found no new job, once the jobs being read end "
          + "(default: none: until Ctrl-C, or in demo mode until the demo crawls are read)")
  Integer idlePolls;

  @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Stop polling this long after the start, once the jobs being read end (default: none)")
  Duration duration;

  @Option(names = "--consumed-tag", paramLabel = "TAG",
      description = "Tag each job once all its items were read, and skip jobs having it: a restarted follow does "
          + "not read them again (default: none)")
  String consumedTag;

  @Option(names = "--output", paramLabel = "DIR", defaultValue = "follow",
      description = "Directory for the window files, created if missing; refused unless new or empty "
          + "(default: ${DEFAULT-VALUE})")
  Path output;

  @Option(names = "--window", paramLabel = "DURATION", defaultValue = "1m", converter = DurationConverter.class,
      description = "Scrape time each file covers; a window's file is written once the follow is past it "
          + "(default: ${DEFAULT-VALUE})")
  Duration window;

  @Option(names = "--shards", paramLabel = "N", defaultValue = "1", converter = PositiveIntConverter.AtLeastOne.class,
      description = "Files per window, written in parallel (default: ${DEFAULT-VALUE})")
  int shards;

  @Mixin
  DataTypeOption dataType;

  @Mixin
  ProvenanceOption provenance;

  @Mixin
  RunnerOptions runner;

  @Mixin
  ProgressOptions progress;

  @Mixin
  FollowDemo demo;

  @Mixin
  VerboseOption verbose;

  FollowCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    validate();
    boolean inThisJvm = !runner.remote();
    checkJavaUtilOpen(inThisJvm);
    java.util.Set<ProvenanceOption.Field> fields = provenance.fields(spec, false); // samples are refused above
    PipelineOptions options = runner.pipelineOptions(spec, streamingOptions());
    Path dir = checkOutput();
    demo.deploy(selection.spiders);
    try (ScrapyCloudTarget target = ScrapyCloudTarget.open(connection, false, demo, context, spec);
        LiveCounts counts = LiveCounts.open();
        FollowControl control = FollowControl.open(counts.id())) {
      target.checkAccess(List.of());
      Files.createDirectories(dir);
      boolean demoMode = target.emulator() != null;
      Duration every = poll != null ? poll : demoMode ? DEMO_POLL : POLL;
      ScrapinghubRead<ScrapinghubRecord> read = dataType.applyTo(selection.applyTo(
          ScrapinghubIO.read().withConnection(target.connection()), target.project())).continuously(org.joda.time.Duration.millis(every.toMillis()));
      if (runningJobs) {
        read = read.withRunningJobs();
      }
      if (idlePolls != null) {
        read = read.withTerminationAfterIdlePolls(idlePolls);
      }
      if (duration != null) {
        read = read.withTerminationAfter(org.joda.time.Duration.millis(duration.toMillis()));
      }
      if (consumedTag != null) {
        // Not markConsumed(): it tags a job once its items are read, before they are in a file. The
        // pipeline tags it once they are all written; the selection skips the jobs tagged.
        List<String> lacks = new ArrayList<>(selection.lacksTags);
        if (!lacks.contains(consumedTag)) {
          lacks.add(consumedTag);
        }
        read = read.withLacksTag(lacks.toArray(new String[0]));
      }
      context.out().printf("Following %s of project %d with %s, a poll every %s, into %s (one file per %s of scrape "
          + "time); %s%n", describeSelection(), target.project(), runner.describe(), DurationConverter.format(every), dir,
          DurationConverter.format(window), until(demoMode));
      context.out().flush();
      counts.following();
      counts.counting(dataType.noun());
      ProgressDisplay progressDisplay = ProgressDisplay.create(progress, context, counts, runner.remote(), "Follow");
      try (AutoCloseable signals = inThisJvm ? StopSignals.install(control::requestStop, () -> stopAtOnce(control))
              : onRemoteStop(dir);
          AutoCloseable crawls = demoMode ? demo.scheduleWhileFollowing(target, selection.hasTags, context.out(), control)
              : null) {
        FollowSummary summary = new FollowPipeline(read, window, shards, consumedTag,
            target.connection()).adding(fields).run(options, dir, counts, control,
            progressDisplay, context.err(), inThisJvm);
        if (inThisJvm) {
          summary = summary.withJobsFinished(Math.max(summary.jobsFinished(), readToTheirEnd(target,
              counts.followedByJob())));
        }
        context.out().println(summary);
        context.out().flush();
        return StopSignals.exitCode(summary.stoppedBy());
      }
    }
  }

  /**
   * The jobs read to their end: finished in the job queue, with as many items as were read of them.
   * Asked of the service because a running Flink job's counters reach this JVM only every few seconds.
   */
  private static long readToTheirEnd(ScrapyCloudTarget target, Map<String, Long> read) {
    if (read.isEmpty()) {
      return 0;
    }
    try (ScrapinghubClient client = ScrapinghubClient.create(target.clientConfig())) {
      long n = 0;
      for (JobSummary s : client.getProject(target.project()).jobs().summaries(new ArrayList<>(read.keySet())).values()) {
        long items = s.items().orElse(-1);
        if ("finished".equals(s.state()) && (items < 0 || items == read.getOrDefault(s.key().toString(), -1L))) {
          n++;
        }
      }
      return n;
    } catch (RuntimeException e) {
      return 0; // the summary keeps the pipeline's own count
    }
  }

  /** The Beam options this command sets unless given after {@code --}. */
  private List<String> streamingOptions() {
    if (!runner.onFlink()) {
      return DIRECT_STREAMING;
    }
    List<String> o = new ArrayList<>(FLINK_STREAMING);
    if (!runner.remote()) {
      o.addAll(FLINK_EMBEDDED);
    } else if (idlePolls != null || duration != null) {
      o.addAll(FLINK_CLUSTER_TERMINATING);
    }
    return o;
  }

  /** A second Ctrl-C: the process exits at once. */
  private void stopAtOnce(FollowControl control) {
    context.err().println("Stopped at once: " + Counted.of(control.taken() - control.written(), "item")
        + " read but not yet written are not in " + output + "; the window files written are.");
    context.err().flush();
  }

  /** On a cluster, stopping this process leaves the job running there: say so. */
  private AutoCloseable onRemoteStop(Path dir) {
    Thread hook = new Thread(() -> {
      context.err().println();
      context.err().println("Stopped this command only: the follow keeps running on the Flink cluster at "
          + runner.flinkMaster + ", writing into " + dir + "; cancel it there to stop it.");
      context.err().flush();
    }, "scrapinghub-cli-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    return () -> {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run
      }
    };
  }

  /**
   * Embedded Flink checkpoints the window writer's input ({@code @RequiresStableInput}) with Kryo,
   * which on Java 17 must reach into java.util: the jar's manifest opens it for {@code java -jar};
   * a JVM started otherwise needs the option, or every checkpoint fails. Refused at once, saying so.
   */
  private void checkJavaUtilOpen(boolean inThisJvm) {
    if (inThisJvm && runner.onFlink() && !Object.class.getModule().isOpen("java.util", FollowCommand.class.getModule())) {
      throw new ParameterException(spec.commandLine(), "follow on embedded Flink needs java.util open to Flink's "
          + "Kryo serializer: run the jar with java -jar (its manifest opens it), or add the JVM option "
          + "--add-opens=java.base/java.util=ALL-UNNAMED");
    }
  }

  /** Usage errors, before anything starts. */
  private void validate() {
    selection.validate(spec, connection.project);
    if (!selection.jobs.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--jobs=" + selection.jobs.get(0) + " names fixed jobs: "
          + "expected a project's selection to follow (--spider, --has-tag, --lacks-tag); `export --jobs` reads given jobs");
    }
    if (!selection.states.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--state=" + String.join(",", selection.states)
          + " does not apply to a follow, which reads finished jobs: expected --running-jobs to read running ones too");
    }
    if (dataType.dataType == DataTypeOption.DataType.samples) {
      throw new ParameterException(spec.commandLine(), "--data-type=samples cannot be followed: samples carry no "
          + "store time (_ts), which follow's windows are made of; expected items, logs or requests");
    }
    if (consumedTag != null && consumedTag.isBlank()) {
      throw new ParameterException(spec.commandLine(), "--consumed-tag='" + consumedTag + "' is blank: expected a tag");
    }
    if (consumedTag != null) {
      consumedTag = consumedTag.strip();
    }
    // The tags go through the dash API: an --endpoint alone is an emulator's, or refused.
    connection.endpoints(spec, context.environment());
  }

  /** The output directory, to be created if missing; one holding anything is refused, so windows never mix. */
  private Path checkOutput() throws IOException {
    if (output.toString().equals("-")) {
      throw new ParameterException(spec.commandLine(), "--output=- (standard output) is for export; follow writes "
          + "one file per window into a directory: expected a directory");
    }
    Path dir = output.toAbsolutePath().normalize();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new ParameterException(spec.commandLine(), "--output=" + output + " is a file: expected a directory");
    }
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        if (s.findAny().isPresent()) {
          throw new ParameterException(spec.commandLine(), "--output=" + output
              + " is not empty: expected a new or empty directory, so that its window files are this follow's");
        }
      }
    }
    return dir;
  }

  /** e.g. "finished and running jobs of spider books, tagged ready". */
  private String describeSelection() {
    String s = (dataType.items() ? "" : dataType.dataType + " of ") + selection.describe();
    return runningJobs ? s.replaceFirst("finished jobs", "finished and running jobs") : s;
  }

  private String until(boolean demoMode) {
    List<String> stops = new ArrayList<>();
    if (idlePolls != null) {
      stops.add("after " + idlePolls + (idlePolls == 1 ? " poll finds" : " polls in a row find") + " no new job");
    }
    if (duration != null) {
      stops.add("after " + DurationConverter.format(duration));
    }
    if (!stops.isEmpty()) {
      return "stops " + String.join(" or ", stops) + ", once the jobs being read end";
    }
    if (demoMode) {
      return "until the demo crawls are read";
    }
    return runner.remote() ? "until the job is cancelled on the cluster"
        : "until Ctrl-C or SIGTERM, which write the items read so far, then stop";
  }
}
