package io.scrapinghubio.emulator.store;

import io.scrapinghubio.emulator.json.Json;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of one job and one {@link RecordType}, kept as encoded bytes.
 *
 * <p>Why this layout: reading a big job must be a byte copy, not a JSON re-encoding. Records are
 * appended into large shared byte segments and located through one packed {@code long} per index
 * (segment, offset, length), so 1,000,000 items cost their bytes plus 16 bytes each (slot and
 * insert timestamp) and no Java object per item. A range is served by copying slices.
 *
 * <p>Indexes are explicit because writers send {@code ?start=N}: record {@code i} of a batch is
 * stored at {@code N+i}, so re-posting a batch replaces instead of duplicating. Gaps are allowed
 * and skipped when reading.
 *
 * <p>Thread safety: one writer at a time (a lock); readers take a {@link View}, an immutable
 * snapshot published through a volatile field, and never block writers.
 */
public final class RecordLog {

  private static final int SEGMENT_BITS = 22;
  private static final int SEGMENT_SIZE = 1 << SEGMENT_BITS; // 4 MiB
  private static final int LEN_BITS = 22;
  private static final long ABSENT = -1L;

  private final RecordType type;
  private final Object lock = new Object();
  private byte[][] segments = new byte[0][];
  private int segmentCount;
  private int currentUsed;
  private long[] slots = new long[0];
  private long[] timestamps = new long[0];
  private int size;
  private final Map<String, long[]> counts = new LinkedHashMap<>();
  private long inputBytes;
  private long inputValues;
  private long storedBytes;
  private volatile View view = new View(0, new long[0], new long[0], new byte[0][]);

  /**
   * An empty log.
   *
   * @param type the kind of records it holds
   */
  public RecordLog(RecordType type) {
    this.type = type;
  }

  /**
   * The kind of records it holds.
   *
   * @return the record type
   */
  public RecordType type() {
    return type;
  }

  /**
   * Appends after the highest index.
   *
   * @param rec the encoded record
   * @param ts its store time, epoch ms
   * @return the record's index
   */
  public long append(EncodedRecord rec, long ts) {
    synchronized (lock) {
      int index = size;
      putLocked(index, rec.json(), 0, rec.json().length, rec.inputBytes(), rec.countKeys(), ts);
      publish();
      return index;
    }
  }

  /**
   * Stores a batch at {@code start, start+1, ...}; existing indexes are replaced.
   *
   * @param start the first index
   * @param recs the encoded records
   * @param ts their store time, epoch ms
   */
  public void putAll(long start, List<EncodedRecord> recs, long ts) {
    if (start < 0 || start + recs.size() > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("bad start offset " + start);
    }
    synchronized (lock) {
      int i = (int) start;
      for (EncodedRecord r : recs) {
        putLocked(i++, r.json(), 0, r.json().length, r.inputBytes(), r.countKeys(), ts);
      }
      publish();
    }
  }

  /**
   * Appends already encoded bytes without any parsing; the demo seeder uses it to build large jobs
   * fast. The caller vouches that {@code json} is the normalised form of the record.
   *
   * @param json the buffer holding the record
   * @param off where it starts
   * @param len its length
   * @param recordInputBytes the bytes the stats count for it
   * @param countKeys the stats' count keys it adds to
   * @param ts its store time, epoch ms
   */
  public void appendEncoded(byte[] json, int off, int len, long recordInputBytes, String[] countKeys, long ts) {
    synchronized (lock) {
      putLocked(size, json, off, len, recordInputBytes, countKeys, ts);
    }
  }

  /** Makes records appended with {@link #appendEncoded} visible to readers. */
  public void flush() {
    synchronized (lock) {
      publish();
    }
  }

  /** Removes everything (used when a job is rewritten by tests). */
  public void clear() {
    synchronized (lock) {
      segments = new byte[0][];
      segmentCount = 0;
      currentUsed = 0;
      slots = new long[0];
      timestamps = new long[0];
      size = 0;
      counts.clear();
      inputBytes = 0;
      inputValues = 0;
      storedBytes = 0;
      publish();
    }
  }

  private void putLocked(int index, byte[] json, int off, int len, long recBytes, String[] keys, long ts) {
    if (len >= (1 << LEN_BITS)) {
      throw new RecordCodec.BadRecordException(413, "record too large");
    }
    ensureCapacity(index + 1);
    if (index < size && slots[index] != ABSENT) {
      if (sameBytes(slots[index], json, off, len)) {
        return; // idempotent re-post of the same record
      }
      forgetStats(slots[index]);
    }
    long slot = store(json, off, len);
    slots[index] = slot;
    timestamps[index] = ts;
    if (index >= size) {
      size = index + 1;
    }
    inputValues++;
    inputBytes += recBytes;
    for (String k : keys) {
      counts.computeIfAbsent(k, x -> new long[1])[0]++;
    }
  }

  private void forgetStats(long slot) {
    int len = length(slot);
    byte[] seg = segments[segment(slot)];
    Object parsed = Json.parse(seg, offset(slot), len);
    EncodedRecord old = RecordCodec.encode(type, parsed);
    inputValues--;
    inputBytes -= old.inputBytes();
    storedBytes -= len;
    for (String k : old.countKeys()) {
      long[] c = counts.get(k);
      if (c != null && --c[0] == 0) {
        counts.remove(k);
      }
    }
  }

