package io.scrapinghubio.cli.export;

import io.scrapinghubio.cli.run.StagedOutput;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.ScrapinghubRead;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.cli.console.CliContext;
import io.scrapinghubio.cli.console.Counted;
import io.scrapinghubio.cli.console.RunFailure;
import io.scrapinghubio.cli.format.CsvLines;
import io.scrapinghubio.cli.format.JsonLines;
import io.scrapinghubio.cli.format.ParquetRecords;
import io.scrapinghubio.cli.format.RecordFormat;
import io.scrapinghubio.cli.run.PartRewrite;
import io.scrapinghubio.cli.options.ConnectionOptions;
import io.scrapinghubio.cli.options.DataTypeOption;
import io.scrapinghubio.cli.options.JobSelectionOptions;
import io.scrapinghubio.cli.options.PositiveIntConverter;
import io.scrapinghubio.cli.options.ProgressOptions;
import io.scrapinghubio.cli.options.ProvenanceOption;
import io.scrapinghubio.cli.options.RunnerOptions;
import io.scrapinghubio.cli.options.S3Options;
import io.scrapinghubio.cli.options.VerboseOption;
import io.scrapinghubio.cli.progress.LiveCounts;
import io.scrapinghubio.cli.progress.ProgressDisplay;
import io.scrapinghubio.cli.run.StandardOutputLines;
import io.scrapinghubio.cli.cloud.ScrapyCloudTarget;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import io.scrapinghubio.beam.rows.RowSchemas;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code export}: the bulk export, the connector's main job. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Export every item of the selected jobs of a project as JSON-lines files (part-*.jl; or CSV with "
        + "--format=csv, Parquet with --format=parquet) in a new "
        + "directory or under an s3:// prefix, read in parallel. The output appears only once the export has "
        + "completed (under s3://, with a _SUCCESS marker written last). Into a directory, a failure, Ctrl-C or kill "
        + "keeps the files committed so far in a hidden .DIR.unfinished beside it: the same command continues from "
        + "them, writing each record once. Under s3://, a failure or Ctrl-C removes the partial files."},
    footer = {"", "Examples:",
        "  scrapinghub-io export --output=items                       (demo data, no key needed)",
        "  SH_APIKEY=... scrapinghub-io export --project=123 --spider=products --has-tag=ready --output=items",
        "  SH_APIKEY=... scrapinghub-io export --jobs=123/1/4,123/1/5 --runner=direct --output=two-jobs",
        "  SH_APIKEY=... scrapinghub-io export --jobs=123/1/4 --output=- | jq -c 'select(.price > 10)'",
        "  SH_APIKEY=... scrapinghub-io export --project=123 --with=key,spider,ts --output=items",
        "  SH_APIKEY=... scrapinghub-io export --project=123 --spider=products --format=csv --output=products",
        "  SH_APIKEY=... scrapinghub-io export --jobs=123/1/4 --format=csv --output=- > items.csv",
        "  SH_APIKEY=... scrapinghub-io export --project=123 --format=parquet --compression=zstd --output=items",
        "  SH_APIKEY=... AWS_PROFILE=exports scrapinghub-io export --project=123 --output=s3://bucket/items/2024-06-01",
        "  SH_APIKEY=... scrapinghub-io export --project=123 --flink-master=jobmanager:8081 --output=/shared/items"})
public final class ExportCommand implements Callable<Integer> {
  /** {@code --output=-}: JSON lines to standard output, messages to stderr. */
  static final String STANDARD_OUTPUT = "-";
  /** The exit code of a process whose standard output's reader has gone (128 + SIGPIPE), as a shell reports it. */
  static final int READER_GONE = 141;

  private final CliContext context;

  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Mixin
  JobSelectionOptions selection;

  @Option(names = "--output", paramLabel = "DIR|s3://BUCKET/PREFIX|-", defaultValue = "export",
      description = "Local directory to create with the files; refused if it exists, unless --overwrite. "
          + "s3://BUCKET/PREFIX: objects under that prefix, refused if it holds any, unless --overwrite (AWS "
          + "settings from the environment and ~/.aws; see --s3-endpoint). "
          + "-: write the JSON lines to standard output as they are read (messages go to stderr), e.g. "
          + "| jq or | gzip (default: ${DEFAULT-VALUE})")
  String output;

  @Option(names = "--overwrite",
      description = "Replace the output directory or prefix if it exists, once the new export has completed "
          + "(default: off)")
  boolean overwrite;

