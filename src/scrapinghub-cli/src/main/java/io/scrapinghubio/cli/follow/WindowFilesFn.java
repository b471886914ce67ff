package io.scrapinghubio.cli.follow;

import io.scrapinghubio.cli.progress.LiveCounts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Gathers the lines of one window and shard of a follow into panes, each named
 * {@code items-<window start>-<window end>-pane-<n>-<shard>-of-<shards>.jl}, and hands each pane,
 * as its file name and lines, to {@link WriteWindowFileFn}: holds the lines in Beam state
 * (checkpointed with the read's position, so a restored run neither loses nor repeats them) and
 * emits them as a pane once the watermark passes the window's end; lines arriving later (a job
 * found late) go to a further pane a little later. When the command stops the follow (Ctrl-C,
 * SIGTERM: {@link FollowControl.Phase#DRAINING}), every pane held is emitted at once, whatever the
 * watermark: a Beam file sink could only write them once the watermark passes their windows, which
 * never happens while the continuous read keeps polling.
 *
 * <p>It writes no file itself. After a restore from a checkpoint, the items read again since that
 * checkpoint can form other panes than before the failure under the same numbers: a pane written
 * here at once would leave the failed attempt's files beside the retry's, holding some items twice.
 * The writer takes a pane only once a checkpoint holding it has completed ({@code @RequiresStableInput}),
 * so every file name it writes has one content, written again as it was after a restore.
 */
final class WindowFilesFn extends DoFn<KV<Integer, String>, KV<String, List<String>>> {
  private static final long serialVersionUID = 1L;

  /** How often a writer holding lines looks whether the command asks it to write them now. */
  private static final Duration TICK = Duration.standardSeconds(1);

  private final int shards;
  /** How long after a late line its further pane is written: one file per batch of late lines. */
  private final Duration latePaneDelay;
  private final Duration allowedLateness;
  private final String runId;

  @StateId("lines")
  private final StateSpec<BagState<String>> linesSpec = StateSpecs.bag(StringUtf8Coder.of());

  /** The number of the next pane of this window and shard. */
  @StateId("pane")
  private final StateSpec<ValueState<Integer>> paneSpec = StateSpecs.value(VarIntCoder.of());

  /** Whether the watermark has passed the window's end, so that what comes now is late. */
  @StateId("passed")
  private final StateSpec<ValueState<Boolean>> passedSpec = StateSpecs.value(BooleanCoder.of());

  /** When the late lines held are due to be written (epoch ms), or empty. */
  @StateId("lateDue")
  private final StateSpec<ValueState<Long>> lateDueSpec = StateSpecs.value(VarLongCoder.of());

  @TimerId("end")
  private final TimerSpec endSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  /** At the window's expiry: late lines are written before Beam drops the window's state. */
  @TimerId("expiry")
  private final TimerSpec expirySpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  @TimerId("tick")
  private final TimerSpec tickSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

  private transient LiveCounts counts;
  private transient FollowControl control;

  WindowFilesFn(int shards, Duration latePaneDelay, Duration allowedLateness, String runId) {
    this.shards = shards;
    this.latePaneDelay = latePaneDelay;
    this.allowedLateness = allowedLateness;
    this.runId = runId;
  }

  @Setup
  public void setup() {
    counts = LiveCounts.inThisJvm(runId); // both null on a remote cluster
    control = FollowControl.inThisJvm(runId);
  }

  @ProcessElement
  public void process(@Element KV<Integer, String> element, @Timestamp Instant scraped, BoundedWindow window,
      @StateId("lines") BagState<String> lines, @StateId("passed") ValueState<Boolean> passed,
      @StateId("lateDue") ValueState<Long> lateDue, @TimerId("end") Timer end, @TimerId("expiry") Timer expiry,
      @TimerId("tick") Timer tick) {
    FollowControl.Phase phase = control == null ? FollowControl.Phase.FOLLOWING : control.phase();
    if (phase == FollowControl.Phase.CLOSED) {
      return; // the pipeline is being cancelled: this line is not taken, hence not counted as read
    }
    String line = element.getValue();
    lines.add(line);
    boolean first = control == null || control.took(FollowLineFn.itemKey(line));
    if (first && counts != null) {
      counts.followed(FollowLineFn.jobKey(line), scraped.getMillis(), line.getBytes(StandardCharsets.UTF_8).length + 1L);
    }
    boolean late = Boolean.TRUE.equals(passed.read());
    if (!late) {
      end.set(window.maxTimestamp());
    } else {
      if (lateDue.read() == null) {
        lateDue.write(System.currentTimeMillis() + latePaneDelay.getMillis());
      }
      expiry.set(window.maxTimestamp().plus(allowedLateness));
    }
    if (phase == FollowControl.Phase.DRAINING) {
      tick.offset(Duration.ZERO).setRelative();
    } else if (control != null || late) {
      tick.align(TICK).setRelative();
    }
  }

  @OnTimer("end")
  public void onEnd(BoundedWindow window, @Key Integer shard, @StateId("lines") BagState<String> lines,
      @StateId("pane") ValueState<Integer> pane, @StateId("passed") ValueState<Boolean> passed,
      @StateId("lateDue") ValueState<Long> lateDue, OutputReceiver<KV<String, List<String>>> out) {
    passed.write(true);
    emit(window, shard, lines, pane, lateDue, out);
  }

  @OnTimer("expiry")
  public void onExpiry(BoundedWindow window, @Key Integer shard, @StateId("lines") BagState<String> lines,
      @StateId("pane") ValueState<Integer> pane, @StateId("lateDue") ValueState<Long> lateDue,
      OutputReceiver<KV<String, List<String>>> out) {
    emit(window, shard, lines, pane, lateDue, out);
  }

  @OnTimer("tick")
  public void onTick(BoundedWindow window, @Key Integer shard, @StateId("lines") BagState<String> lines,
      @StateId("pane") ValueState<Integer> pane, @StateId("lateDue") ValueState<Long> lateDue,
      @TimerId("tick") Timer tick, OutputReceiver<KV<String, List<String>>> out) {
    boolean stopping = control != null && control.phase() != FollowControl.Phase.FOLLOWING;
    Long due = lateDue.read();
    if (stopping || (due != null && System.currentTimeMillis() >= due)) {
      emit(window, shard, lines, pane, lateDue, out);
    } else if (!lines.isEmpty().read()) {
      tick.align(TICK).setRelative();
    }
  }

  /** Emits the lines held as the window's next pane, named, then forgets them. */
  private void emit(BoundedWindow window, int shard, BagState<String> lines, ValueState<Integer> pane,
      ValueState<Long> lateDue, OutputReceiver<KV<String, List<String>>> out) {
    List<String> held = new ArrayList<>();
    lines.read().forEach(held::add);
    if (held.isEmpty()) {
      return;
    }
    IntervalWindow w = (IntervalWindow) window;
    Integer p = pane.read();
    int n = p == null ? 0 : p;
    out.output(KV.of(fileName(w, n, shard, shards), held));
    pane.write(n + 1);
    lines.clear();
    lateDue.clear();
  }

  static String fileName(IntervalWindow w, int pane, int shard, int shards) {
    return String.format("%s%s-%s-pane-%d-%05d-of-%05d.jl", FollowPipeline.PREFIX, w.start(), w.end(), pane, shard,
        shards);
  }
}
