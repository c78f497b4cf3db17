package org.icmpecho.testkit;

import static java.net.StandardProtocolFamily.INET6;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.List;
import org.icmpecho.testkit.LabProbe.Answer;
import org.icmpecho.testkit.LabProbe.Result;
import org.icmpecho.testkit.ResponderEffect.AnswerFrom;
import org.icmpecho.testkit.ResponderEffect.CorruptChecksum;
import org.icmpecho.testkit.ResponderEffect.CorruptPayload;
import org.icmpecho.testkit.ResponderEffect.Duplicate;
import org.icmpecho.testkit.ResponderEffect.Reorder;
import org.icmpecho.testkit.ResponderEffect.SendError;
import org.icmpecho.testkit.ResponderEffect.WrongIdentifier;
import org.icmpecho.testkit.ResponderEffect.WrongSequence;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every responder effect, checked on the wire with the engine-free {@link LabProbe}. */
@NetNs
class ResponderSelfTest {
  private static final Duration WAIT = Duration.ofMillis(150);

  @ParameterizedTest
  @EnumSource(
      value = StandardProtocolFamily.class,
      names = {"INET", "INET6"})
  void everyEffectShowsOnTheWire(StandardProtocolFamily f, NetLab lab) throws Exception {
    Topology t = lab.chain(1);
    ScriptedResponder r = t.responder();
    String c = t.clientNode().name();
    InetAddress src = t.clientAddress(f);
    boolean v6 = f == INET6;
    int reply = v6 ? 129 : 0;
    int[] n = {0};
    java.util.function.Supplier<InetAddress> next = () -> t.responderAddress(f, n[0]++);

    InetAddress plain = next.get();
    Answer a = LabProbe.probe(c, src, plain, 64, 32, false, WAIT).first();
    assertEquals(reply, a.type());
    assertEquals(plain, a.from());
    assertTrue(a.checksumOk());
    assertArrayEquals(pattern(32), a.payload());

    InetAddress dropped =
        r.script(next.get(), ResponderEffect.drop()) == r ? t.responderAddress(f, n[0] - 1) : null;
    assertEquals(List.of(), LabProbe.probe(c, src, dropped, 64, 32, false, WAIT).answers());
    assertEquals(1, r.requestsFor(dropped));

    InetAddress slow = next.get();
    r.script(slow, ResponderEffect.delay(Duration.ofMillis(30)));
    LabProbe.probe(c, src, slow, 64, 32, false, Duration.ofMillis(200)); // warm-up: neighbours, JIT
    long worst = 0;
    for (int i = 0; i < 5; i++) {
      Answer d = LabProbe.probe(c, src, slow, 64, 32, false, Duration.ofMillis(200)).first();
      long err = d.rttNanos() - 30_000_000L;
      assertTrue(err >= 0, "answered early: " + d);
      System.out.println("delay probe " + f + ": " + d);
      worst = Math.max(worst, err);
    }
    System.out.printf(
        "responder %s: 30 ms delay kept within %.3f ms (worst of 5, probe overhead included)%n",
        f, worst / 1e6);
    assertTrue(worst < 2_000_000L, "delay error " + worst / 1e6 + " ms");

    InetAddress dup = next.get();
    r.script(dup, new Duplicate(3));
    Result dr = LabProbe.probeMany(c, src, dup, 64, 32, false, 1, 99, WAIT);
    assertEquals(4, dr.answers().size(), dr.answers().toString());

    InetAddress badSum = next.get();
    r.script(badSum, new CorruptChecksum());
    List<Answer> bs = LabProbe.probe(c, src, badSum, 64, 32, false, WAIT).answers();
    if (v6) {
      assertEquals(List.of(), bs, "the kernel drops ICMPv6 with a bad checksum before raw sockets");
    } else {
      assertEquals(1, bs.size());
      assertFalse(bs.get(0).checksumOk(), "checksum should be wrong");
    }

    InetAddress badByte = next.get();
    r.script(badByte, new CorruptPayload(-1));
    Answer bb = LabProbe.probe(c, src, badByte, 64, 32, false, WAIT).first();
    byte[] expected = pattern(32);
    expected[31] ^= (byte) 0xff;
    assertArrayEquals(expected, bb.payload());
    assertTrue(bb.checksumOk());

    InetAddress wrongId = next.get();
    r.script(wrongId, new WrongIdentifier());
    Result wi = LabProbe.probe(c, src, wrongId, 64, 32, false, WAIT);
    assertEquals(wi.id() ^ 0x5555, wi.first().id());

    InetAddress wrongSeq = next.get();
    r.script(wrongSeq, new WrongSequence());
    assertEquals(1 ^ 0x8000, LabProbe.probe(c, src, wrongSeq, 64, 32, false, WAIT).first().seq());

    InetAddress pinged = next.get();
    InetAddress other = next.get();
    r.script(pinged, new AnswerFrom(other));
    Answer af = LabProbe.probe(c, src, pinged, 64, 32, false, WAIT).first();
    assertEquals(other, af.from());

    InetAddress shuffled = next.get();
    r.script(shuffled, new Reorder(3, Duration.ofMillis(50)));
    Result ro = LabProbe.probeMany(c, src, shuffled, 64, 32, false, 3, 3, Duration.ofMillis(300));
    assertEquals(List.of(3, 2, 1), ro.answers().stream().map(Answer::seq).toList());

    InetAddress late = next.get();
    r.script(late, ResponderEffect.late(Duration.ofMillis(50)));
    Answer la = LabProbe.probe(c, src, late, 64, 32, false, Duration.ofMillis(400)).first();
    assertTrue(la.rttNanos() >= 150_000_000L, la.toString());

    InetAddress failing = next.get();
    InetAddress reporter = next.get();
    int type = v6 ? 4 : 12;
    r.script(failing, new SendError(type, 0, 20, reporter));
    Answer pp = LabProbe.probe(c, src, failing, 64, 32, false, WAIT).first();
    assertEquals(List.of(type, 0, 20), List.of(pp.type(), pp.code(), pp.info()));
    assertEquals(reporter, pp.from());

    InetAddress fragNeeded = next.get();
    r.script(fragNeeded, new SendError(v6 ? 2 : 3, v6 ? 0 : 4, 1300, null));
    Answer fn = LabProbe.probe(c, src, fragNeeded, 64, 32, false, WAIT).first();
    assertEquals(1300, fn.info());
    assertEquals(fragNeeded, fn.from());

    InetAddress rotating = next.get();
    r.script(rotating, ResponderEffect.answer(), ResponderEffect.drop());
    Result rot = LabProbe.probeMany(c, src, rotating, 64, 32, false, 4, 99, WAIT);
    assertEquals(List.of(1, 3), rot.answers().stream().map(Answer::seq).sorted().toList());

    ScriptedResponder.Stats s = r.stats();
    assertEquals(0, s.sendFailures());
    assertEquals(0, s.ignored());
    System.out.println("responder " + f + ": " + s);
  }

  /** An answer the kernel received within the wait counts, however late the prober read it. */
  @org.junit.jupiter.api.Test
  void anAnswerQueuedWhileTheProberSleptCounts(NetLab lab) throws Exception {
    Topology t = lab.chain(1);
    String c = t.clientNode().name();
    StandardProtocolFamily f = StandardProtocolFamily.INET;
    InetAddress target = t.target(f);
    assertEquals(
        1, LabProbe.probe(c, t.clientAddress(f), target, 64, 32, false, WAIT).answers().size());
    LabProbe.stallAfterSend = Duration.ofMillis(300);
    try {
      Answer a = LabProbe.probe(c, t.clientAddress(f), target, 64, 32, false, WAIT).first();
      assertEquals(target, a == null ? null : a.from(), "the answer queued during the stall");
      assertTrue(a.rttNanos() < WAIT.toNanos(), a.toString());
    } finally {
      LabProbe.stallAfterSend = Duration.ZERO;
    }
  }

  private static byte[] pattern(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) i;
    return b;
  }
}
