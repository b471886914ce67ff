package io.scrapinghubio.examples;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The connector's main job in a few lines: every item of every finished job of a project, read in
 * parallel, written as JSON-lines files, each item's stored bytes as they are.
 *
 * <pre>
 * mvn -q install -DskipTests &amp;&amp; mvn -q -f pipelines-examples/pom.xml compile exec:exec
 *     [-Dapp.args="--endpoint=https://storage.scrapinghub.com/ --project=123 --output=..."]  (key from SH_APIKEY)
 * </pre>
 * Without {@code --endpoint} it starts an embedded emulator seeded with demo data. Its last line
 * names the directory the files are in, absolute. The export as users run it (an output directory
 * that appears only when complete, progress, embedded Flink by default, job filters) is the command
 * line's {@code export}: src/scrapinghub-cli.
 */
public final class BulkExport {

  /** Beam options of the example (the API key is deliberately not one: see {@link ExampleEnvironment}). */
  public interface Options extends PipelineOptions {
    @Description("Directory for the files, part-SSSSS-of-NNNNN.jl (relative: to where the example was started)")
    @Default.String("target/bulk-export")
    String getOutput();

    void setOutput(String o);
  }

  /** What the export wrote, and where: the example's last line. */
  public record Summary(long project, Path directory, List<Path> files) {
    @Override
    public String toString() {
      return "Exported project " + project + " to " + directory + ": " + files.size() + " files part-*.jl";
    }
  }

  public static void main(String[] args) {
    try (ExampleEnvironment env = ExampleEnvironment.fromArgs(args)) {
      System.out.println(run(env.connection(), env.project(), ExampleArgs.options(env.beamArgs(), Options.class)));
    }
  }

  static Summary run(ScrapinghubConnection connection, long project, Options options) {
    Path dir = OutputDirectory.of(options.getOutput());
    Pipeline p = Pipeline.create(options);
    p.apply("ReadItems", ScrapinghubIO.read().withConnection(connection).withProject(project))
        .apply("WriteFiles", FileIO.<ScrapinghubRecord>write().via(ScrapinghubIO.jsonLinesSink())
            // Absolute: a worker of a cluster resolves a relative path against its own directory.
            .to(dir.toString()).withPrefix("part").withSuffix(".jl")
            // Beside the output, not in it (FileIO's default leaves an empty .temp-beam there).
            .withTempDirectory(OutputDirectory.staging(dir).toString()));
    PipelineResult.State state = p.run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the export pipeline ended " + state + ": the files in " + dir + " are incomplete");
    }
    OutputDirectory.removeStaging(dir);
    return new Summary(project, dir, OutputDirectory.files(dir, n -> n.startsWith("part-") && n.endsWith(".jl")));
  }
}
