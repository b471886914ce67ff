package io.scrapinghubio.beam.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

class RecordRangesTest {
  @Test
  void rangesMergeWhenTheyTouchOrOverlap() {
    RecordRanges r = new RecordRanges();
    r.add("1/2/3", 10, 20);
    r.add("1/2/3", 20, 25); // touching
    r.add("1/2/3", 5, 12); // overlapping
    r.add("1/2/3", 40, 50);
    r.add("1/2/4", 0, 1);
    r.add("1/2/4", 7, 7); // empty: nothing
    assertEquals(20 + 10 + 1, r.count());
    assertEquals(2, r.jobs());
    assertTrue(r.contains("1/2/3", 5));
    assertTrue(r.contains("1/2/3", 24));
    assertFalse(r.contains("1/2/3", 25));
    assertFalse(r.contains("1/2/3", 4));
    assertFalse(r.contains("9/9/9", 0));
    assertTrue(r.overlaps("1/2/3", 24, 30));
    assertFalse(r.overlaps("1/2/3", 25, 40));
    assertTrue(r.overlaps("1/2/3", 0, 100));
    assertFalse(r.overlaps("1/2/4", 1, 5));
  }

  @Test
  void gapsAreWhatIsLeftToRead() {
    RecordRanges r = new RecordRanges();
    r.add("1/2/3", 5, 25);
    r.add("1/2/3", 40, 50);
    assertEquals(List.of(new OffsetRange(0, 5), new OffsetRange(25, 40), new OffsetRange(50, 60)), r.gaps("1/2/3", 0, 60));
    assertEquals(List.of(new OffsetRange(25, 40)), r.gaps("1/2/3", 10, 45));
    assertEquals(List.of(), r.gaps("1/2/3", 5, 25));
    assertEquals(List.of(new OffsetRange(0, 8)), r.gaps("7/7/7", 0, 8), "a job the set lacks is read whole");
    r.add("1/2/3", 0, 60);
    assertEquals(List.of(), r.gaps("1/2/3", 0, 60), "a job held whole is not read");
  }

  @Test
  void itTravelsToWorkersIntact() {
    RecordRanges r = new RecordRanges();
    r.add("1/2/3", 5, 25);
    r.add("4/5/6", 0, 3);
    assertEquals(r, SerializableUtils.clone(r));
  }
}
