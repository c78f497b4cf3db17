package org.icmpecho.exporter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Prometheus' {@code hashmod} relabelling function, so that {@code --shard K/M} splits targets
 * exactly as a Prometheus {@code action: hashmod} rule with {@code modulus: M} splits scrape
 * targets: the MD5 digest of the UTF-8 string, its bytes 8-15 read as a big-endian unsigned 64-bit
 * integer, modulo M.
 */
final class Hashmod {
  private Hashmod() {}

  /** {@code hashmod(value) mod modulus}, for {@code modulus >= 1}. */
  static long of(String value, long modulus) {
    if (modulus < 1) throw new IllegalArgumentException("modulus " + modulus + " < 1");
    byte[] digest = md5().digest(value.getBytes(StandardCharsets.UTF_8));
    long low = ByteBuffer.wrap(digest, 8, 8).getLong();
    return Long.remainderUnsigned(low, modulus);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
  }

  /** One shard of M: keeps the hosts whose hashmod is K. */
  record Shard(int k, int m) {
    static final Shard ALL = new Shard(0, 1);

    Shard {
      if (m < 1 || k < 0 || k >= m)
        throw new IllegalArgumentException("shard " + k + "/" + m + ": need 0 <= K < M");
    }

    /** Parses {@code K/M}. */
    static Shard parse(String spec) {
      int slash = spec.indexOf('/');
      if (slash < 0)
        throw new IllegalArgumentException("--shard '" + spec + "': expected K/M, e.g. 0/2");
      try {
        return new Shard(
            Integer.parseInt(spec.substring(0, slash).trim()),
            Integer.parseInt(spec.substring(slash + 1).trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--shard '" + spec + "': K and M must be whole numbers, e.g. 0/2");
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--shard '" + spec + "': need 0 <= K < M");
      }
    }

    boolean keeps(String host) {
      return m == 1 || of(host, m) == k;
    }

    @Override
    public String toString() {
      return k + "/" + m;
    }
  }
}