  private boolean sameBytes(long slot, byte[] json, int off, int len) {
    if (length(slot) != len) {
      return false;
    }
    byte[] seg = segments[segment(slot)];
    int o = offset(slot);
    return Arrays.equals(seg, o, o + len, json, off, off + len);
  }

  private long store(byte[] json, int off, int len) {
    if (segmentCount == 0) {
      newSegment(Math.max(4096, len));
    } else if (currentUsed + len > segments[segmentCount - 1].length) {
      byte[] cur = segments[segmentCount - 1];
      if (cur.length < SEGMENT_SIZE && currentUsed + len <= SEGMENT_SIZE) {
        // Small jobs start with a small segment that doubles up to 4 MiB. Readers holding the old
        // array keep seeing the old (still valid) bytes.
        int cap = cur.length;
        while (cap < currentUsed + len) {
          cap *= 2;
        }
        segments[segmentCount - 1] = Arrays.copyOf(cur, Math.min(cap, SEGMENT_SIZE));
      } else {
        newSegment(SEGMENT_SIZE);
      }
    }
    int seg = segmentCount - 1;
    System.arraycopy(json, off, segments[seg], currentUsed, len);
    long slot = ((long) seg << (SEGMENT_BITS + LEN_BITS)) | ((long) currentUsed << LEN_BITS) | len;
    currentUsed += len;
    storedBytes += len;
    return slot;
  }

  private void newSegment(int capacity) {
    if (segmentCount == segments.length) {
      segments = Arrays.copyOf(segments, Math.max(8, segmentCount * 2));
    }
    segments[segmentCount++] = new byte[capacity];
    currentUsed = 0;
  }

  private void ensureCapacity(int n) {
    if (n > slots.length) {
      int cap = Math.max(n, Math.max(16, slots.length * 2));
      long[] s = Arrays.copyOf(slots, cap);
      Arrays.fill(s, slots.length, cap, ABSENT);
      slots = s;
      timestamps = Arrays.copyOf(timestamps, cap);
    }
  }

  private void publish() {
    view = new View(size, slots, timestamps, Arrays.copyOf(segments, segmentCount));
  }

  /**
   * A consistent snapshot for reading.
   *
   * @return the view
   */
  public View view() {
    return view;
  }

  /**
   * The log's statistics, as {@code items/P/S/J/stats} answers them.
   *
   * @return a snapshot
   */
  public RecordStats stats() {
    synchronized (lock) {
      Map<String, Long> c = new LinkedHashMap<>();
      counts.forEach((k, v) -> c.put(k, v[0]));
      return new RecordStats(c, inputBytes, inputValues);
    }
  }

  /**
   * Number of stored records (gaps not counted).
   *
   * @return the count
   */
  public long count() {
    synchronized (lock) {
      return inputValues;
    }
  }

  /**
   * Bytes of record data held (excluding the per-record index).
   *
   * @return the bytes
   */
  public long storedBytes() {
    synchronized (lock) {
      return storedBytes;
    }
  }

  static int segment(long slot) {
    return (int) (slot >>> (SEGMENT_BITS + LEN_BITS));
  }

  static int offset(long slot) {
    return (int) ((slot >>> LEN_BITS) & (SEGMENT_SIZE - 1));
  }

  static int length(long slot) {
    return (int) (slot & ((1 << LEN_BITS) - 1));
  }

  /** Read-only snapshot of a record log. */
  public static final class View {
    private final int size;
    private final long[] slots;
    private final long[] timestamps;
    private final byte[][] segments;

    View(int size, long[] slots, long[] timestamps, byte[][] segments) {
      this.size = size;
      this.slots = slots;
      this.timestamps = timestamps;
      this.segments = segments;
    }

    /**
     * One past the highest stored index.
     *
     * @return the size
     */
    public int size() {
      return size;
    }

    /**
     * Whether index {@code i} holds a record.
     *
     * @param i an index
     * @return false for gaps and indexes out of range
     */
    public boolean present(int i) {
      return i >= 0 && i < size && slots[i] != ABSENT;
    }

    /**
     * The buffer holding record {@code i}: read {@link #length(int)} bytes at {@link #offset(int)}.
     *
     * @param i a present index
     * @return the buffer, not a copy
     */
    public byte[] segment(int i) {
      return segments[RecordLog.segment(slots[i])];
    }

    /**
     * Where record {@code i} starts in its buffer.
     *
     * @param i a present index
     * @return the offset
     */
    public int offset(int i) {
      return RecordLog.offset(slots[i]);
    }

    /**
     * The length of record {@code i}'s JSON.
     *
     * @param i a present index
     * @return the length in bytes
     */
    public int length(int i) {
      return RecordLog.length(slots[i]);
    }

    /**
     * When record {@code i} was stored.
     *
     * @param i a present index
     * @return epoch milliseconds
     */
    public long timestamp(int i) {
      return timestamps[i];
    }

    /**
     * Record {@code i}'s JSON, as stored.
     *
     * @param i a present index
     * @return a copy of its bytes
     */
    public byte[] copy(int i) {
      int o = offset(i);
      return Arrays.copyOfRange(segment(i), o, o + length(i));
    }

    /**
     * Record {@code i}, parsed.
     *
     * @param i a present index
     * @return Maps, Lists, Strings, Numbers, Booleans and nulls
     */
    public Object parse(int i) {
      return Json.parse(segment(i), offset(i), length(i));
    }
  }
}
