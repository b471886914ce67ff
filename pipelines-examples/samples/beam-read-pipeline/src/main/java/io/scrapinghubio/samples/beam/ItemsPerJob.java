package io.scrapinghubio.samples.beam;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * A Beam pipeline that reads every item of a project's finished jobs with
 * {@code ScrapinghubIO.read()} (jobs listed, sized and read in parallel chunks by the runner's
 * workers) and writes how many items each job holds, one {@code JOB<TAB>COUNT} line per job.
 *
 * <pre>
 * SH_APIKEY=... java -cp ... io.scrapinghubio.samples.beam.ItemsPerJob \
 *     --project=123 --output=items-per-job --runner=DirectRunner
 * </pre>
 *
 * The key, and the endpoints when they are not Scrapy Cloud's ({@code SHUB_STORAGE},
 * {@code SHUB_APIURL}, e.g. an emulator's), come from the environment; the workers read the key
 * from theirs, so it never enters the job graph.
 */
public final class ItemsPerJob {
  private ItemsPerJob() {}

  /** The pipeline's own options, beside Beam's ({@code --runner} and the runner's). */
  public interface Options extends PipelineOptions {
    /**
     * The project to read.
     *
     * @return a Scrapy Cloud project id
     */
    @Description("Scrapy Cloud project id")
    @Validation.Required
    Long getProject();

    /**
     * Sets the project to read.
     *
     * @param project a Scrapy Cloud project id
     */
    void setProject(Long project);

    /**
     * Where the counts go.
     *
     * @return the output file, without its {@code .tsv} suffix
     */
    @Description("Output file, without its .tsv suffix")
    @Validation.Required
    String getOutput();

    /**
     * Sets where the counts go.
     *
     * @param output the output file, without its {@code .tsv} suffix
     */
    void setOutput(String output);
  }

  /**
   * The items of every finished job of a project, counted per job.
   *
   * @param pipeline the pipeline to add the read to
   * @param connection endpoints and key (the key is read on the workers unless set explicitly)
   * @param project the project to read
   * @return each job's key with its number of items; jobs without items do not appear
   */
  public static PCollection<KV<String, Long>> countItemsPerJob(Pipeline pipeline, ScrapinghubConnection connection,
      long project) {
    return pipeline
        .apply("Read items", ScrapinghubIO.read().withConnection(connection).withProject(project))
        .apply("Job key", MapElements.into(TypeDescriptors.strings()).via(ScrapinghubRecord::jobKey))
        .apply("Count per job", Count.perElement());
  }

  /**
   * Builds the whole pipeline: the counts of {@link #countItemsPerJob} written as one
   * {@code OUTPUT.tsv} file of {@code JOB<TAB>COUNT} lines (in no particular order).
   *
   * @param options the project, the output and Beam's options
   * @param connection endpoints and key
   * @return the pipeline, not yet run
   */
  public static Pipeline build(Options options, ScrapinghubConnection connection) {
    Pipeline pipeline = Pipeline.create(options);
    countItemsPerJob(pipeline, connection, options.getProject())
        .apply("Format", MapElements.into(TypeDescriptors.strings())
            .via((KV<String, Long> jobCount) -> jobCount.getKey() + "\t" + jobCount.getValue()))
        // One small file: a few lines per job, so sharding would only scatter them.
        .apply("Write", TextIO.write().to(options.getOutput()).withSuffix(".tsv").withoutSharding());
    return pipeline;
  }

  /**
   * Runs the pipeline to its end.
   *
   * @param args {@code --project=ID --output=FILE} and Beam's options, e.g. {@code --runner=DirectRunner}
   */
  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    PipelineResult.State state = build(options, ScrapinghubIO.connection()).run().waitUntilFinish();
    System.out.println("pipeline " + state + "; counts in " + options.getOutput() + ".tsv");
  }
}
