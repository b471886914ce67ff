package io.scrapinghubio.client.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one Jackson mapper the client shares (thread-safe once configured) and small helpers. */
public final class Json {
  /** The client's one Jackson mapper: unknown properties are ignored. */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Json() {}

  /**
   * Parses a JSON document from the service.
   *
   * @param bytes UTF-8 JSON
   * @return the document
   */
  public static JsonNode parse(byte[] bytes) {
    try {
      return MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("invalid JSON from the service: " + preview(bytes), e);
    }
  }

  /**
   * Parses a JSON document.
   *
   * @param text the JSON text
   * @return the document
   */
  public static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("invalid JSON: " + preview(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), e);
    }
  }

  /**
   * Compact single-line JSON, as the service expects in request bodies.
   *
   * @param value anything Jackson encodes
   * @return the JSON text
   */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("value cannot be encoded as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * A new, empty JSON object.
   *
   * @return the object
   */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static String preview(byte[] bytes) {
    int n = Math.min(bytes.length, 200);
    String s = new String(bytes, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    return "'" + s + (bytes.length > n ? "...'" : "'");
  }
}
