package io.scrapinghubio.beam.write;

import com.google.auto.value.AutoValue;
import io.scrapinghubio.client.collections.StoreType;
import java.util.regex.Pattern;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Writes records into a collection ({@code collections/P/<type>/<name>}) of any store type, in
 * batched, concurrent uploads. Use {@code ScrapinghubIO.writeToCollection()} (JSON text with
 * {@code _key}), {@code writeKVsToCollection()} ({@code KV(key, JSON object)}) or
 * {@code writeObjectsToCollection(keyFn)} (objects bound with Jackson).
 *
 * <p>A record replaces the one stored under its key, so writing it again is harmless: a bundle
 * the runner retries after some of its batches were stored stores the same values again, and the
 * collection ends the same. Records over 1 MiB, without a key, or not JSON objects are refused
 * before upload (see {@code withBadRecordErrorHandler}).
 */
@AutoValue
public abstract class WriteToCollection<T> extends BatchedWrite<T, WriteToCollection<T>> {
  private static final long serialVersionUID = 1L;
  private static final Pattern NAME = Pattern.compile("^\\w+$");
  /**
   * Records per upload unless {@code withMaxBatchRecords} says otherwise, as the official client.
   */
  public static final int DEFAULT_MAX_BATCH_RECORDS = 1000;

  abstract @Nullable StoreType storeType();

  abstract @Nullable String name();

  abstract RecordFormat<T> format();

  abstract Builder<T> toBuilder();

  @AutoValue.Builder
  abstract static class Builder<T> {
    abstract Builder<T> setConfig(WriteConfig c);

    abstract Builder<T> setStoreType(StoreType t);

    abstract Builder<T> setName(String n);

    abstract Builder<T> setFormat(RecordFormat<T> f);

    abstract WriteToCollection<T> build();
  }

  static <T> WriteToCollection<T> create(RecordFormat<T> format) {
    return new AutoValue_WriteToCollection.Builder<T>()
        .setConfig(WriteConfig.defaults(DEFAULT_MAX_BATCH_RECORDS))
        .setFormat(format)
        .build();
  }

  /**
   * Use {@code ScrapinghubIO.writeToCollection()}: JSON objects as text, each with a string
   * {@code _key}.
   *
   * @return a write to configure with {@code withProject} and {@code to}
   */
  public static WriteToCollection<String> json() {
    return create(RecordFormat.collectionJson());
  }

  /**
   * Use {@code ScrapinghubIO.writeKVsToCollection()}: {@code KV(key, JSON object text)}.
   *
   * @return a write to configure with {@code withProject} and {@code to}
   */
  public static WriteToCollection<KV<String, String>> kvs() {
    return create(RecordFormat.collectionKvs());
  }

  /**
   * Use {@code ScrapinghubIO.writeObjectsToCollection(keyFn)}: objects bound with Jackson, key from
   * {@code keyFn}.
   *
   * @param <T> the element type
   * @param keyFn each element's {@code _key}
   * @return a write to configure with {@code withProject} and {@code to}
   */
  public static <T> WriteToCollection<T> objects(SerializableFunction<T, String> keyFn) {
    if (keyFn == null) {
      throw new IllegalArgumentException("key function must not be null");
    }
    return create(RecordFormat.collectionObjects(keyFn));
  }

  /**
   * The collection: store type ({@code s}, {@code cs}, {@code vs}, {@code vcs}) and name
   * ({@code ^\w+$}). Required.
   *
   * @param type the store type
   * @param name the collection's name
   * @return a new transform with this setting
   */
  public WriteToCollection<T> to(StoreType type, String name) {
    return toBuilder().setStoreType(checkType(type)).setName(checkName(name)).build();
  }

  @Override
  WriteToCollection<T> withConfig(WriteConfig config) {
    return toBuilder().setConfig(config).build();
  }

  @Override
  WriteTarget checkedTarget() {
    if (storeType() == null || name() == null) {
      throw new IllegalArgumentException("writeToCollection() needs to(storeType, name)");
    }
    return WriteTarget.collection(storeType(), name());
  }

  @Override
  RecordFormat<T> recordFormat() {
    return format();
  }

  static StoreType checkType(StoreType type) {
    if (type == null) {
      throw new IllegalArgumentException("collection store type must not be null (STORE, CACHED_STORE, VERSIONED_STORE or VERSIONED_CACHED_STORE)");
    }
    return type;
  }

  static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad collection name '" + name
          + "': names may contain only letters, digits and underscores (^\\w+$)");
    }
    return name;
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    if (storeType() != null) {
      b.add(DisplayData.item("storeType", storeType().code()).withLabel("Collection type"));
    }
    b.addIfNotNull(DisplayData.item("collection", name()).withLabel("Collection"));
  }

  @Override
  String entryPoint() {
    return "writeToCollection()";
  }
}
