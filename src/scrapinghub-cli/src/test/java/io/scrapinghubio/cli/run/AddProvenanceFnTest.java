package io.scrapinghubio.cli.run;

import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.beam.read.ScrapinghubRecordCoder;
import io.scrapinghubio.cli.options.ProvenanceOption.Field;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/** The lines {@link AddProvenanceFn} makes of records of every shape an object can take. */
class AddProvenanceFnTest {
  private static ScrapinghubRecord record(long index, String json, String spider, long ts) {
    return ScrapinghubRecord.ofUtf8("1/2/3", index, json.getBytes(StandardCharsets.UTF_8), spider, ts);
  }

  @Test
  void addsTheFieldsFirstAndKeepsTheRecordsBytes() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<String> lines = p
        .apply(Create.of(List.of(
            record(0, "{}", "shop", 5),
            record(1, " { \"a\" : 1 }", "say \"hi\"", 6),
            // _job inside a nested object is not the record's own field: no clash
            record(2, "{\"n\":{\"_job\":\"x\"},\"é\":\"ü\"}", null, 7)))
            .withCoder(ScrapinghubRecordCoder.of()))
        .apply(ParDo.of(new AddProvenanceFn(EnumSet.of(Field.ts, Field.spider, Field.job, Field.key))))
        .apply(MapElements.into(TypeDescriptors.strings()).via(r -> r.key() + " " + r.json()));
    PAssert.that(lines).containsInAnyOrder(
        "1/2/3/0 {\"_key\":\"1/2/3/0\",\"_job\":\"1/2/3\",\"_spider\":\"shop\",\"_ts\":5}",
        "1/2/3/1 {\"_key\":\"1/2/3/1\",\"_job\":\"1/2/3\",\"_spider\":\"say \\\"hi\\\"\",\"_ts\":6,\"a\" : 1 }",
        "1/2/3/2 {\"_key\":\"1/2/3/2\",\"_job\":\"1/2/3\",\"_spider\":null,\"_ts\":7,\"n\":{\"_job\":\"x\"},\"é\":\"ü\"}");
    p.run().waitUntilFinish();
  }
}
