package io.scrapinghubio.examples;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.flink.LoopbackFlinkConfig;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The connector's main job in a few lines: every item of every finished job of a project, read in
 * parallel, written as JSON-lines files, each item's stored bytes as they are.
 *
 * <pre>
 * mvn -q install -DskipTests &amp;&amp; mvn -q -f pipelines-examples/pom.xml compile exec:exec
 *     [-Dapp.args="--endpoint=https://storage.scrapinghub.com/ --project=123 --output=..."]  (key from SH_APIKEY)
 * </pre>
 * Without {@code --endpoint} it starts an embedded emulator seeded with demo data. The export as
 * users run it (an output directory that appears only when complete, progress, embedded Flink by
 * default, job filters) is the command line's {@code export}: src/scrapinghub-cli.
 */
public final class BulkExport {

  /** Beam options of the example (the API key is deliberately not one: see {@link ExampleEnvironment}). */
  public interface Options extends PipelineOptions {
    @Description("Directory for the files, part-SSSSS-of-NNNNN.jl")
    @Default.String("target/bulk-export")
    String getOutput();

    void setOutput(String o);
  }

  public static void main(String[] args) {
    try (ExampleEnvironment env = ExampleEnvironment.fromArgs(args)) {
      // With --runner=FlinkRunner, the embedded cluster serves its REST API on 127.0.0.1 only.
      Options options = PipelineOptionsFactory.fromArgs(LoopbackFlinkConfig.addTo(env.beamArgs())).withValidation().as(Options.class);
      run(env.connection(), env.project(), options).waitUntilFinish();
      System.out.println("Exported project " + env.project() + " to " + options.getOutput());
    }
  }

  static PipelineResult run(ScrapinghubConnection connection, long project, Options options) {
    Pipeline p = Pipeline.create(options);
    p.apply("ReadItems", ScrapinghubIO.read().withConnection(connection).withProject(project))
        .apply("WriteFiles", FileIO.<ScrapinghubRecord>write().via(ScrapinghubIO.jsonLinesSink())
            .to(options.getOutput()).withPrefix("part").withSuffix(".jl"));
    return p.run();
  }
}
