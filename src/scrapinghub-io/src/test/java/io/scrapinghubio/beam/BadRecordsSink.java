package io.scrapinghubio.beam;

import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.beam.read.ScrapinghubRecordCoder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * A test's error handler: the bad records a pipeline routed, kept by name in this JVM (the Direct
 * runner and embedded Flink run here), as a user's dead-letter sink would receive them.
 */
public final class BadRecordsSink {
  private static final Map<String, List<BadRecord>> SINKS = new ConcurrentHashMap<>();

  private BadRecordsSink() {}

  /**
   * Registers a handler on {@code p} whose bad records {@link #get(String)} returns; close it
   * before running the pipeline.
   */
  public static BadRecordErrorHandler<PDone> register(Pipeline p, String name) {
    SINKS.put(name, new CopyOnWriteArrayList<>());
    return p.registerBadRecordErrorHandler(new Keep(name));
  }

  /** The bad records routed to {@code name} so far. */
  public static List<BadRecord> get(String name) {
    return new ArrayList<>(SINKS.getOrDefault(name, List.of()));
  }

  /** The record a read's bad record holds, decoded from its encoded bytes. */
  public static ScrapinghubRecord readRecord(BadRecord b) {
    try {
      return ScrapinghubRecordCoder.of().decode(new ByteArrayInputStream(b.getRecord().getEncodedRecord()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The sink. It holds a field that cannot be serialised, as a real sink may (a path, a JDBC
   * pool): a transform that shipped its error handler to the workers inside a DoFn fails the
   * pipeline with every test that registers one.
   */
  private static final class Keep extends PTransform<PCollection<BadRecord>, PDone> {
    private static final long serialVersionUID = 1L;
    private final String name;
    @SuppressWarnings("unused")
    private final Object notSerializable = new Object();

    Keep(String name) {
      this.name = name;
    }

    @Override
    public PDone expand(PCollection<BadRecord> input) {
      input.apply("Keep", ParDo.of(new KeepFn(name)));
      return PDone.in(input.getPipeline());
    }
  }

  private static final class KeepFn extends DoFn<BadRecord, Void> {
    private static final long serialVersionUID = 1L;
    private final String name;

    KeepFn(String name) {
      this.name = name;
    }

    @ProcessElement
    public void process(@Element BadRecord b) {
      SINKS.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(b);
    }
  }
}
