package io.gitcollector.core.spi.toolkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CursorCodecTest {
  record PageCursor(String phase, String next, List<Long> seen) {}

  @Test
  void aCursorReadsBackAsWrittenWithoutItsAbsentFields() {
    String json = CursorCodec.write(new PageCursor("paging", null, List.of(3L, 4L)));
    assertEquals("{\"phase\":\"paging\",\"seen\":[3,4]}", json);
    assertEquals(Optional.of(new PageCursor("paging", null, List.of(3L, 4L))),
        CursorCodec.read(Optional.of(json), PageCursor.class));
  }

  @Test
  void fieldsANewerVersionAddedAreIgnored() {
    assertEquals(Optional.of(new PageCursor("done", "x", null)),
        CursorCodec.read(Optional.of("{\"phase\":\"done\",\"next\":\"x\",\"added_later\":1}"), PageCursor.class));
  }

  @Test
  void noCursorOrAnUnreadableOneIsAbsentSoTheStreamStartsOver() {
    assertEquals(Optional.empty(), CursorCodec.read(Optional.empty(), PageCursor.class));
    assertEquals(Optional.empty(), CursorCodec.read(Optional.of("{\"phase\":"), PageCursor.class));
    assertEquals(Optional.empty(), CursorCodec.read(Optional.of("null"), PageCursor.class));
  }
}
