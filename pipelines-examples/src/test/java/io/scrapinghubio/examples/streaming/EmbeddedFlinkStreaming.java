package io.scrapinghubio.examples.streaming;

import io.scrapinghubio.beam.flink.LoopbackFlinkConfig;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Options of a streaming pipeline on a Flink cluster embedded in the test's JVM: streaming mode,
 * checkpoints every {@code checkpointMillis}, and a restart strategy (fixed delay, a few attempts)
 * so that a failed task restarts the job from its last completed checkpoint instead of failing the
 * test. Beam sets Flink's restart strategy from {@code numberOfExecutionRetries} and
 * {@code executionRetryDelay}.
 */
public final class EmbeddedFlinkStreaming {
  private EmbeddedFlinkStreaming() {}

  public static FlinkPipelineOptions options(long checkpointMillis) {
    FlinkPipelineOptions o = PipelineOptionsFactory.create().as(FlinkPipelineOptions.class);
    o.setRunner(FlinkRunner.class);
    o.setFlinkMaster("[local]");
    o.setFlinkConfDir(LoopbackFlinkConfig.directory()); // its REST endpoint on 127.0.0.1 only
    o.setStreaming(true);
    o.setParallelism(2);
    o.setCheckpointingInterval(checkpointMillis);
    o.setNumberOfExecutionRetries(3);
    o.setExecutionRetryDelay(200L);
    // With checkpointing on, Beam keeps its impulse sources alive forever (so that checkpoints go
    // on); a pipeline that ends by its own termination condition needs them to stop once idle.
    // Flink 1.19 checkpoints tasks after others have finished, so checkpoints go on regardless.
    o.setShutdownSourcesAfterIdleMs(1000L);
    return o;
  }
}
