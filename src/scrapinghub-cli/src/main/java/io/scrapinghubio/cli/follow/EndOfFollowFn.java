package io.scrapinghubio.cli.follow;

import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;

/**
 * Tells the command that a follow has written its last window: fires when the watermark after the
 * window writers reaches the end of time, which happens once the read has stopped polling (its
 * termination) and every job it followed has been read to its end. On embedded Flink the job would
 * otherwise never end by itself: with checkpoints on, Beam keeps its sources alive.
 */
final class EndOfFollowFn extends DoFn<KV<String, String>, Void> {
  private static final long serialVersionUID = 1L;
  private final String runId;

  @TimerId("end")
  private final TimerSpec endSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  EndOfFollowFn(String runId) {
    this.runId = runId;
  }

  @ProcessElement
  public void process(@TimerId("end") Timer end) {
    end.set(GlobalWindow.INSTANCE.maxTimestamp());
  }

  @OnTimer("end")
  public void onEnd() {
    FollowControl control = FollowControl.inThisJvm(runId);
    if (control != null) {
      control.ended();
    }
  }
}
