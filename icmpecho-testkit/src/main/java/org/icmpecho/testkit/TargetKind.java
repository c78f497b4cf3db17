package org.icmpecho.testkit;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import org.icmpecho.EchoResult;

/**
 * What an address of the scripted responder does, and so what an echo to it may end in: the hostile
 * mix of {@code MixedRunTest} and {@code bench/soak}. An outcome outside what {@link #judge} allows
 * is mis-attributed (or lost, when an answer was due and the echo timed out).
 */
public enum TargetKind {
  ANSWER,
  DELAY,
  DUPLICATE,
  REORDER, // a Reply from the target
  CORRUPT_PAYLOAD, // Corrupted from the target
  ERROR, // an IcmpError from the target
  DROP,
  CORRUPT_CHECKSUM,
  WRONG_ID,
  WRONG_SEQ,
  FOREIGN,
  LATE; // TimedOut

  /**
   * The script of the {@code i}-th address, of family {@code f}, for echoes that wait {@code
   * timeout}.
   */
  public ResponderEffect effect(Topology t, StandardProtocolFamily f, int i, Duration timeout) {
    boolean v6 = f == StandardProtocolFamily.INET6;
    return switch (this) {
      case ANSWER -> ResponderEffect.answer();
      case DELAY -> ResponderEffect.delay(Duration.ofMillis(5 + i % 20));
      case DUPLICATE -> ResponderEffect.duplicate(2);
      case REORDER -> new ResponderEffect.Reorder(2, Duration.ofMillis(5));
      case CORRUPT_PAYLOAD -> new ResponderEffect.CorruptPayload(-1 - i % 8);
      case ERROR -> ResponderEffect.error(v6 ? 1 : 3, v6 ? 3 : 1);
      case DROP -> ResponderEffect.drop();
      case CORRUPT_CHECKSUM -> new ResponderEffect.CorruptChecksum();
      case WRONG_ID -> new ResponderEffect.WrongIdentifier();
      case WRONG_SEQ -> new ResponderEffect.WrongSequence();
      case FOREIGN -> new ResponderEffect.AnswerFrom(t.responderAddress(f, 10_000 + i));
      case LATE -> ResponderEffect.late(timeout);
    };
  }

  /**
   * Null when {@code res} is what an address of this kind may give; else {@code "lost"} (an answer
   * was due and the echo timed out), {@code "sendFailed"}, or what is wrong with it.
   */
  public String judge(EchoResult res, InetAddress target) {
    return switch (this) {
      case ANSWER, DELAY, DUPLICATE, REORDER ->
          switch (res) {
            case EchoResult.Reply r -> r.from().equals(target) ? null : "reply from " + r.from();
            case EchoResult.TimedOut x -> "lost";
            case EchoResult.SendFailed x -> "sendFailed";
            default -> "expected a reply";
          };
      case CORRUPT_PAYLOAD ->
          switch (res) {
            case EchoResult.Corrupted x ->
                x.from().equals(target) ? null : "corrupted from " + x.from();
            case EchoResult.TimedOut x -> "lost";
            case EchoResult.SendFailed x -> "sendFailed";
            default -> "expected Corrupted";
          };
      case ERROR ->
          switch (res) {
            case EchoResult.IcmpError e ->
                e.from().equals(target) ? null : "error from " + e.from();
            case EchoResult.TimedOut x -> "lost";
            case EchoResult.SendFailed x -> "sendFailed";
            default -> "expected an ICMP error";
          };
      case DROP, CORRUPT_CHECKSUM, WRONG_ID, WRONG_SEQ, FOREIGN, LATE ->
          switch (res) {
            case EchoResult.TimedOut x -> null;
            case EchoResult.SendFailed x -> "sendFailed";
            default -> "must time out";
          };
    };
  }
}
