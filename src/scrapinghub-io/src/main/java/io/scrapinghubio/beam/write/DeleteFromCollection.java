package io.scrapinghubio.beam.write;


import com.google.auto.value.AutoValue;
import io.scrapinghubio.client.collections.StoreType;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Deletes the keys of its input from a collection ({@code POST collections/P/<type>/<name>/deleted},
 * batched and concurrent like the writes). Deleting a missing key is not an error, so a retried
 * bundle is harmless. An empty key is a bad record of kind
 * {@code MISSING_KEY} (see {@code withBadRecordErrorHandler}). Use {@code ScrapinghubIO.deleteFromCollection()}.
 */
@AutoValue
public abstract class DeleteFromCollection extends BatchedWrite<String, DeleteFromCollection> {
  private static final long serialVersionUID = 1L;

  abstract @Nullable StoreType storeType();

  abstract @Nullable String name();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setConfig(WriteConfig c);

    abstract Builder setStoreType(StoreType t);

    abstract Builder setName(String n);

    abstract DeleteFromCollection build();
  }

  /**
   * Use {@code ScrapinghubIO.deleteFromCollection()}.
   *
   * @return a transform with the defaults, configured with its {@code withX()} methods
   */
  public static DeleteFromCollection create() {
    return new AutoValue_DeleteFromCollection.Builder().setConfig(WriteConfig.defaults(WriteToCollection.DEFAULT_MAX_BATCH_RECORDS)).build();
  }

  /**
   * The collection: store type and name ({@code ^\w+$}). Required.
   *
   * @param type the collection's store type
   * @param name the collection's name
   * @return a new transform with this setting
   */
  public DeleteFromCollection from(StoreType type, String name) {
    return toBuilder().setStoreType(WriteToCollection.checkType(type)).setName(WriteToCollection.checkName(name)).build();
  }

  @Override
  DeleteFromCollection withConfig(WriteConfig config) {
    return toBuilder().setConfig(config).build();
  }

  @Override
  WriteTarget checkedTarget() {
    if (storeType() == null || name() == null) {
      throw new IllegalArgumentException("deleteFromCollection() needs from(storeType, name)");
    }
    return WriteTarget.delete(storeType(), name());
  }

  @Override
  RecordFormat<String> recordFormat() {
    return RecordFormat.deleteKeys();
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
    return "deleteFromCollection()";
  }
}
