package org.icmpecho.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link ProbeHandler#query}: blackbox's parameters cut from the raw query, escapes decoded. */
class ProbeQueryTest {
  static ProbeHandler.Query q(String raw) {
    return ProbeHandler.query(raw);
  }

  @Test
  void targetAndModuleWhereverTheyAre() {
    assertEquals(new ProbeHandler.Query(null, null), q(null));
    assertEquals(new ProbeHandler.Query(null, null), q(""));
    assertEquals(new ProbeHandler.Query("198.18.0.1", "icmp"), q("module=icmp&target=198.18.0.1"));
    assertEquals(new ProbeHandler.Query("a", null), q("&&x=1&target=a&debug&"));
    assertEquals(new ProbeHandler.Query("", "icmp"), q("target&module=icmp"));
    assertEquals(new ProbeHandler.Query("a=b", ""), q("target=a=b&module="));
  }

  @Test
  void escapesDecodedInNamesAndValues() {
    assertEquals(new ProbeHandler.Query("[::1]", "my mod"), q("target=%5B::1%5D&module=my+mod"));
    assertEquals(new ProbeHandler.Query("x", null), q("tar%67et=x"));
  }

  @Test
  void malformedQueriesRefusedWithThePair() {
    assertEquals(
        "Malformed query: 'target=%zz' is not URL-encoded correctly",
        assertThrows(IllegalArgumentException.class, () -> q("module=icmp&target=%zz"))
            .getMessage());
    assertEquals(
        "Malformed query: 'other=%4' is not URL-encoded correctly",
        assertThrows(IllegalArgumentException.class, () -> q("target=a&other=%4&module=m"))
            .getMessage());
    assertEquals(
        "Malformed query: parameter 'target' given more than once",
        assertThrows(IllegalArgumentException.class, () -> q("target=a&tar%67et=b")).getMessage());
    assertEquals(
        "Malformed query: parameter 'module' given more than once",
        assertThrows(IllegalArgumentException.class, () -> q("module=&module=icmp")).getMessage());
  }
}
