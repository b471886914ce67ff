package io.scrapinghubio.beam.read;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapinghubio.client.read.JobRecord;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;

/**
 * Binds each record to a user class with Jackson. Unknown fields are ignored (items change shape
 * across spider versions); the record's {@code _key} ({@code P/S/J/N}) is kept, so a property
 * annotated {@code @JsonProperty("_key")} receives the lineage.
 */
final class JacksonOutputFormat<T> extends OutputFormat<T> {
  private static final long serialVersionUID = 1L;
  private final Class<T> type;
  private transient ObjectMapper mapper;

  JacksonOutputFormat(Class<T> type) {
    this.type = type;
  }

  @Override
  public T convert(JobRecord record, String jobKey) throws Exception {
    if (mapper == null) {
      mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }
    return mapper.readValue(record.jsonBytes(), type);
  }

  @Override
  public boolean keepKey() {
    return true;
  }

  @Override
  public Coder<T> coder(CoderRegistry registry) throws CannotProvideCoderException {
    return inferCoder(registry, type);
  }

  @Override
  public String describe() {
    return "Jackson-bound " + type.getName();
  }
}
