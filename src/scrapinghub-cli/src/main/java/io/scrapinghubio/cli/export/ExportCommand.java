package io.scrapinghubio.cli.export;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.cli.CliContext;
import io.scrapinghubio.cli.options.ConnectionOptions;
import io.scrapinghubio.cli.options.JobSelectionOptions;
import io.scrapinghubio.cli.options.PositiveIntConverter;
import io.scrapinghubio.cli.options.ProgressOptions;
import io.scrapinghubio.cli.options.RunnerOptions;
import io.scrapinghubio.cli.options.VerboseOption;
import io.scrapinghubio.cli.progress.LiveCounts;
import io.scrapinghubio.cli.progress.PlannedItems;
import io.scrapinghubio.cli.progress.ProgressDisplay;
import io.scrapinghubio.cli.cloud.ScrapyCloudTarget;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.beam.sdk.options.PipelineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code export}: the bulk export, the connector's main job. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Export every item of the selected jobs of a project as JSON-lines files (part-*.jl) in a new "
        + "directory, read in parallel. The directory appears only once the export has completed; a failure or "
        + "Ctrl-C removes the partial files."},
    footer = {"", "Examples:",
        "  scrapinghub-io export --output=items                       (demo data, no key needed)",
        "  SH_APIKEY=... scrapinghub-io export --project=123 --spider=products --has-tag=ready --output=items",
        "  SH_APIKEY=... scrapinghub-io export --jobs=123/1/4,123/1/5 --runner=direct --output=two-jobs",
        "  SH_APIKEY=... scrapinghub-io export --project=123 --flink-master=jobmanager:8081 --output=/shared/items"})
public final class ExportCommand implements Callable<Integer> {
  private final CliContext context;

  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Mixin
  JobSelectionOptions selection;

  @Option(names = "--output", paramLabel = "DIR", defaultValue = "export",
      description = "Local directory to create with the files; refused if it exists, unless --overwrite "
          + "(default: ${DEFAULT-VALUE})")
  String output;

  @Option(names = "--overwrite",
      description = "Replace the output directory if it exists, once the new export has completed (default: off)")
  boolean overwrite;

  @Option(names = "--shards", paramLabel = "N", defaultValue = "0", converter = PositiveIntConverter.AtLeastZero.class,
      description = "Number of files; 0 lets the runner choose, which avoids a shuffle of the whole export just to "
          + "fix the file count (default: ${DEFAULT-VALUE})")
  int shards;

  @Mixin
  RunnerOptions runner;

  @Mixin
  ProgressOptions progress;

  @Mixin
  ExportDemo demo;

  @Mixin
  VerboseOption verbose;

  ExportCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    selection.validate(spec, connection.project);
    Supplier<PipelineOptions> beamOptions = runner.pipelineOptionsInBackground(spec);
    ExportDirectory staged;
    try {
      staged = ExportDirectory.prepare(output, overwrite);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    try (ScrapyCloudTarget target = ScrapyCloudTarget.open(connection, !selection.jobs.isEmpty(), demo, context, spec);
        LiveCounts counts = LiveCounts.open()) {
      target.checkAccess(selection.jobs);
      target.checkSpiders(selection.spiders, spec);
      context.out().printf("Exporting %s%s with %s into %s%n", selection.describe(),
          selection.jobs.isEmpty() ? " of project " + target.project() : "", runner.describe(), staged.output());
      context.out().flush();
      CompletableFuture<PlannedItems.Plan> sizing = selection.jobs.isEmpty()
          ? PlannedItems.countListed(target.clientConfig(), target.project(), selection.query(), selection.spiders,
              counts, SmallExport.MAX_JOBS)
          : PlannedItems.countJobs(target.clientConfig(), selection.jobs, counts, SmallExport.MAX_JOBS);
      PipelineOptions options = beamOptions.get(); // before this thread touches any Beam class
      ExportPipeline export = new ExportPipeline(
          selection.applyTo(ScrapinghubIO.read().withConnection(target.connection()), target.project()), shards);
      // Decided once the pipeline is built, so that the sizing runs beside its construction.
      Runnable chooseEngine = !runner.embeddedFlinkByDefault() || shards != 0 ? () -> {} : () -> {
        if (SmallExport.chooseFor(options, sizing) && verbose.verbose) {
          context.err().println("A small selection: it runs on Flink's collection executor, in this thread, "
              + "without starting a Flink cluster");
          context.err().flush();
        }
      };
      ExportSummary summary = export.run(options, staged, counts,
          ProgressDisplay.create(progress, context, counts, runner.remote(), "Export"), context.err(), chooseEngine);
      context.out().println(summary);
      context.out().flush();
      return 0;
    } catch (RuntimeException | Error e) {
      staged.abandon();
      throw e;
    }
  }
}