  @Mixin
  S3Options s3;

  /** {@code --format}: what each record is written as. */
  enum Format {
    jsonl, csv, parquet;

    /** Whether the format writes the columns of an inferred schema (not the stored JSON). */
    boolean columns() {
      return this != jsonl;
    }
  }

  @Option(names = "--format", paramLabel = "jsonl|csv|parquet", defaultValue = "jsonl",
      description = "jsonl: each record's JSON as stored, one a line (part-*.jl). csv: RFC 4180 CSV (part-*.csv, "
          + "each file with a header row) of the columns inferred from a sample of the selected jobs (the first 500 "
          + "records of the 10 newest; for --data-type=logs or requests, of that type; not samples, which are arrays): _key, _job, then the fields by name; nested "
          + "values as JSON text, null as an empty field. A record that does not fit the sampled columns (text where "
          + "numbers were sampled) fails the export, naming it. parquet: Parquet files (part-*.parquet) of the same columns, "
          + "nested objects and arrays as nested columns, each part a complete file (default: ${DEFAULT-VALUE})")
  Format format;

  /** {@code --compression}: the codecs Beam's file sink has that users ask for. */
  enum Codec {
    none(org.apache.beam.sdk.io.Compression.UNCOMPRESSED),
    gzip(org.apache.beam.sdk.io.Compression.GZIP),
    zstd(org.apache.beam.sdk.io.Compression.ZSTD);

    final org.apache.beam.sdk.io.Compression compression;

    Codec(org.apache.beam.sdk.io.Compression compression) {
      this.compression = compression;
    }
  }

  @Option(names = "--compression", paramLabel = "none|gzip|zstd", defaultValue = "none",
      description = "Compress each file: gzip (part-*.jl.gz, part-*.csv.gz) or zstd (part-*.jl.zst); with "
          + "--format=parquet, Parquet's own page compression inside part-*.parquet; progress and summary count "
          + "the lines, the summary adds the files' size (default: ${DEFAULT-VALUE})")
  Codec compression;

  @Option(names = "--consumed-tag", paramLabel = "TAG",
      description = "Once the export is published, tag each job it read with TAG; and select only jobs lacking TAG "
          + "(as --lacks-tag=TAG), so that running the same command again exports the jobs finished since. A run "
          + "that fails or is stopped tags nothing (default: none)")
  String consumedTag;

  @Option(names = "--commit-every", paramLabel = "DURATION", defaultValue = "10s",
      converter = io.scrapinghubio.cli.options.DurationConverter.class,
      description = "How often each worker commits the file it writes (or at 256 MB): what an interrupted export "
          + "reads again when the same command resumes it. Shorter means more, smaller files (default: ${DEFAULT-VALUE})")
  java.time.Duration commitEvery;

  @Option(names = "--shards", paramLabel = "N", defaultValue = "0", converter = PositiveIntConverter.AtLeastZero.class,
      description = "Number of files; 0 lets the runner choose, which avoids a shuffle of the whole export just to "
          + "fix the file count. With N files nothing is committed before the end: an interrupted export starts "
          + "over (default: ${DEFAULT-VALUE})")
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
  ExportDemo demo;

  @Mixin
  VerboseOption verbose;

  ExportCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    if (consumedTag != null) {
      if (consumedTag.isBlank() || consumedTag.contains(",")) {
        throw new ParameterException(spec.commandLine(), "--consumed-tag='" + consumedTag + "' is not a tag: expected "
            + "one non-empty tag without commas, e.g. --consumed-tag=exported");
      }
      if (selection.jobs.isEmpty() && !selection.lacksTags.contains(consumedTag)) {
        selection.lacksTags.add(consumedTag); // the jobs a previous run has not exported
      }
    }
    selection.validate(spec, connection.project);
    java.util.Set<ProvenanceOption.Field> fields =
        provenance.fields(spec, dataType.dataType == DataTypeOption.DataType.samples);
    if (format.columns() && dataType.dataType == DataTypeOption.DataType.samples) {
      throw new ParameterException(spec.commandLine(), "--format=" + format + " writes the fields of records that "
          + "are JSON objects, and samples are arrays ([time, values...]): expected --format=jsonl with "
          + "--data-type=samples");
    }
    if (format.columns() && !fields.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--with adds fields to each JSON line, and --format=" + format
          + " writes the columns of the inferred schema: expected --format=jsonl with --with (or no --with)");
    }
    boolean toStdout = STANDARD_OUTPUT.equals(output);
    if (toStdout && format == Format.parquet) {
      // A Parquet file is read from its footer, at the end: it cannot be consumed as a stream.
      throw new ParameterException(spec.commandLine(), "--format=parquet writes binary files, each read from its "
          + "end, and --output=- streams to standard output: expected --output=DIR or s3://BUCKET/PREFIX with "
          + "--format=parquet, or --format=jsonl|csv with --output=-");
    }
    if (toStdout) {
      checkStandardOutputOptions();
    }
    if (s3.given() && !output.startsWith("s3://")) {
      throw new ParameterException(spec.commandLine(), "--s3-endpoint, --s3-region and --s3-path-style configure an "
          + "s3:// output, and --output=" + output + " is not one: expected --output=s3://bucket/prefix or none of them");
    }
    Supplier<PipelineOptions> beamOptions = runner.pipelineOptionsInBackground(spec);
    StagedOutput staged = null;
    if (!toStdout) {
      try {
        // An object store's file system is configured from Beam's options, the S3 flags added.
        Supplier<PipelineOptions> storeOptions = () -> {
          PipelineOptions o = beamOptions.get();
          s3.applyTo(o, context.environment(), spec);
          return o;
        };
        // --shards fixes the file count through Beam's file sink, which publishes nothing before the end.
        staged = shards == 0
            ? StagedOutput.prepareResumable(output, overwrite, storeOptions, contentOptions(), partRewrite())
            : StagedOutput.prepare(output, overwrite, storeOptions);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    // With the lines on stdout, every message goes to stderr: `| jq` sees JSON only.
    CliContext ctx = toStdout ? context.messagesOnStderr() : context;
    if (staged != null) {
      sayWhatIsResumed(staged, ctx);
    }
    try (ScrapyCloudTarget target = ScrapyCloudTarget.open(connection, !selection.jobs.isEmpty(), demo, ctx, spec);
        LiveCounts counts = LiveCounts.open()) {
      counts.runsOn(runner.engine());
      counts.counting(dataType.noun());
      target.checkAccess(selection.jobs);
      target.checkSpiders(selection.spiders, spec);
      ctx.out().printf("Exporting %s%s%s with %s into %s%n", dataType.items() ? "" : dataType.dataType + " of ",
          selection.describe(),
          selection.jobs.isEmpty() ? " of project " + target.project() : "", runner.describe(),
          toStdout ? "standard output" : staged.output());
      ctx.out().flush();
      // Only where the small-export choice is made: the progress's total comes from the read itself.
      boolean mayRunSmall = runner.embeddedFlinkByDefault() && shards == 0;
      CompletableFuture<SmallSelectionProbe.Size> probe = mayRunSmall ? probe(target) : null;
      PipelineOptions options = beamOptions.get(); // before this thread touches any Beam class
      ScrapinghubRead<ScrapinghubRecord> read = dataType.applyTo(
          selection.applyTo(ScrapinghubIO.read().withConnection(target.connection()), target.project()));
      if (fields.contains(ProvenanceOption.Field.ts)) {
        read = read.withStoreTimes();
      }
      if (staged != null && !staged.alreadyWritten().isEmpty()) {
        read = read.withoutRecords(staged.alreadyWritten()); // written by the interrupted run: each record once
      }
      ExportPipeline<?> export = (format.columns() ? columnsExport(read, ctx, staged) : new ExportPipeline<>(read,
          JsonLines.of(), shards))
          // Parquet compresses its pages itself (parquetCodec): its files are never compressed whole.
          .compressing(format == Format.parquet ? org.apache.beam.sdk.io.Compression.UNCOMPRESSED
              : compression.compression)
          .committingEvery(commitEvery)
          .adding(fields);
      if (consumedTag != null) {
        export.recordingJobs();
      }
      // Decided once the pipeline is built, so that the probe runs beside its construction.
      Runnable chooseEngine = !mayRunSmall ? () -> {} : () -> {
        if (!SmallExport.chooseFor(options, probe)) {
          return;
        }
        counts.runsOn("Flink in this thread");
        if (verbose.verbose) {
          ctx.err().println("A small selection: it runs on Flink's collection executor, in this thread, "
              + "without starting a Flink cluster");
          ctx.err().flush();
        }
      };
      ProgressDisplay display = ProgressDisplay.create(progress, ctx, counts, runner.remote(), "Export");
      ExportSummary summary;
      if (toStdout) {
        try (StandardOutputLines lines = StandardOutputLines.open(ctx.data())) {
          try {
            summary = export.runToStandardOutput(options, lines, counts, display, ctx.err(), chooseEngine);
          } catch (RuntimeException e) {
            if (lines.readerGone()) {
              return READER_GONE; // `| head` has what it wanted: stop quietly, as Unix tools do
            }
            throw e;
          }
        }
      } else {
        summary = export.run(options, staged, counts, display, ctx.err(), chooseEngine);
      }
      ctx.out().println(compression == Codec.none || staged == null ? summary.toString()
          : summary + String.format(java.util.Locale.ROOT, "; %.1f MB as %s files", staged.publishedBytes() / 1e6,
              format == Format.parquet ? "Parquet (" + compression + " pages)" : compression));
      if (staged != null && !staged.alreadyWritten().isEmpty()) {
        ctx.out().println("With the " + Counted.of(staged.alreadyWritten().count(), dataType.noun())
            + " the interrupted run wrote, " + staged.output() + " holds "
            + Counted.of(staged.alreadyWritten().count() + summary.items(), dataType.noun()));
      }
      if (summary.jobs() == 0 && selection.jobs.isEmpty()) {
        ctx.out().println("No job matched: " + selection.describe() + " of project " + target.project()
            + (consumedTag != null ? " (none finished since the last export tagged '" + consumedTag + "')" : ""));
      }
      if (consumedTag != null && !summary.jobsRead().isEmpty()) {
        int tagged = ConsumedTag.tag(target.clientConfig(), summary.jobsRead(), consumedTag, summary.destination());
        ctx.out().println("Tagged " + Counted.of(tagged, "job") + " '" + consumedTag
            + "': the next export with --consumed-tag=" + consumedTag + " skips them");
      }
      ctx.out().flush();
      return 0;
    } catch (RuntimeException | Error e) {
      if (staged != null) {
        staged.abandon();
        if (staged.keptForResume()) {
          ctx.err().println("The parts written before the failure are kept in " + staged.unfinished()
              + ": run the same command again to continue from them.");
          ctx.err().flush();
        }
      }
      throw e;
    }
  }

  /**
   * The export as CSV or Parquet: the columns inferred now, from a sample of the selection, so that
   * the header (Parquet's schema) is known before any row is written and every file has the same one.
   * A run that resumes an interrupted one takes that run's columns instead: a sample taken later
   * may differ (new jobs finished since), and the parts already written must agree with the rest.
   */
  private ExportPipeline<Row> columnsExport(ScrapinghubRead<ScrapinghubRecord> read, CliContext ctx, StagedOutput staged) {
    java.util.Optional<byte[]> settled = staged == null ? java.util.Optional.empty() : staged.settled(COLUMNS);
    Schema schema = settled.isPresent() ? SettledColumns.decode(settled.get(), staged.unfinished()) : inferColumns(read);
    if (staged != null) {
      staged.settle(COLUMNS, SettledColumns.encode(schema));
    }
    if (verbose.verbose) {
      ctx.err().print((format == Format.csv ? "CSV" : "Parquet") + " columns, "
          + (settled.isPresent() ? "those of the interrupted run" : "inferred from a sample of the selection")
          + ":\n" + RowSchemas.describe(schema));
      ctx.err().flush();
    }
    return new ExportPipeline<>(read.asRows(schema), format == Format.csv ? new CsvLines(schema)
        : new ParquetRecords(schema, parquetCodec()), shards);
  }

  /** What {@link StagedOutput#settle} keeps the columns under. */
  private static final String COLUMNS = "columns";

  private Schema inferColumns(ScrapinghubRead<ScrapinghubRecord> read) {
    Schema schema;
    try {
      schema = read.inferSchema();
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().contains("no job matches")) {
        // Nothing to write (e.g. --consumed-tag with no job finished since): the export ends as a
        // JSON-lines one does, saying no job matched, with the lineage columns only.
        schema = Schema.builder().addNullableField(RowSchemas.KEY_FIELD, Schema.FieldType.STRING)
            .addNullableField(RowSchemas.JOB_FIELD, Schema.FieldType.STRING).build();
      } else {
        throw new RunFailure("--format=" + format + " takes its columns from a sample of the selected jobs: "
            + e.getMessage().replace("; give the schema with asRows(schema)", ""), e);
      }
    }
    return schema;
  }

  /** Parquet's page compression for {@code --compression}. */
  private org.apache.parquet.hadoop.metadata.CompressionCodecName parquetCodec() {
    switch (compression) {
      case gzip:
        return org.apache.parquet.hadoop.metadata.CompressionCodecName.GZIP;
      case zstd:
        return org.apache.parquet.hadoop.metadata.CompressionCodecName.ZSTD;
      default:
        return org.apache.parquet.hadoop.metadata.CompressionCodecName.UNCOMPRESSED;
    }
  }

  /**
   * How a resumable export rewrites a part that a runner's retry made repeat records: lines of the
   * compression's, or a Parquet file read and written again (its schema is the file's own).
   */
  private PartRewrite partRewrite() {
    if (format != Format.parquet) {
      return PartRewrite.lines(compression.compression);
    }
    org.apache.parquet.hadoop.metadata.CompressionCodecName codec = parquetCodec();
    return (from, to, records, keep) -> ParquetRecords.copy(from, to, keep, codec);
  }

  /** The first line of a run that continues an interrupted one, or that removed another command's. */
  private void sayWhatIsResumed(StagedOutput staged, CliContext ctx) {
    if (staged.discarded() != null) {
      ctx.out().println("Removed the unfinished export " + staged.discarded() + " left in " + staged.unfinished()
          + ": this command starts afresh");
    }
    if (!staged.alreadyWritten().isEmpty()) {
      ctx.out().println("Resuming the interrupted export in " + staged.unfinished() + ": the "
          + Counted.of(staged.alreadyWritten().count(), dataType.noun()) + " of "
          + Counted.of(staged.alreadyWritten().jobs(), "job") + " it wrote are kept and not written again");
    }
    ctx.out().flush();
  }

  /**
   * Every option given that changes what is written, as typed (the API key aside): an interrupted
   * export is resumed only by the same command.
   */
  private String contentOptions() {
    return spec.commandLine().getParseResult().matchedOptions().stream()
        .filter(o -> !NOT_CONTENT.contains(o.longestName())
            && !o.longestName().toLowerCase(java.util.Locale.ROOT).contains("key"))
        .map(o -> o.longestName() + "=" + String.join(",", o.originalStringValues()))
        .sorted().collect(java.util.stream.Collectors.joining(" "));
  }

  /** Options that change how an export runs or shows, not what it writes. */
  private static final java.util.Set<String> NOT_CONTENT = java.util.Set.of("--output", "--overwrite", "--runner",
      "--flink-master", "--parallelism", "--progress", "--progress-seconds", "--verbose", "--commit-every");

  /**
   * Starts finding out whether the selection is small enough for {@link SmallExport}, at a bounded
   * cost. Only items are probed (from their stats); other records run on the cluster.
   */
  private CompletableFuture<SmallSelectionProbe.Size> probe(ScrapyCloudTarget target) {
    if (!dataType.items()) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException("only items are probed"));
    }
    return selection.jobs.isEmpty()
        ? SmallSelectionProbe.ofListed(target.clientConfig(), target.project(), selection.query(), selection.spiders,
            SmallExport.MAX_JOBS)
        : SmallSelectionProbe.ofJobs(target.clientConfig(), selection.jobs, SmallExport.MAX_JOBS);
  }

  /** Refuses what has no meaning, or cannot work, when the lines go to this process's stdout. */
  private void checkStandardOutputOptions() {
    if (runner.remote()) {
      throw new ParameterException(spec.commandLine(), "--output=- writes to this process's standard output, which "
          + "the workers of a Flink cluster (--flink-master) cannot reach: expected an output directory shared by "
          + "the cluster, or no --flink-master");
    }
    if (overwrite) {
      throw new ParameterException(spec.commandLine(), "--overwrite replaces an output directory, and --output=- "
          + "writes to standard output: expected one or the other");
    }
    if (shards != 0) {
      throw new ParameterException(spec.commandLine(), "--shards=" + shards + " sets a number of files, and "
          + "--output=- writes one stream to standard output: expected one or the other");
    }
    if (compression != Codec.none) {
      throw new ParameterException(spec.commandLine(), "--compression=" + compression + " compresses files, and "
          + "--output=- writes one stream to standard output: pipe it instead, e.g. | " + compression);
    }
  }
}
